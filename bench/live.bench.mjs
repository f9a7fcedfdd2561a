// Live histogram benchmark: updates per second of the built package (dist/) with an entropy query
// every LIVE_QUERY_EVERY updates (issue 4's target: >= 1e7 updates/s with a query every 1,000).
// Run after a build: `node bench/live.bench.mjs`. Plain timing over a fixed, seeded stream; each
// case runs LIVE_ROUNDS times after a warm-up round and the median is shown, both per wall-clock
// second (performance.now) and per second of this process's CPU time (process.cpuUsage), which
// other processes competing for the cores do not inflate; the load average is printed beside.
// Every query result goes into a sink checked finite at the end, and before timing each case's
// live entropy is checked bit for bit against entropy() of the same counts from scratch.
//
// Cases (all over LIVE_BINS bins, observations Zipf-like so a few bins are hot):
//   window-int   the sliding-window pattern: remove the oldest observation, add the new one
//                (weight 1, integer counts); each add and each remove is one update
//   float        add(bin, w) / remove(bin, w) with fractional weights (the same pattern)
//   push         SlidingWindowEntropy.push: two updates and a query per observation
//   scratch      the alternative: update a Float64Array of counts and call entropy(counts)
//                (WebAssembly engine) at the same query rate
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const DIST = new URL('../dist/index.js', import.meta.url);
let lib;
try {
  lib = await import(DIST.href);
} catch (e) {
  console.error(`cannot load ${DIST.pathname} (${e.message}); run \`npm run build\` first`);
  process.exit(1);
}
const { init, entropy, tsEngine, LiveHistogram, SlidingWindowEntropy } = lib;

function envInt(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return fallback;
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1) {
    console.error(`bench: ${name}=${v} is not a positive integer`);
    process.exit(2);
  }
  return x;
}
const BINS = envInt('LIVE_BINS', 65536);
const WINDOW = envInt('LIVE_WINDOW', 4096);
const UPDATES = envInt('LIVE_UPDATES', 4_000_000); // per round
const QUERY_EVERY = envInt('LIVE_QUERY_EVERY', 1000);
const ROUNDS = envInt('LIVE_ROUNDS', 5);

// sfc32, seeded: the same stream every run
function sfc32(a, b, c, d) {
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b | 0) + d | 0;
    d = d + 1 | 0;
    a = b ^ (b >>> 9);
    b = c + (c << 3) | 0;
    c = (c << 21) | (c >>> 11);
    c = c + t | 0;
    return (t >>> 0) / 4294967296;
  };
}
const rand = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, 42);
const N_OBS = UPDATES / 2 + WINDOW;
const obs = new Uint32Array(N_OBS);
for (let i = 0; i < N_OBS; i++) obs[i] = Math.floor(BINS * rand() * rand() * rand()); // hot low bins
const weights = new Float64Array(N_OBS);
for (let i = 0; i < N_OBS; i++) weights[i] = 0.001 + 10 * rand();

/** CPU milliseconds (user + system) of this process since c0. */
function cpuMs(c0) {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** One round of a case: returns [updates, wall ms, cpu ms, sink, histogram]. */
const CASES = {
  'window-int'() {
    const h = new LiveHistogram(BINS);
    for (let i = 0; i < WINDOW; i++) h.add(obs[i]);
    let sink = 0;
    let u = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = WINDOW; i < N_OBS; i++) {
      h.remove(obs[i - WINDOW]);
      h.add(obs[i]);
      u += 2;
      if (u % QUERY_EVERY === 0) sink += h.entropy();
    }
    return [u, performance.now() - t0, cpuMs(c0), sink, h];
  },
  float() {
    const h = new LiveHistogram(BINS);
    for (let i = 0; i < WINDOW; i++) h.add(obs[i], weights[i]);
    let sink = 0;
    let u = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = WINDOW; i < N_OBS; i++) {
      const j = i - WINDOW;
      // the count may be a rounding below the weight added earlier: take out at most what is there
      const c = h.get(obs[j]);
      h.remove(obs[j], weights[j] < c ? weights[j] : c);
      h.add(obs[i], weights[i]);
      u += 2;
      if (u % QUERY_EVERY === 0) sink += h.entropy();
    }
    return [u, performance.now() - t0, cpuMs(c0), sink, h];
  },
  push() {
    const w = new SlidingWindowEntropy(BINS, WINDOW);
    const n = Math.min(N_OBS, 400_000); // a query per push: fewer observations
    let sink = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) sink += w.push(obs[i]);
    return [2 * n, performance.now() - t0, cpuMs(c0), sink, null];
  },
  scratch() {
    const counts = new Float64Array(BINS);
    for (let i = 0; i < WINDOW; i++) counts[obs[i]]++;
    const n = Math.min(N_OBS, WINDOW + 200_000); // a query costs O(bins): fewer updates
    let sink = 0;
    let u = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = WINDOW; i < n; i++) {
      counts[obs[i - WINDOW]]--;
      counts[obs[i]]++;
      u += 2;
      if (u % QUERY_EVERY === 0) sink += entropy(counts);
    }
    return [u, performance.now() - t0, cpuMs(c0), sink, null];
  },
};

const backend = await init();
console.log(`entropy-wasm live bench: node ${process.version}, backend ${backend}, bins ${BINS}, window ${WINDOW}, ` +
  `query every ${QUERY_EVERY} updates, ${ROUNDS} rounds (median)`);

// Correctness first: the live entropy is the from-scratch entropy of the same counts.
for (const name of ['window-int', 'float']) {
  const h = CASES[name]()[4];
  const a = h.entropy();
  const b = tsEngine.entropy(h.counts());
  const c = entropy(h.counts());
  if (!Object.is(a, b) || !Object.is(a, c)) {
    console.error(`bench: ${name}: live ${a} != from scratch ${b} / ${c}`);
    process.exit(1);
  }
}

const median = (xs) => xs.slice().sort((x, y) => x - y)[xs.length >> 1];
let total = 0;
for (const [name, run] of Object.entries(CASES)) {
  run(); // warm-up
  const wall = [];
  const cpu = [];
  for (let r = 0; r < ROUNDS; r++) {
    const [u, ms, cms, sink] = run();
    if (!Number.isFinite(sink)) throw new Error(`${name}: non-finite sink`);
    total += sink;
    wall.push(u / ms / 1e3); // million updates per second
    cpu.push(u / cms / 1e3);
  }
  const m = median(wall);
  const c = median(cpu);
  console.log(`${name.padEnd(11)} ${m.toFixed(2).padStart(6)} M updates/s wall (${(1e3 / m).toFixed(1)} ns), ` +
    `${c.toFixed(2).padStart(6)} M/s cpu (${(1e3 / c).toFixed(1)} ns); wall rounds ${wall.map((x) => x.toFixed(1)).join(' ')}`);
}
console.log(`load average (1 min) ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
if (!Number.isFinite(total)) throw new Error('non-finite sink');
