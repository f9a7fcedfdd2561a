// Quick timing of short rows and small calls over dist/ (raw hrtime, median of reps; one process).
// node bench/rows-quick.mjs [filter]   after `npm run build`. Figures are ns/element or ns/call.
import { performance } from 'node:perf_hooks';
const lib = await import(new URL('../dist/index.js', import.meta.url).href);
const { init, entropy, crossEntropy, klDivergence, entropyBatch, crossEntropyBatch, klDivergenceBatch, tsEngine } = lib;
await init();
const filter = process.argv[2] ?? '';

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
/** median over reps of (time of `inner` calls)/(inner*per) in ns */
function time(name, f, per, inner, reps = 9) {
  if (filter && !name.includes(filter)) return;
  for (let i = 0; i < Math.max(2, Math.ceil(inner / 4)); i++) f();
  const t = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) f();
    t.push(((performance.now() - t0) * 1e6) / (inner * per));
  }
  t.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} ${t[reps >> 1].toFixed(2).padStart(9)}  (min ${t[0].toFixed(2)}, max ${t[reps - 1].toFixed(2)})`);
}
const big = rows(1, 1e7);
const b100 = rows(1e5, 100), b16 = rows(1e5, 16), b1e4 = rows(1e3, 1e4);
const q100 = rows(1e5, 100), q16 = rows(1e5, 16);
const h16 = rows(1, 16), g16 = rows(1, 16);
const sinkF = (x) => { sink += typeof x === 'number' ? x : x[0]; };
time('entropy 1e7 ns/el', () => sinkF(entropy(big)), 1e7, 1, 7);
time('entropyBatch 1e5x100 ns/el', () => sinkF(entropyBatch(b100, 100)), 1e7, 1, 7);
time('entropyBatch 1e5x16 ns/el', () => sinkF(entropyBatch(b16, 16)), 1.6e6, 1, 7);
time('entropyBatch 1e3x1e4 ns/el', () => sinkF(entropyBatch(b1e4, 1e4)), 1e7, 1, 7);
time('entropy 16 ns/call', () => sinkF(entropy(h16)), 1, 20000);
time('entropy 16 base2 ns/call', () => sinkF(entropy(h16, { base: 2 })), 1, 20000);
time('entropy 16 number[] ns/call', () => sinkF(entropy(Array.from(h16))), 1, 20000);
time('ts entropy 16 ns/call', () => sinkF(tsEngine.entropy(h16)), 1, 20000);
time('crossEntropy 16 ns/call', () => sinkF(crossEntropy(h16, g16)), 1, 20000);
time('ts crossEntropy 16 ns/call', () => sinkF(tsEngine.crossEntropy(h16, g16)), 1, 20000);
time('klDivergence 16 ns/call', () => sinkF(klDivergence(h16, g16)), 1, 20000);
time('ts klDivergence 16 ns/call', () => sinkF(tsEngine.klDivergence(h16, g16)), 1, 20000);
time('crossEntropyBatch 1e5x100 ns/el', () => sinkF(crossEntropyBatch(b100, q100, 100)), 1e7, 1, 5);
time('crossEntropyBatch 1e5x16 ns/el', () => sinkF(crossEntropyBatch(b16, q16, 16)), 1.6e6, 1, 5);
time('klDivergenceBatch 1e5x100 ns/el', () => sinkF(klDivergenceBatch(b100, q100, 100)), 1e7, 1, 5);
time('klDivergenceBatch 1e5x16 ns/el', () => sinkF(klDivergenceBatch(b16, q16, 16)), 1.6e6, 1, 5);
const r1 = rows(1e4, 1), s1 = rows(1e4, 1);
time('crossEntropyBatch 1e4x1 ns/el', () => sinkF(crossEntropyBatch(r1, s1, 1)), 1e4, 1, 7);
time('ts crossEntropyBatch 1e4x1 ns/el', () => sinkF(tsEngine.crossEntropyBatch(r1, s1, 1)), 1e4, 1, 7);
time('entropyBatch 1e4x1 ns/el', () => sinkF(entropyBatch(r1, 1)), 1e4, 1, 7);
time('crossEntropy 1e7 ns/el', () => sinkF(crossEntropy(big, big)), 1e7, 1, 5);
time('klDivergence 1e7 ns/el', () => sinkF(klDivergence(big, rows(1,1e7))), 1e7, 1, 3);
if (!Number.isFinite(sink)) throw new Error('sink');

// Dispatch by size: the top-level call (WebAssembly after init) against the TS engine, tiny inputs.
if (!filter || filter === 'tiny') {
  const M = 1e4;
  for (const n of [1, 2, 4, 8, 16, 32, 64]) {
    const p = rows(1, n), q = rows(1, n), pa = Array.from(p), qa = Array.from(q);
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
