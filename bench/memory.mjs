// Peak extra memory of one-shot calls over large inputs (the target: <= 8 MB beyond the input at
// 10^8 bins), on the built package (dist/). Each (backend, measure) runs in a fresh process:
// the input Float64Array(s) are allocated and filled, WebAssembly is initialized (or not, for 'ts'),
// one warm-up call runs on a small input, the GC runs, and then
//   extra = resourceUsage().maxRSS after the call - memoryUsage().rss just before it
// (maxRSS is the process's high-water mark, so this bounds the peak the call added, whatever it
// freed again; taking the current RSS before, not the earlier high-water mark, errs on the high side). 'workspace' fills histograms allocated in a workspace instead and calls ws.*.
// Usage, after `npm run build`: node bench/memory.mjs [n=1e8] [backends=wasm-simd,wasm,ts,workspace] [cold]
// `cold` skips the warm-up call, so the first call's one-time costs (compiled code, the TS core's
// lazily allocated state) count too. With MEMORY_JSON=1 the parent prints one JSON array of
// { backend, measure, extraKiB, jsDeltaKiB, result } instead of the table (entropy.bench.mjs
// runs it that way for its memory target).
import { execFileSync } from 'node:child_process';

const n = Number(process.argv[2] ?? 1e8);
const backends = (process.argv[3] ?? 'wasm-simd,wasm,ts,workspace').split(',');
const cold = process.argv[4] === 'cold';
const child = process.env.MEMORY_CHILD;
const asJson = process.env.MEMORY_JSON === '1';

if (!child) {
  const rows = [];
  // the table goes to stderr in JSON mode, so stdout carries only the JSON
  const say = asJson ? (s) => process.stderr.write(`${s}\n`) : (s) => console.log(s);
  say(`n = ${n} (input ${(n * 8 / 2 ** 20).toFixed(0)} MiB per histogram), ${cold ? 'cold (no warm-up call)' : 'after a warm-up call'}, node ${process.version}`);
  say('backend    measure        extra peak RSS   heap+external delta   result');
  let worst = 0;
  for (const b of backends) {
    for (const m of ['entropy', 'crossEntropy', 'klDivergence']) {
      const out = execFileSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, String(n), '', cold ? 'cold' : ''], {
        env: { ...process.env, MEMORY_CHILD: `${b}:${m}` }, encoding: 'utf8', maxBuffer: 1 << 20,
      });
      const r = JSON.parse(out);
      rows.push({ backend: b, measure: m, ...r });
      worst = Math.max(worst, r.extraKiB);
      say(`${b.padEnd(10)} ${m.padEnd(14)} ${(r.extraKiB / 1024).toFixed(2).padStart(8)} MiB   ${(r.jsDeltaKiB / 1024).toFixed(2).padStart(10)} MiB   ${r.result}`);
    }
  }
  say(`worst: ${(worst / 1024).toFixed(2)} MiB (target 8 MB = ${(8e6 / 2 ** 20).toFixed(2)} MiB)`);
  if (asJson) process.stdout.write(JSON.stringify(rows));
} else {
  const [backend, measure] = child.split(':');
  if (backend === 'wasm') {
    // an engine without SIMD: the SIMD probe does not validate, so init() loads the scalar binary
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => (bytes.length < 64 ? false : validate(bytes));
  }
  const lib = await import(new URL('../dist/index.js', import.meta.url).href);
  let s = 987654321;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const two = measure !== 'entropy';
  let call;
  let warm;
  if (backend === 'workspace') {
    const ws = await lib.createWorkspace();
    const hp = ws.histogram(n);
    const hq = two ? ws.histogram(n) : null;
    // fill through the views, a chunk at a time (the views stay valid: no allocation in between)
    for (const h of two ? [hp, hq] : [hp]) {
      const a = h.array;
      for (let i = 0; i < n; i++) a[i] = rand();
    }
    const sp = ws.histogram(1000);
    const sq = ws.histogram(1000);
    sp.array.fill(1);
    sq.array.fill(2);
    call = () => (two ? ws[measure](hp, hq) : ws.entropy(hp));
    warm = () => (two ? ws[measure](sp, sq) : ws.entropy(sp));
  } else {
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = rand();
    const q = two ? new Float64Array(n) : null;
    if (q) for (let i = 0; i < n; i++) q[i] = rand();
    const e = backend === 'ts' ? lib.tsEngine : lib;
    if (backend !== 'ts') {
      const got = await lib.init();
      if (got !== backend) throw new Error(`expected ${backend}, got ${got}`);
    }
    const small = new Float64Array(1000).fill(1);
    call = () => (two ? e[measure](p, q) : e.entropy(p));
    warm = () => (two ? e[measure](small, small) : e.entropy(small));
  }
  if (!cold) warm();
  globalThis.gc();
  const m0 = process.memoryUsage();
  const before = m0.rss / 1024; // KiB, like maxRSS
  const result = call();
  const after = process.resourceUsage().maxRSS;
  const m1 = process.memoryUsage();
  const js = (m1.heapUsed + m1.external) - (m0.heapUsed + m0.external);
  process.stdout.write(JSON.stringify({ extraKiB: after - before, jsDeltaKiB: js / 1024, result }));
}
