// Quick timing of short rows and small calls over dist/ (raw performance.now, min and median of
// repeated timings; rounds interleaved). `node bench/rows-quick.mjs [filter] [other-dist-dir]` after
// `npm run build`; with a second dist directory (e.g. a build of main) both are timed in the same
// process, round by round, so their ratio is not skewed by the machine's load at the time.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
const filter = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2] : '';
const dists = [new URL('../dist/index.js', import.meta.url).href];
if (process.argv[3]) dists.push(pathToFileURL(`${process.argv[3]}/index.js`).href);
const libs = [];
for (const d of dists) {
  const lib = await import(d);
  await lib.init();
  libs.push(lib);
}
const ROUNDS = Number(process.env.ROUNDS ?? 7);

let seed = 12345;
const u = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
function rows(n, cols) {
  const x = new Float64Array(n * cols);
  for (let i = 0; i < x.length; i++) x[i] = u();
  for (let off = 0; off < x.length; off += cols) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[off + j];
    for (let j = 0; j < cols; j++) x[off + j] /= s;
  }
  return x;
}
let sink = 0;
const sinkF = (x) => { sink += typeof x === 'number' ? x : x[0]; };
/** f(lib) returns the call to time; per = elements (ns/el) or 1 (ns/call); inner = calls per timing. */
function time(name, f, per, inner) {
  if (filter && !name.includes(filter)) return;
  const fs = libs.map((lib) => f(lib));
  for (const g of fs) for (let i = 0; i < Math.max(2, inner >> 2); i++) sinkF(g());
  const t = fs.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    fs.forEach((g, k) => {
      const t0 = performance.now();
      for (let i = 0; i < inner; i++) sinkF(g());
      t[k].push(((performance.now() - t0) * 1e6) / (inner * per));
    });
  }
  const cells = t.map((x) => {
    x.sort((a, b) => a - b);
    return `${x[0].toFixed(2).padStart(8)} ${x[x.length >> 1].toFixed(2).padStart(8)}`;
  });
  console.log(`${name.padEnd(34)} ${cells.join('   |')}`);
}
console.log(`${''.padEnd(34)} ${dists.map(() => '     min   median').join('   |')}   (${dists.map((d) => d.replace(/.*\/(\w+)\/dist.*/, '$1')).join(' | ')})`);
const big = rows(1, 1e7), big2 = rows(1, 1e7);
const b100 = rows(1e5, 100), b16 = rows(1e5, 16), b1e4 = rows(1e3, 1e4);
const q100 = rows(1e5, 100), q16 = rows(1e5, 16);
const h16 = rows(1, 16), g16 = rows(1, 16);
const r1 = rows(1e4, 1), s1 = rows(1e4, 1);
time('entropy 1e7 ns/el', (l) => () => l.entropy(big), 1e7, 1);
time('entropyBatch 1e5x100 ns/el', (l) => () => l.entropyBatch(b100, 100), 1e7, 1);
time('entropyBatch 1e5x16 ns/el', (l) => () => l.entropyBatch(b16, 16), 1.6e6, 1);
time('entropyBatch 1e3x1e4 ns/el', (l) => () => l.entropyBatch(b1e4, 1e4), 1e7, 1);
time('entropy 16 ns/call', (l) => () => l.entropy(h16), 1, 20000);
time('entropy 16 base 2 ns/call', (l) => () => l.entropy(h16, { base: 2 }), 1, 20000);
time('ts entropy 16 ns/call', (l) => () => l.tsEngine.entropy(h16), 1, 20000);
time('crossEntropy 16 ns/call', (l) => () => l.crossEntropy(h16, g16), 1, 20000);
time('ts crossEntropy 16 ns/call', (l) => () => l.tsEngine.crossEntropy(h16, g16), 1, 20000);
time('klDivergence 16 ns/call', (l) => () => l.klDivergence(h16, g16), 1, 20000);
time('ts klDivergence 16 ns/call', (l) => () => l.tsEngine.klDivergence(h16, g16), 1, 20000);
time('crossEntropy 1e7 ns/el', (l) => () => l.crossEntropy(big, big2), 1e7, 1);
time('crossEntropyBatch 1e5x100 ns/el', (l) => () => l.crossEntropyBatch(b100, q100, 100), 1e7, 1);
time('crossEntropyBatch 1e5x16 ns/el', (l) => () => l.crossEntropyBatch(b16, q16, 16), 1.6e6, 1);
time('klDivergence 1e7 ns/el', (l) => () => l.klDivergence(big, big2), 1e7, 1);
time('klDivergenceBatch 1e5x100 ns/el', (l) => () => l.klDivergenceBatch(b100, q100, 100), 1e7, 1);
time('klDivergenceBatch 1e5x16 ns/el', (l) => () => l.klDivergenceBatch(b16, q16, 16), 1.6e6, 1);
time('crossEntropyBatch 1e4x1 ns/el', (l) => () => l.crossEntropyBatch(r1, s1, 1), 1e4, 10);
time('entropyBatch 1e4x1 ns/el', (l) => () => l.entropyBatch(r1, 1), 1e4, 10);

// Dispatch by size: the top-level call (WebAssembly after init) against the TS engine, tiny inputs.
if (filter === 'tiny') {
  const { entropy, crossEntropy, klDivergence, tsEngine } = libs[0];
  const M = 1e4;
  for (const n of [1, 2, 4, 8, 16, 32, 64]) {
    const p = rows(1, n), q = rows(1, n), pa = Array.from(p);
    const cell = (f) => {
      for (let i = 0; i < M; i++) sinkF(f());
      let best = Infinity;
      for (let r = 0; r < 7; r++) {
        const t0 = performance.now();
        for (let i = 0; i < M; i++) sinkF(f());
        best = Math.min(best, ((performance.now() - t0) * 1e6) / M);
      }
      return best.toFixed(0).padStart(5);
    };
    console.log(`n=${String(n).padStart(2)} ns/call (min of 7) wasm|ts: H f64 ${cell(() => entropy(p))}|${cell(() => tsEngine.entropy(p))}` +
      `  H number[] ${cell(() => entropy(pa))}|${cell(() => tsEngine.entropy(pa))}` +
      `  CE ${cell(() => crossEntropy(p, q))}|${cell(() => tsEngine.crossEntropy(p, q))}` +
      `  KL ${cell(() => klDivergence(p, q))}|${cell(() => tsEngine.klDivergence(p, q))}`);
  }
}
if (!Number.isFinite(sink)) throw new Error('sink');
