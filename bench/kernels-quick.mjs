// Quick kernel timing (ns/element) on the built package: WebAssembly and the TS engine against the
// naive Math.log loops, for 10^7 weights, dense U(0,1) and zipf-like (floor(3 Lomax(1.1)), ~27 %
// zeros), both normalized; q is dense. Rounds alternate the cases, so every ratio compares times
// taken close together; each cell is the median over rounds of the best of REPS calls. Times are
// process CPU time (user + system), which a machine shared with other jobs disturbs less than
// wall time does (all the work is on the calling thread).
// Usage (after npm run build): node bench/kernels-quick.mjs [rounds] [n]
import { init, entropy, crossEntropy, klDivergence, tsEngine } from '../dist/index.js';
import { naiveCrossEntropy, naiveEntropy, naiveKlDivergence, normalizeRows, weights as rawWeights } from './data.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 1e7);
const REPS = 3;

// The suite's own generators and naive loops (bench/data.mjs), normalized like its one-shot data.
const weights = (kind, n, seed) => normalizeRows(rawWeights(kind, n, seed), n);
const naiveH = naiveEntropy;
const naiveCE = naiveCrossEntropy;
const naiveKL = naiveKlDivergence;

await init();
const data = {};
for (const kind of ['dense', 'zipf']) data[kind] = { p: weights(kind, N, kind === 'dense' ? 11 : 12), q: weights('dense', N, 13) };
const cases = [];
for (const kind of ['dense', 'zipf']) {
  const { p, q } = data[kind];
  cases.push([kind, 'entropy', 'naive', () => naiveH(p)], [kind, 'entropy', 'wasm', () => entropy(p)], [kind, 'entropy', 'ts', () => tsEngine.entropy(p)]);
  cases.push([kind, 'crossEntropy', 'naive', () => naiveCE(p, q)], [kind, 'crossEntropy', 'wasm', () => crossEntropy(p, q)], [kind, 'crossEntropy', 'ts', () => tsEngine.crossEntropy(p, q)]);
  cases.push([kind, 'klDivergence', 'naive', () => naiveKL(p, q)], [kind, 'klDivergence', 'wasm', () => klDivergence(p, q)], [kind, 'klDivergence', 'ts', () => tsEngine.klDivergence(p, q)]);
}
const times = cases.map(() => []);
let sink = 0;
for (const c of cases) sink += c[3](); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  cases.forEach((c, i) => {
    let best = Infinity;
    for (let k = 0; k < REPS; k++) {
      const t0 = process.cpuUsage();
      sink += c[3]();
      const d = process.cpuUsage(t0);
      best = Math.min(best, ((d.user + d.system) * 1000) / N);
    }
    times[i].push(best);
  });
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const rows = {};
cases.forEach((c, i) => {
  const key = `${c[0]} ${c[1]}`;
  rows[key] ??= {};
  rows[key][c[2]] = { med: med(times[i]), min: Math.min(...times[i]), max: Math.max(...times[i]), t: times[i] };
});
// The machine's speed can change between rounds (other jobs on the sibling core: both loops slow
// down by up to ~40 %), so the ratio is also given per round (a case and its naive loop are timed
// close together) and summarized by its median over the rounds, [min-max].
const perRound = (a, b) => { const r = a.t.map((x, k) => x / b.t[k]); return { med: med(r), min: Math.min(...r), max: Math.max(...r) }; };
console.log(`n=${N}, ${ROUNDS} rounds, best of ${REPS} per round; CPU ns/el median [min-max]; ratio = naive/case of the medians, then the median [min-max] of the per-round ratios`);
for (const [k, v] of Object.entries(rows)) {
  const f = (x) => `${x.med.toFixed(2)} [${x.min.toFixed(2)}-${x.max.toFixed(2)}]`;
  const r = (x) => { const q = perRound(v.naive, x); return `${(v.naive.med / x.med).toFixed(2)}x (${q.med.toFixed(2)}x [${q.min.toFixed(2)}-${q.max.toFixed(2)}])`; };
  console.log(`${k.padEnd(20)} naive ${f(v.naive)}  wasm ${f(v.wasm)} ${r(v.wasm)}  ts ${f(v.ts)} ${r(v.ts)}`);
}
if (!Number.isFinite(sink)) throw new Error('sink not finite');
