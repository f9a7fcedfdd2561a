// Quick kernel timing (ns/element) on the built package: WebAssembly and the TS engine against the
// naive Math.log loops, for 10^7 weights, dense U(0,1) and zipf-like (floor(3 Lomax(1.1)), ~27 %
// zeros), both normalized; q is dense. Rounds alternate the cases, so every ratio compares times
// taken close together; each cell is the median over rounds of the best of REPS calls. Times are
// process CPU time (user + system), which a machine shared with other jobs disturbs less than
// wall time does (all the work is on the calling thread).
// Usage (after npm run build): node bench/kernels-quick.mjs [rounds] [n]
import { init, entropy, crossEntropy, klDivergence, tsEngine } from '../dist/index.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 1e7);
const REPS = 3;

function rng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6) + 0.5) / 9007199254740992;
}
function weights(kind, n, seed) {
  const u = rng(seed);
  const x = new Float64Array(n);
  if (kind === 'dense') for (let i = 0; i < n; i++) x[i] = u();
  else for (let i = 0; i < n; i++) x[i] = Math.floor(3 * (u() ** (-1 / 1.1) - 1));
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  for (let i = 0; i < n; i++) x[i] /= s;
  return x;
}

function naiveH(p) {
  let s = 0;
  for (let i = 0; i < p.length; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(x); }
  return s;
}
function naiveCE(p, q) {
  let s = 0;
  for (let i = 0; i < p.length; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(q[i]); }
  return s;
}
function naiveKL(p, q) {
  let s = 0;
  for (let i = 0; i < p.length; i++) { const x = p[i]; if (x > 0) s += x * Math.log(x / q[i]); }
  return s;
}

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
