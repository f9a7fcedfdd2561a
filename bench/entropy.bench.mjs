// entropy-wasm benchmark suite: the built package (dist/) on every engine against the loop a user
// would write with Math.log. Run with `npm run bench` (builds first) or, after a build,
// `node bench/entropy.bench.mjs`. bench/README.md lists the knobs and how to read the output;
// results go to bench/results/ (git-ignored).
//
// Cases: wasm-simd (the default after `await init()`), wasm-scalar (the scalar binary, in a child
// process whose WebAssembly.validate rejects the SIMD probe, as an engine without SIMD does; its
// ratio to the naive loop is measured in that same child), ts (`tsEngine`), workers:1 and
// workers:2 (`entropyParallel` & co., skipped with a note where the build has no such export),
// and naive (Math.log loops over normalized Float64Arrays, bench/data.mjs).
//
// Method (STYLE.md 7.8): benny times every case; each case's setup returns the timed function, so
// data generation and allocation stay outside the timing. Before timing, each suite calls every
// case once: all library engines must return the same bits (Object.is) and the naive loop must
// be close. Every result goes into a sink that must be finite at the end. The whole plan runs
// BENCH_ROUNDS times in one process; a ratio is taken within a round, and the table shows the
// median over rounds. Init and peak memory are measured in fresh processes.
import b from 'benny';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  makeBatch, makeData, naiveCrossEntropy, naiveCrossEntropyBatch, naiveEntropy, naiveEntropyBatch,
  naiveKlDivergence, naiveKlDivergenceBatch,
} from './data.mjs';
import { chartHtml } from './chart.mjs';

const SELF = new URL(import.meta.url).pathname;
const CHILD = process.env.BENCH_CHILD ?? ''; // '' (the parent) or 'scalar'
// BENCH_LIB: load another module than dist/index.js (it must re-export the package's API), e.g. a
// stub of the parallel functions while they are not merged. Only for testing the bench itself.
const LIB_URL = process.env.BENCH_LIB
  ? pathToFileURL(path.resolve(process.env.BENCH_LIB))
  : new URL('../dist/index.js', import.meta.url);
const RESULTS = new URL('./results/', import.meta.url);

// The scalar child: an engine without SIMD, reached through the package's real detection path.
// The SIMD probe is the only module shorter than 64 bytes that init() validates (as in
// bench/backends.mjs and bench/memory.mjs).
if (CHILD === 'scalar') {
  const validate = WebAssembly.validate;
  WebAssembly.validate = (bytes) => (bytes.length < 64 ? false : validate(bytes));
}

let lib;
try {
  lib = await import(LIB_URL.href);
} catch (e) {
  console.error(`cannot load ${LIB_URL.pathname} (${e.message}); run \`npm run build\` first`);
  process.exit(1);
}
const { init, backend, tsEngine } = lib;

// ---------------------------------------------------------------------------------------------
// Configuration (environment; the child inherits the parent's)

function die(msg) {
  console.error(`bench${CHILD ? ` (${CHILD} child)` : ''}: ${msg}`);
  process.exit(2);
}
const env = (name) => {
  const v = process.env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};
const QUICK = env('BENCH_QUICK') === '1';
function envList(name, fallback) {
  return (env(name) ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
}
function envNumber(name, fallback, ok) {
  const v = env(name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!ok(x)) die(`${name}=${v} is not valid`);
  return x;
}
const isCount = (x) => Number.isInteger(x) && x >= 1 && x <= 1e8;
const parseShape = (name) => (s) => {
  const [r, c] = s.split(/[x×*]/).map(Number);
  if (!isCount(r) || !isCount(c) || r * c > 1e8) die(`${name} entry "${s}" (expected ROWSxCOLS, at most 1e8 elements)`);
  return { rows: r, cols: c };
};
const noneOr = (name, fallback, parse) => (env(name) === 'none' ? [] : envList(name, fallback).map(parse));

const SIZES = noneOr('BENCH_SIZES', QUICK ? '1e2,1e4,1e6' : '1e2,1e3,1e4,1e5,1e6,1e7', (s) => {
  const n = Number(s);
  if (!isCount(n)) die(`BENCH_SIZES entry "${s}" is not an integer in [1, 1e8]`);
  return n;
});
const DATA = envList('BENCH_DATA', 'dense,zipf');
for (const d of DATA) if (d !== 'dense' && d !== 'zipf') die(`BENCH_DATA entry "${d}" (expected dense, zipf)`);
const ONE_SHOT = ['entropy', 'crossEntropy', 'klDivergence'];
const MEASURES = envList('BENCH_MEASURES', ONE_SHOT.join(','));
for (const m of MEASURES) if (!ONE_SHOT.includes(m)) die(`BENCH_MEASURES entry "${m}" (expected ${ONE_SHOT.join(', ')})`);
const BATCH = noneOr('BENCH_BATCH', QUICK ? '1e4x16,1e3x100' : '1e5x16,1e5x100,1e3x1e4', parseShape('BENCH_BATCH'));
const BATCH_DATA = envList('BENCH_BATCH_DATA', 'dense');
for (const d of BATCH_DATA) if (d !== 'dense' && d !== 'zipf') die(`BENCH_BATCH_DATA entry "${d}" (expected dense, zipf)`);
const SMALL = envNumber('BENCH_SMALL', 16, (x) => isCount(x) || x === 0); // 0: no small-call suite
const ALL_CASES = ['wasm-simd', 'wasm-scalar', 'ts', 'workers', 'naive'];
const CASES = envList('BENCH_CASES', ALL_CASES.join(','));
for (const c of CASES) if (!ALL_CASES.includes(c)) die(`BENCH_CASES entry "${c}" (expected ${ALL_CASES.join(', ')})`);
const WORKERS = envList('BENCH_WORKERS', '1,2').map((s) => {
  const k = Number(s);
  if (!Number.isInteger(k) || k < 1 || k > 64) die(`BENCH_WORKERS entry "${s}" is not a worker count`);
  return k;
});
const ROUNDS = envNumber('BENCH_ROUNDS', envNumber('BENCH_REPEATS', QUICK ? 1 : 3, (x) => Number.isInteger(x) && x >= 1 && x <= 50),
  (x) => Number.isInteger(x) && x >= 1 && x <= 50);
// benchmark.js stops a case once it has minSamples samples AND maxTime seconds have passed. A sample
// lasts at least 50 ms (benchmark.js minTime) or one call, so maxTime 0.1 gives about 4 samples of
// a fast case (about 0.3 s with the calibration cycles), and minSamples 3 keeps a 10^7 case (up to
// ~0.6 s a call) at 3 samples (5-10 calls with the calibration). The rounds do the rest.
const CASE_OPTIONS = {
  minSamples: envNumber('BENCH_MIN_SAMPLES', 3, (x) => Number.isInteger(x) && x >= 2),
  maxTime: envNumber('BENCH_MAX_TIME', QUICK ? 0.05 : 0.1, (x) => x > 0),
};
const INIT_RUNS = envNumber('BENCH_INIT_RUNS', QUICK ? 3 : 5, (x) => Number.isInteger(x) && x >= 1);
const MEMORY_N = env('BENCH_MEMORY') === 'none' ? 0 : envNumber('BENCH_MEMORY', QUICK ? 1e7 : 1e8, isCount);
const MEMORY_BACKENDS = envList('BENCH_MEMORY_BACKENDS', 'wasm-simd,wasm,ts');
const PYTHON = env('BENCH_PYTHON') === '1';
const PYTHON_CMD = env('BENCH_PYTHON_CMD') ?? 'python3';

// ---------------------------------------------------------------------------------------------
// Cases

let sink = 0;
const has = (c) => CASES.includes(c);
const missingParallel = [];
function parallelFn(name) {
  if (typeof lib[name] === 'function') return lib[name];
  if (!missingParallel.includes(name)) missingParallel.push(name);
  return null;
}

// benny's setup-returning-a-function form. benny calls the timed function once while it sorts
// out its kind (sync, or a Promise, so `defer`); for the async cases that first call is a no-op,
// so no call overlaps the timed ones, and every later call runs the real work.
function syncCase(f) {
  return () => () => { sink += f(); };
}
function syncBatchCase(f) {
  return () => () => { const o = f(); sink += o[o.length - 1]; };
}
function asyncCase(f) {
  let probed = false;
  return () => () => {
    if (!probed) { probed = true; return Promise.resolve(); }
    return f().then((v) => { sink += v; });
  };
}
function asyncBatchCase(f) {
  let probed = false;
  return () => () => {
    if (!probed) { probed = true; return Promise.resolve(); }
    return f().then((o) => { sink += o[o.length - 1]; });
  };
}

// The cases of one suite, each { name, call (for the check; may return a Promise), timed (benny's
// argument) }. `d` is { p, q } or { p, q, cols }.
function casesFor(measure, d, { workers = true } = {}) {
  const out = [];
  const { p, q, cols } = d;
  const self = CHILD === 'scalar' ? 'wasm-scalar' : 'wasm-simd';
  const add = (name, call, timed) => out.push({ name, call, timed });
  const withWorkers = workers && CHILD === '' && has('workers');
  switch (measure) {
    case 'entropy': {
      const f = lib.entropy, t = tsEngine.entropy;
      if (has(self)) add(self, () => f(p), syncCase(() => f(p)));
      if (CHILD === '' && has('ts')) add('ts', () => t(p), syncCase(() => t(p)));
      const par = withWorkers && parallelFn('entropyParallel');
      if (par) for (const k of WORKERS) { const o = { workers: k }; add(`workers:${k}`, () => par(p, o), asyncCase(() => par(p, o))); }
      add('naive', () => naiveEntropy(p), syncCase(() => naiveEntropy(p)));
      break;
    }
    case 'crossEntropy':
    case 'klDivergence': {
      const f = lib[measure], t = tsEngine[measure];
      const nv = measure === 'crossEntropy' ? naiveCrossEntropy : naiveKlDivergence;
      if (has(self)) add(self, () => f(p, q), syncCase(() => f(p, q)));
      if (CHILD === '' && has('ts')) add('ts', () => t(p, q), syncCase(() => t(p, q)));
      const par = withWorkers && parallelFn(`${measure}Parallel`);
      if (par) for (const k of WORKERS) { const o = { workers: k }; add(`workers:${k}`, () => par(p, q, o), asyncCase(() => par(p, q, o))); }
      add('naive', () => nv(p, q), syncCase(() => nv(p, q)));
      break;
    }
    case 'entropyBatch': {
      const f = lib.entropyBatch, t = tsEngine.entropyBatch;
      if (has(self)) add(self, () => f(p, cols), syncBatchCase(() => f(p, cols)));
      if (CHILD === '' && has('ts')) add('ts', () => t(p, cols), syncBatchCase(() => t(p, cols)));
      const par = withWorkers && parallelFn('entropyBatchParallel');
      if (par) for (const k of WORKERS) { const o = { workers: k }; add(`workers:${k}`, () => par(p, cols, o), asyncBatchCase(() => par(p, cols, o))); }
      add('naive', () => naiveEntropyBatch(p, cols), syncBatchCase(() => naiveEntropyBatch(p, cols)));
      break;
    }
    case 'crossEntropyBatch':
    case 'klDivergenceBatch': {
      const f = lib[measure], t = tsEngine[measure];
      const nv = measure === 'crossEntropyBatch' ? naiveCrossEntropyBatch : naiveKlDivergenceBatch;
      if (has(self)) add(self, () => f(p, q, cols), syncBatchCase(() => f(p, q, cols)));
      if (CHILD === '' && has('ts')) add('ts', () => t(p, q, cols), syncBatchCase(() => t(p, q, cols)));
      const par = withWorkers && parallelFn(`${measure}Parallel`);
      if (par) for (const k of WORKERS) { const o = { workers: k }; add(`workers:${k}`, () => par(p, q, cols, o), asyncBatchCase(() => par(p, q, cols, o))); }
      add('naive', () => nv(p, q, cols), syncBatchCase(() => nv(p, q, cols)));
      break;
    }
    default:
      die(`unknown measure ${measure}`);
  }
  return out;
}

// Called once per suite before timing (it doubles as a warm-up, and starts worker pools): every
// library case must return the same bits as TS (the child, which times no TS case, asks
// tsEngine itself); the naive loop only closely. A wrong or non-finite result stops the run.
const warnings = [];
async function check(label, measure, d, cases) {
  const vals = {};
  for (const c of cases) {
    try {
      vals[c.name] = await c.call();
    } catch (e) {
      die(`${label}: ${c.name} threw ${e?.name ?? 'an error'}: ${e?.message ?? e}`);
    }
  }
  if (!vals.ts && !(CHILD === '' && !has('ts'))) {
    const t = tsEngine[measure];
    vals['ts (check)'] = measure.endsWith('Batch')
      ? (measure === 'entropyBatch' ? t(d.p, d.cols) : t(d.p, d.q, d.cols))
      : (measure === 'entropy' ? t(d.p) : t(d.p, d.q));
  }
  const batch = measure.endsWith('Batch');
  const names = Object.keys(vals);
  const rowsOf = (v) => (batch ? Array.from(v) : [v]);
  const ref = names.find((n) => n !== 'naive');
  const refRows = rowsOf(vals[ref]);
  let worst = 0;
  for (const n of names) {
    const rows = rowsOf(vals[n]);
    if (rows.length !== refRows.length) die(`${label}: ${n} returned ${rows.length} values, ${ref} ${refRows.length}`);
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i], r = refRows[i];
      if (!Number.isFinite(v)) die(`${label}: ${n} returned a non-finite value ${v}${batch ? ` in row ${i}` : ''}`);
      if (n === 'naive') worst = Math.max(worst, Math.abs(v - r) / Math.max(Math.abs(r), 1e-300));
      else if (!Object.is(v, r)) die(`${label}: ${n} returned ${v} and ${ref} ${r}${batch ? ` in row ${i}` : ''}; they must be bit-identical`);
    }
  }
  // 1e-9: far above the naive loop's rounding error at 1e7 terms, far below any real bug
  if (worst > 1e-9) warnings.push(`${label}: naive loop differs from the library by ${worst.toExponential(2)} (relative)`);
  return refRows[0];
}

// ---------------------------------------------------------------------------------------------
// One suite: benny times the cases of one (data, measure, size) back to back.

const fmtN = (n) => {
  const e = Math.log10(n);
  return Number.isInteger(e) && e >= 2 ? `1e${e}` : String(n);
};
const fmtShape = ({ rows, cols }) => `${fmtN(rows)}x${cols >= 1e4 ? fmtN(cols) : cols}`;

async function runSuite(label, measure, d, elements, opts, checked) {
  const cases = casesFor(measure, d, opts);
  // the first round checks (and warms up) every case; later rounds reuse its value, since the
  // data do not change (benny's own first call warms each case up again)
  const value = checked ?? await check(label, measure, d, cases);
  let tCase = performance.now();
  // benny announces each suite with console.log; send that chatter to stderr with the progress
  const log = console.log;
  console.log = console.error;
  const summary = await b.suite(
    label,
    ...cases.map((c) => b.add(c.name, c.timed)),
    b.configure({ cases: CASE_OPTIONS, minDisplayPrecision: 6 }),
    b.cycle((r) => {
      const t = performance.now();
      process.stderr.write(`  ${label.padEnd(30)} ${r.name.padEnd(11)} ${(1e9 / (r.ops * elements)).toFixed(2).padStart(10)} ns/el  ±${r.margin.toFixed(1)}%  (${r.samples} samples, ${((t - tCase) / 1e3).toFixed(1)} s)\n`);
      tCase = t;
    }),
    b.complete(() => {}),
  ).finally(() => { console.log = log; });
  if (!Number.isFinite(sink)) die(`${label}: sink is not finite (${sink})`);
  const out = {};
  // a case's figure is the median of its samples (seconds per call), which a burst of load from
  // other processes moves less than the mean (benny's ops); mean and min are kept in the JSON
  for (const r of summary.results) {
    const sec = r.details.median;
    out[r.name] = {
      nsPerEl: (sec * 1e9) / elements, usPerCall: sec * 1e6,
      meanNsPerEl: 1e9 / (r.ops * elements), minNsPerEl: (r.details.min * 1e9) / elements,
      rme: r.margin, samples: r.samples,
    };
  }
  for (const name of Object.keys(out)) out[name].ratio = out.naive.nsPerEl / out[name].nsPerEl;
  return { value, impls: out };
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// The plan: one-shot measures over every (data, size), a small-call suite, and the batch shapes.
function makePlan() {
  const plan = [];
  for (const kind of DATA) {
    for (const n of SIZES) for (const measure of MEASURES) plan.push({ kind, measure, n });
  }
  if (SMALL > 0) plan.push({ kind: 'dense', measure: 'entropy', n: SMALL, small: true });
  for (const kind of BATCH_DATA) {
    for (const { rows, cols } of BATCH) {
      for (const m of MEASURES) plan.push({ kind, measure: `${m}Batch`, rows, cols });
    }
  }
  return plan.map((g) => ({
    ...g,
    key: g.n !== undefined ? `${g.kind}|${g.measure}|${g.n}${g.small ? '|small' : ''}` : `${g.kind}|${g.measure}|${g.rows}x${g.cols}`,
    dataKey: g.n !== undefined ? `${g.kind}:${g.n}` : `${g.kind}:${g.rows}x${g.cols}`,
    label: g.n !== undefined ? `${g.kind} ${g.measure} n=${fmtN(g.n)}` : `${g.kind} ${g.measure} ${fmtShape(g)}`,
    elements: g.n ?? g.rows * g.cols,
    runs: [],
  }));
}

// Runs every round of the plan in this process; returns the groups with per-round results and
// medians. Data sets are made once and kept (a few hundred MB at the default sizes).
async function runRounds(who) {
  const groups = makePlan();
  const cache = new Map();
  const dataFor = (g) => {
    if (!cache.has(g.dataKey)) cache.set(g.dataKey, g.n !== undefined ? makeData(g.kind, g.n) : makeBatch(g.kind, g.rows, g.cols));
    return cache.get(g.dataKey);
  };
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`${who}: round ${round + 1} of ${ROUNDS}\n`);
    for (const g of groups) {
      const d = dataFor(g);
      g.zeros = d.zeros;
      g.runs.push(await runSuite(g.label, g.measure, d, g.elements, { workers: !g.small }, g.runs[0]?.value));
    }
  }
  for (const g of groups) {
    g.result = {};
    for (const name of Object.keys(g.runs[0].impls)) {
      const rs = g.runs.map((r) => r.impls[name]);
      g.result[name] = {
        nsPerEl: median(rs.map((r) => r.nsPerEl)),
        usPerCall: median(rs.map((r) => r.usPerCall)),
        ratio: median(rs.map((r) => r.ratio)),
        rme: median(rs.map((r) => r.rme)),
        rounds: rs.map((r) => ({ nsPerEl: r.nsPerEl, meanNsPerEl: r.meanNsPerEl, minNsPerEl: r.minNsPerEl, ratio: r.ratio, rme: r.rme, samples: r.samples })),
      };
    }
    // workers vs the single-threaded wasm case, within each round
    for (const name of Object.keys(g.result).filter((n) => n.startsWith('workers:') && g.result['wasm-simd'])) {
      g.result[name].vsWasm = median(g.runs.map((r) => r.impls['wasm-simd'].nsPerEl / r.impls[name].nsPerEl));
    }
    g.value = g.runs[0].value;
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// The scalar child: run the plan, print the groups as JSON on stdout, exit.

if (CHILD === 'scalar') {
  const got = await init();
  if (got !== 'wasm') die(`expected the scalar binary ('wasm') with the SIMD probe rejected, got '${got}'`);
  const groups = await runRounds('wasm-scalar child');
  if (!Number.isFinite(sink)) die(`sink is not finite: ${sink}`);
  process.stdout.write(JSON.stringify(groups.map((g) => ({ key: g.key, value: g.value, result: g.result }))));
  process.exit(0);
}
if (CHILD !== '') die(`unknown BENCH_CHILD=${CHILD}`);

// ---------------------------------------------------------------------------------------------
// Parent: init timing (fresh processes), then the rounds, the scalar child, memory, python.

function timeInit(flavor) {
  const patch = flavor === 'wasm'
    ? 'const v = WebAssembly.validate; WebAssembly.validate = (b) => (b.length < 64 ? false : v(b));'
    : '';
  const src = `${patch}
    const t0 = performance.now();
    const m = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
    const t1 = performance.now();
    const backend = await m.init();
    const t2 = performance.now();
    const p = new Float64Array(1000).fill(1);
    m.entropy(p);
    const t3 = performance.now();
    console.log(JSON.stringify({ importMs: t1 - t0, initMs: t2 - t1, firstCallMs: t3 - t2, backend }));`;
  const runs = [];
  for (let i = 0; i < INIT_RUNS; i++) {
    const text = execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8' });
    runs.push(JSON.parse(text.trim().split('\n').pop()));
  }
  return {
    runs,
    importMs: median(runs.map((r) => r.importMs)),
    initMs: median(runs.map((r) => r.initMs)),
    firstCallMs: median(runs.map((r) => r.firstCallMs)),
    backend: runs[0].backend,
  };
}

const t0 = performance.now();
const loaded = await init();
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const cpus = os.cpus();
const meta = {
  package: `${pkg.name}@${pkg.version}`,
  lib: LIB_URL.pathname,
  backend: backend(),
  initResolved: loaded,
  node: process.version,
  v8: process.versions.v8,
  platform: `${os.platform()} ${os.arch()}`,
  cpus: `${cpus.length} x ${cpus[0]?.model?.trim() ?? 'unknown'}`,
  loadavg: os.loadavg(),
  date: new Date().toISOString(),
  sizes: SIZES, data: DATA, measures: MEASURES, batch: BATCH, batchData: BATCH_DATA, small: SMALL,
  cases: CASES, workers: WORKERS, rounds: ROUNDS, caseOptions: CASE_OPTIONS,
};
console.log(`${meta.package} benchmark${QUICK ? ' (BENCH_QUICK=1)' : ''}`);
console.log(`backend(): ${meta.backend}   Node ${meta.node} (V8 ${meta.v8})   ${meta.platform}, ${meta.cpus}   load ${meta.loadavg.map((x) => x.toFixed(2)).join(' ')}`);
if (LIB_URL.pathname !== new URL('../dist/index.js', import.meta.url).pathname) console.log(`library: ${meta.lib} (BENCH_LIB)`);
if (meta.backend !== 'wasm-simd') console.log(`warning: the automatic backend is '${meta.backend}', not wasm-simd; the "wasm-simd" cases ran on it`);

process.stderr.write(`timing init in ${INIT_RUNS} fresh processes per binary...\n`);
const initTiming = { 'wasm-simd': timeInit('wasm-simd'), 'wasm-scalar': timeInit('wasm') };

const groups = await runRounds('main');
if (!Number.isFinite(sink)) die(`sink is not finite: ${sink}`);

// The scalar binary in a child process: the same plan and rounds; its ratios are its own.
let scalarNote = '';
if (has('wasm-scalar')) {
  process.stderr.write('wasm-scalar: running the plan in a child process...\n');
  const out = execFileSync(process.execPath, [SELF], {
    env: { ...process.env, BENCH_CHILD: 'scalar' }, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const byKey = new Map(JSON.parse(out).map((g) => [g.key, g]));
  for (const g of groups) {
    const c = byKey.get(g.key);
    if (!c) continue;
    if (!Object.is(c.value, g.value)) die(`${g.label}: wasm-scalar returned ${c.value}, the main process ${g.value}`);
    g.result['wasm-scalar'] = c.result['wasm-scalar'];
    g.result['naive (scalar child)'] = c.result.naive;
  }
  scalarNote = 'wasm-scalar ran in a child process (SIMD probe rejected); its ratio is to the naive loop timed in that child';
}
if (typeof lib.terminatePool === 'function') await lib.terminatePool();

// Peak extra memory of one-shot calls (bench/memory.mjs, one fresh process per backend and measure).
let memory = null;
if (MEMORY_N > 0) {
  process.stderr.write(`memory: one-shot calls over ${fmtN(MEMORY_N)} bins (bench/memory.mjs)...\n`);
  const out = execFileSync(process.execPath, [new URL('./memory.mjs', import.meta.url).pathname, String(MEMORY_N), MEMORY_BACKENDS.join(',')], {
    env: { ...process.env, MEMORY_JSON: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  memory = { n: MEMORY_N, rows: JSON.parse(out) };
}

// Python (numpy/scipy) on the same data, as context, when asked for and available.
let python = null;
if (PYTHON) python = runPython();

function runPython() {
  try {
    execFileSync(PYTHON_CMD, ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
  } catch {
    console.log(`\npython: skipped (${PYTHON_CMD} with numpy and scipy is not available)`);
    return { skipped: true };
  }
  process.stderr.write('python: timing scipy.stats.entropy and numpy on the same data...\n');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'entropy-wasm-bench-py-'));
  try {
    const files = [];
    for (const kind of DATA) {
      for (const n of SIZES) {
        const { p } = makeData(kind, n);
        const file = path.join(dir, `${kind}-${n}.f64`);
        writeFileSync(file, p);
        files.push({ kind, n, file });
      }
    }
    const spec = path.join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ files, rounds: ROUNDS, minTime: CASE_OPTIONS.maxTime }));
    const out = execFileSync(PYTHON_CMD, [new URL('./python_bench.py', import.meta.url).pathname, spec], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    const res = JSON.parse(out);
    // context, not a same-process ratio: against the naive JS loop's median from the main rounds
    for (const r of res.results) {
      const g = groups.find((x) => x.kind === r.kind && x.measure === 'entropy' && x.n === r.n && !x.small);
      r.vsNaiveJs = g ? g.result.naive.nsPerEl / r.nsPerEl : NaN;
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const IMPL_ORDER = ['wasm-simd', 'wasm-scalar', 'ts', ...WORKERS.map((k) => `workers:${k}`), 'naive'];
const shown = IMPL_ORDER.filter((n) => groups.some((g) => g.result[n]));
const sizeOf = (g) => (g.n !== undefined ? fmtN(g.n) : fmtShape(g));
// spread: (max - min) / median of the wasm-simd ratio over the rounds (every round of every case
// is in latest.json)
const spreadOf = (g) => {
  const rs = (g.result['wasm-simd'] ?? g.result.naive).rounds.map((r) => r.ratio);
  return (Math.max(...rs) - Math.min(...rs)) / median(rs);
};

function table(title, gs, unit) {
  if (gs.length === 0) return;
  // workers:K against the single-threaded wasm-simd case (within a round, then the median)
  const wk = shown.filter((n) => n.startsWith('workers:') && gs.some((g) => g.result[n]?.vsWasm !== undefined));
  const head = ['data', 'measure', 'size', ...shown.map((n) => `${n} ${unit}`), ...wk.map((n) => `${n} vs wasm`), ...(ROUNDS > 1 ? ['spread'] : [])];
  const rows = gs.map((g) => [
    g.kind, g.measure, sizeOf(g),
    ...shown.map((n) => {
      const r = g.result[n];
      if (!r) return '-';
      const v = unit === 'us/call' ? r.usPerCall.toFixed(3) : r.nsPerEl.toFixed(2);
      return n === 'naive' ? v : `${v} (${r.ratio.toFixed(2)}x)`;
    }),
    ...wk.map((n) => (g.result[n]?.vsWasm !== undefined ? `${g.result[n].vsWasm.toFixed(2)}x` : '-')),
    ...(ROUNDS > 1 ? [`${(100 * spreadOf(g)).toFixed(0)}%`] : []),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i < 3 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  let last = gs[0].kind;
  for (let i = 0; i < rows.length; i++) {
    if (gs[i].kind !== last) { console.log(''); last = gs[i].kind; }
    console.log(line(rows[i]));
  }
}

console.log('');
console.log(`cells: ns per element (median of benny's samples x 1e9 / elements; lower is better) and, in parentheses, the`);
console.log(`ratio naive ns/el / case ns/el from the same round (> 1: faster than the Math.log loop);`);
console.log(`median of ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} in one process${ROUNDS > 1 ? '; spread = (max - min) / median of the wasm-simd ratio over the rounds' : ''}.`);
if (scalarNote) console.log(scalarNote + '.');
if (missingParallel.length) console.log(`note: ${missingParallel.map((n) => `lib.${n}`).join(', ')} missing in this build (src/parallel/ not merged yet?): those workers cases were skipped`);
table('one-shot measures', groups.filter((g) => g.n !== undefined && !g.small), 'ns/el');
table(`small call: ${SMALL} bins (per call)`, groups.filter((g) => g.small), 'us/call');
table('batches (rows x columns; ns per element of the whole matrix)', groups.filter((g) => g.rows !== undefined), 'ns/el');
const zipfGroup = groups.filter((g) => g.kind === 'zipf' && g.n !== undefined).sort((x, y) => y.n - x.n)[0];
if (zipfGroup) console.log(`\nzipf data: ${(100 * zipfGroup.zeros / zipfGroup.n).toFixed(1)} % zeros at n=${fmtN(zipfGroup.n)}; q is dense U(0,1) for every data set`);

for (const [flavor, t] of Object.entries(initTiming)) {
  console.log(
    `init ${flavor.padEnd(11)} (fresh process, median of ${INIT_RUNS}): import ${t.importMs.toFixed(2)} ms, ` +
    `await init() ${t.initMs.toFixed(2)} ms -> '${t.backend}', first entropy(1e3) ${t.firstCallMs.toFixed(2)} ms` +
    `   [init runs: ${t.runs.map((r) => r.initMs.toFixed(2)).join(', ')} ms]`,
  );
}
if (memory) {
  console.log(`\npeak extra memory, one-shot over ${fmtN(memory.n)} bins (bench/memory.mjs: maxRSS after - RSS before, fresh process each):`);
  for (const r of memory.rows) console.log(`  ${r.backend.padEnd(10)} ${r.measure.padEnd(13)} ${(r.extraKiB / 1024).toFixed(2).padStart(7)} MiB`);
}
if (python && !python.skipped) {
  console.log(`\npython ${python.python} numpy ${python.numpy} scipy ${python.scipy} (same p, median of ${ROUNDS} rounds; ratio to the naive JS loop's median: cross-process, context only):`);
  for (const r of python.results) {
    console.log(`  ${r.kind.padEnd(5)} n=${fmtN(r.n).padEnd(4)} ${r.case.padEnd(28)} ${r.nsPerEl.toFixed(2).padStart(9)} ns/el  (${r.vsNaiveJs.toFixed(2)}x naive JS)`);
  }
}
for (const w of warnings) console.log(`warning: ${w}`);

// ---------------------------------------------------------------------------------------------
// Targets

const find = (kind, measure, n) => groups.find((g) => g.kind === kind && g.measure === measure && g.n === n && !g.small);
const findBatch = (kind, measure, rows, cols) => groups.find((g) => g.kind === kind && g.measure === measure && g.rows === rows && g.cols === cols);
const targets = [];
function target(name, value, ok, fmt, why = '') {
  targets.push({ name, value: Number.isFinite(value) ? value : null, status: Number.isFinite(value) ? (ok(value) ? 'PASS' : 'FAIL') : 'n/a', shown: Number.isFinite(value) ? fmt(value) : 'not measured', why });
}
const x2 = (v) => `${v.toFixed(2)}x`;
{
  const e7 = find('dense', 'entropy', 1e7);
  const ce7 = find('dense', 'crossEntropy', 1e7);
  const kl7 = find('dense', 'klDivergence', 1e7);
  const r = (g, name, f = 'ratio') => g?.result[name]?.[f] ?? NaN;
  target('10^7 dense wasm entropy >= 2.5x naive', r(e7, 'wasm-simd'), (v) => v >= 2.5, x2);
  target('10^7 dense wasm cross entropy >= 2x naive', r(ce7, 'wasm-simd'), (v) => v >= 2, x2);
  target('10^7 dense wasm KL divergence >= 2x naive', r(kl7, 'wasm-simd'), (v) => v >= 2, x2);
  target('10^7 dense TS entropy >= 1.0x naive', r(e7, 'ts'), (v) => v >= 1, x2);
  const w2 = e7?.result['workers:2'];
  target('10^7 dense entropy, workers:2 >= 1.7x single-threaded wasm', w2?.vsWasm ?? NaN, (v) => v >= 1.7, x2,
    w2 ? '' : missingParallel.length ? 'entropyParallel missing' : '');
  const perEl = (g) => g?.result['wasm-simd']?.nsPerEl ?? NaN;
  const b100 = findBatch('dense', 'entropyBatch', 1e5, 100);
  const b16 = findBatch('dense', 'entropyBatch', 1e5, 16);
  target('entropyBatch 10^5x100 ns/el <= 1.3x 10^7 entropy ns/el (wasm)', perEl(b100) / perEl(e7), (v) => v <= 1.3, x2);
  target('entropyBatch 10^5x16 ns/el <= 2x 10^7 entropy ns/el (wasm)', perEl(b16) / perEl(e7), (v) => v <= 2, x2);
  const small = groups.find((g) => g.small && g.n === 16);
  target('16-bin entropy <= 0.5 us per call (automatic backend)', small?.result['wasm-simd']?.usPerCall ?? NaN, (v) => v <= 0.5, (v) => `${v.toFixed(3)} us`);
  const memWorst = memory && memory.n === 1e8 ? Math.max(...memory.rows.map((m) => m.extraKiB)) * 1024 : NaN;
  target(`one-shot over 10^8 bins: peak extra memory <= 8 MB (worst of ${MEMORY_BACKENDS.join('/')} x 3 measures)`, memWorst, (v) => v <= 8e6,
    (v) => `${(v / 1e6).toFixed(2)} MB`);
  target('floor: 10^7 dense wasm entropy >= 1.5x naive', r(e7, 'wasm-simd'), (v) => v >= 1.5, x2);
  target('floor: 10^7 dense TS entropy time <= 1.1x naive time', 1 / r(e7, 'ts'), (v) => v <= 1.1, x2);
  // the same ratios for the other measures, as information
  const info = [];
  for (const m of ['crossEntropy', 'klDivergence']) {
    const g7 = find('dense', m, 1e7);
    const w = g7?.result['workers:2']?.vsWasm;
    if (w !== undefined) info.push(`${m} 10^7 workers:2 vs wasm ${x2(w)}`);
    for (const [rows, cols] of [[1e5, 100], [1e5, 16]]) {
      const bg = findBatch('dense', `${m}Batch`, rows, cols);
      const v = perEl(bg) / perEl(g7);
      if (Number.isFinite(v)) info.push(`${m}Batch ${fmtN(rows)}x${cols} / 10^7 ${x2(v)}`);
    }
  }
  console.log('\ntargets (medians of the rounds; ratios within a round)');
  const w = Math.max(...targets.map((t) => t.name.length));
  for (const t of targets) console.log(`  ${t.status.padEnd(4)}  ${t.name.padEnd(w)}  ${t.shown}${t.why ? `  (${t.why})` : ''}`);
  if (info.length) console.log(`  info: ${info.join('; ')}`);
}

const seconds = (performance.now() - t0) / 1e3;
meta.loadavgEnd = os.loadavg();
console.log(`\nload average at the start ${meta.loadavg.map((x) => x.toFixed(2)).join(' ')}, at the end ${meta.loadavgEnd.map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
console.log(`total ${seconds.toFixed(1)} s; sink ${sink} (finite); results in bench/results/latest.json and chart.html`);

const json = {
  meta: { ...meta, init: initTiming, seconds, missingParallel, scalarNote },
  cases: groups.map((g) => ({
    data: g.kind, measure: g.measure,
    ...(g.n !== undefined ? { n: g.n } : { rows: g.rows, cols: g.cols }),
    ...(g.small ? { small: true } : {}),
    elements: g.elements, zeros: g.zeros, value: g.value, results: g.result,
  })),
  memory, python, targets, warnings,
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(new URL('latest.json', RESULTS), JSON.stringify(json, null, 2) + '\n');
writeFileSync(new URL(`run-${meta.date.replace(/[:.]/g, '-')}.json`, RESULTS), JSON.stringify(json) + '\n');
writeFileSync(new URL('chart.html', RESULTS), chartHtml(json, { order: shown, fmtN, fmtShape }));
