// entropy-wasm/node throughput: in-memory entropy() on WebAssembly against entropyOfFile (and
// entropyOfStream over fs.createReadStream) on the same doubles written raw, read from the page
// cache. Rounds alternate the cases so that load from other processes hits them alike; the
// table gives min and median ns/element. Run after `npm run build`: `node bench/node.bench.mjs`.
// Knobs: BENCH_N (doubles, default 1e7), BENCH_ROUNDS (default 7).
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const lib = await import(new URL('../dist/index.js', import.meta.url).href);
const nodeLib = await import(new URL('../dist/node.js', import.meta.url).href);
const { init, backend, entropy } = lib;
const { entropyOfFile, entropyOfStream } = nodeLib;

const n = Number(process.env.BENCH_N ?? 1e7);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
await init();

// Seeded data (a Lehmer generator): U(0, 1) weights.
const a = new Float64Array(n);
let s = 1;
for (let i = 0; i < n; i++) {
  s = (s * 48271) % 2147483647;
  a[i] = s / 2147483647;
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'entropy-wasm-bench-'));
const file = path.join(dir, 'weights.f64');
writeFileSync(file, a);

const cases = {
  'entropy(Float64Array) in memory': () => entropy(a),
  'entropyOfFile(raw f64)': () => entropyOfFile(file),
  'entropyOfStream(fs.createReadStream)': () => entropyOfStream(createReadStream(file)),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const expected = entropy(a);
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, f] of Object.entries(cases)) {
      const t = process.hrtime.bigint();
      const h = await f();
      times[name].push(Number(process.hrtime.bigint() - t) / n);
      if (!Object.is(h, expected)) throw new Error(`${name} gave ${h}, expected ${expected}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const med = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
const ref = Math.min(...times['entropy(Float64Array) in memory']);
console.log(`n = ${n}, ${rounds} rounds, backend ${backend()}, Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
console.log('case'.padEnd(40), 'min ns/el', 'median ns/el', 'in-memory min / case min');
for (const [name, x] of Object.entries(times)) {
  console.log(name.padEnd(40), Math.min(...x).toFixed(2).padStart(9), med(x).toFixed(2).padStart(12), `${((ref / Math.min(...x)) * 100).toFixed(0)}%`.padStart(10));
}
