// entropy-wasm benchmark: the built package (dist/) on WebAssembly and on the pure-TS engine,
// against the loop a user would write with Math.log. Run with `npm run bench` (builds first) or,
// after a build, `node bench/entropy.bench.mjs`. See bench/README.md for the knobs and how to read
// the table; results go to bench/results/ (git-ignored).
//
// Method (STYLE.md 7.8, perf-techniques.md 4-5): benny times every case; each case's setup
// returns the timed function, so data generation and allocation stay outside the timing. Every
// result goes into a sink that must be finite at the end, and before timing each case is called
// once and checked (WebAssembly and TS bit-identical, naive loop close). The ratio to the naive
// loop always compares two numbers from the same run. Init is timed in fresh processes.
import b from 'benny';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const DIST = new URL('../dist/index.js', import.meta.url);
const RESULTS = new URL('./results/', import.meta.url);

let lib;
try {
  lib = await import(DIST.href);
} catch (e) {
  console.error(`cannot load ${DIST.pathname} (${e.message}); run \`npm run build\` first`);
  process.exit(1);
}
const { init, backend, entropy, crossEntropy, klDivergence, entropyBatch, tsEngine } = lib;
const tsEntropy = tsEngine.entropy;
const tsCrossEntropy = tsEngine.crossEntropy;
const tsKlDivergence = tsEngine.klDivergence;
const tsEntropyBatch = tsEngine.entropyBatch;

// ---------------------------------------------------------------------------------------------
// Configuration (environment)

function envList(name, fallback) {
  const v = process.env[name];
  return (v === undefined || v.trim() === '' ? fallback : v).split(',').map((s) => s.trim()).filter(Boolean);
}
function envNumber(name, fallback, ok) {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return fallback;
  const x = Number(v);
  if (!ok(x)) die(`${name}=${v} is not valid`);
  return x;
}
function die(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}
const isCount = (x) => Number.isInteger(x) && x >= 1 && x <= 1e8;

const SIZES = envList('BENCH_SIZES', '1e2,1e4,1e6,1e7').map((s) => {
  const n = Number(s);
  if (!isCount(n)) die(`BENCH_SIZES entry "${s}" is not an integer in [1, 1e8]`);
  return n;
});
const DATA = envList('BENCH_DATA', 'dense,zipf');
for (const d of DATA) if (d !== 'dense' && d !== 'zipf') die(`BENCH_DATA entry "${d}" (expected dense, zipf)`);
// BENCH_BATCH="1e5x16,1e5x100" (rows x columns); "none" skips the batch suites.
const BATCH = (process.env.BENCH_BATCH ?? '').trim() === 'none' ? [] : envList('BENCH_BATCH', '1e5x16,1e5x100').map((s) => {
  const [r, c] = s.split(/[x×*]/).map(Number);
  if (!isCount(r) || !isCount(c) || r * c > 1e8) die(`BENCH_BATCH entry "${s}" (expected ROWSxCOLS)`);
  return { rows: r, cols: c };
});
const REPEATS = envNumber('BENCH_REPEATS', 1, (x) => Number.isInteger(x) && x >= 1 && x <= 50);
// benchmark.js stops a case once it has minSamples samples AND maxTime seconds have passed. One
// sample lasts at least 50 ms (benchmark.js minTime), so maxTime 0.5 gives about 10 samples for the
// small sizes, and minSamples keeps a 10^7 case (up to ~0.5 s a call) at 5 calls.
const CASE_OPTIONS = {
  minSamples: envNumber('BENCH_MIN_SAMPLES', 5, (x) => Number.isInteger(x) && x >= 2),
  maxTime: envNumber('BENCH_MAX_TIME', 0.5, (x) => x > 0),
};
const INIT_RUNS = envNumber('BENCH_INIT_RUNS', 5, (x) => Number.isInteger(x) && x >= 1);

// ---------------------------------------------------------------------------------------------
// Seeded data (no Math.random): sfc32, seeded through splitmix32; doubles in the open (0, 1).

function rng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = mix(), bb = mix(), c = mix(), d = mix();
  const u32 = () => {
    const t = (((a + bb) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = bb ^ (bb >>> 9);
    bb = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  // 53 random bits + 1/2 ulp: never 0, never 1, so Lomax draws stay finite
  return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6) + 0.5) / 9007199254740992;
}

// dense: U(0,1) weights. zipf: floor(3 * Lomax(1.1)) counts (perf-techniques.md 5's zipf set), about
// 27 % zeros with a heavy tail. Both normalized to sum 1, so the naive loop gets what it expects.
function weights(kind, n, seed) {
  const u = rng(seed);
  const x = new Float64Array(n);
  if (kind === 'dense') for (let i = 0; i < n; i++) x[i] = u();
  else for (let i = 0; i < n; i++) x[i] = Math.floor(3 * (u() ** (-1 / 1.1) - 1));
  return x;
}
function normalizeRows(x, cols) {
  for (let off = 0; off < x.length; off += cols) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[off + j];
    if (s === 0) { x[off] = 1; s = 1; } // an all-zero row is an error for the library
    for (let j = 0; j < cols; j++) x[off + j] /= s;
  }
  return x;
}
const seedOf = (...parts) => parts.reduce((h, p) => Math.imul(h ^ Number(p), 0x01000193) >>> 0, 0x811c9dc5);

// p is `kind`; q is always dense (strictly positive), so H(p, q) and D(p || q) stay finite.
function makeData(kind, n) {
  const p = normalizeRows(weights(kind, n, seedOf(kind === 'dense' ? 1 : 2, n, 1)), n);
  const q = normalizeRows(weights('dense', n, seedOf(3, n, 2)), n);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (p[i] === 0) zeros++;
  return { p, q, zeros };
}
function makeBatch(kind, rows, cols) {
  return normalizeRows(weights(kind, rows * cols, seedOf(kind === 'dense' ? 4 : 5, rows, cols)), cols);
}

// ---------------------------------------------------------------------------------------------
// The naive loops: what a user writes over an already normalized Float64Array.

function naiveEntropy(p) {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(x); }
  return s;
}
function naiveCrossEntropy(p, q) {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(q[i]); }
  return s;
}
function naiveKlDivergence(p, q) {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const x = p[i]; if (x > 0) s += x * Math.log(x / q[i]); }
  return s;
}
function naiveEntropyBatch(rows, cols) {
  const m = rows.length / cols;
  const out = new Float64Array(m);
  for (let r = 0, off = 0; r < m; r++, off += cols) {
    let s = 0;
    for (let j = 0; j < cols; j++) { const x = rows[off + j]; if (x > 0) s -= x * Math.log(x); }
    out[r] = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cases. Each timed closure is its own function literal (not one generic wrapper), so V8 keeps a
// monomorphic call site per case; every result lands in `sink`.

let sink = 0;
const IMPLS = ['wasm', 'ts', 'naive'];
const MEASURES = {
  entropy: {
    call: { wasm: (d) => entropy(d.p), ts: (d) => tsEntropy(d.p), naive: (d) => naiveEntropy(d.p) },
    setup: {
      wasm: ({ p }) => () => { sink += entropy(p); },
      ts: ({ p }) => () => { sink += tsEntropy(p); },
      naive: ({ p }) => () => { sink += naiveEntropy(p); },
    },
  },
  crossEntropy: {
    call: { wasm: (d) => crossEntropy(d.p, d.q), ts: (d) => tsCrossEntropy(d.p, d.q), naive: (d) => naiveCrossEntropy(d.p, d.q) },
    setup: {
      wasm: ({ p, q }) => () => { sink += crossEntropy(p, q); },
      ts: ({ p, q }) => () => { sink += tsCrossEntropy(p, q); },
      naive: ({ p, q }) => () => { sink += naiveCrossEntropy(p, q); },
    },
  },
  klDivergence: {
    call: { wasm: (d) => klDivergence(d.p, d.q), ts: (d) => tsKlDivergence(d.p, d.q), naive: (d) => naiveKlDivergence(d.p, d.q) },
    setup: {
      wasm: ({ p, q }) => () => { sink += klDivergence(p, q); },
      ts: ({ p, q }) => () => { sink += tsKlDivergence(p, q); },
      naive: ({ p, q }) => () => { sink += naiveKlDivergence(p, q); },
    },
  },
  entropyBatch: {
    call: {
      wasm: (d) => entropyBatch(d.rows, d.cols),
      ts: (d) => tsEntropyBatch(d.rows, d.cols),
      naive: (d) => naiveEntropyBatch(d.rows, d.cols),
    },
    // the last row keeps the whole output observable without a timed O(rows) fold
    setup: {
      wasm: ({ rows, cols }) => () => { const o = entropyBatch(rows, cols); sink += o[o.length - 1]; },
      ts: ({ rows, cols }) => () => { const o = tsEntropyBatch(rows, cols); sink += o[o.length - 1]; },
      naive: ({ rows, cols }) => () => { const o = naiveEntropyBatch(rows, cols); sink += o[o.length - 1]; },
    },
  },
};

// Called once per case before timing: a wrong or non-finite result fails the run, and the check
// doubles as a warm-up. WebAssembly and TS must agree bit for bit; the naive loop (Math.log,
// rounded sum) only closely.
const warnings = [];
function check(label, measure, data) {
  const r = {};
  for (const impl of IMPLS) r[impl] = MEASURES[measure].call[impl](data);
  const vals = measure === 'entropyBatch' ? r : null;
  const pairs = vals
    ? [...Array(r.wasm.length).keys()].map((i) => [r.wasm[i], r.ts[i], r.naive[i]])
    : [[r.wasm, r.ts, r.naive]];
  let worst = 0;
  for (const [w, t, nv] of pairs) {
    if (!Number.isFinite(w) || !Number.isFinite(t) || !Number.isFinite(nv)) die(`${label}: non-finite result ${w} ${t} ${nv}`);
    if (!Object.is(w, t)) die(`${label}: WebAssembly ${w} and TS ${t} differ (they must be bit-identical)`);
    worst = Math.max(worst, Math.abs(w - nv) / Math.max(Math.abs(w), 1e-300));
  }
  // 1e-9: far above the naive loop's rounding error at 1e7 terms, far below any real bug
  if (worst > 1e-9) warnings.push(`${label}: naive loop differs from the library by ${worst.toExponential(2)} (relative)`);
  return vals ? r.wasm[0] : r.wasm;
}

// ---------------------------------------------------------------------------------------------
// Running one suite: benny times the three implementations of one (data, measure, size).

const fmtN = (n) => {
  const e = Math.log10(n);
  return Number.isInteger(e) && e >= 2 ? `1e${e}` : String(n);
};

async function runSuite(label, measure, data, elements) {
  const sinkBefore = sink;
  const value = check(label, measure, data);
  const out = {};
  // benny announces each suite with console.log; send that chatter to stderr with the progress
  const log = console.log;
  console.log = console.error;
  const summary = await b.suite(
    label,
    ...IMPLS.map((impl) => b.add(impl, () => MEASURES[measure].setup[impl](data))),
    b.configure({ cases: CASE_OPTIONS, minDisplayPrecision: 6 }),
    // progress on stderr, one line per case, so stdout stays the report
    b.cycle((result) => {
      process.stderr.write(`  ${label.padEnd(28)} ${result.name.padEnd(6)} ${(1e9 / (result.ops * elements)).toFixed(2).padStart(9)} ns/el  ±${result.margin.toFixed(1)}%  (${result.samples} samples)\n`);
    }),
    b.complete(() => {}),
  ).finally(() => { console.log = log; });
  for (const r of summary.results) {
    out[r.name] = { ops: r.ops, nsPerEl: 1e9 / (r.ops * elements), rme: r.margin, samples: r.samples };
  }
  if (!Number.isFinite(sink)) die(`${label}: sink is not finite (${sinkBefore} -> ${sink})`);
  for (const impl of IMPLS) out[impl].ratio = out.naive.nsPerEl / out[impl].nsPerEl;
  return { value, impls: out };
}

// ---------------------------------------------------------------------------------------------
// Init, timed in fresh processes: module import and `await init()` separately, median of runs.

function timeInit() {
  const src = `
    const t0 = performance.now();
    const m = await import(${JSON.stringify(DIST.href)});
    const t1 = performance.now();
    const backend = await m.init();
    const t2 = performance.now();
    console.log(JSON.stringify({ importMs: t1 - t0, initMs: t2 - t1, backend }));`;
  const runs = [];
  for (let i = 0; i < INIT_RUNS; i++) {
    const text = execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8' });
    runs.push(JSON.parse(text.trim().split('\n').pop()));
  }
  return {
    runs,
    importMs: median(runs.map((r) => r.importMs)),
    initMs: median(runs.map((r) => r.initMs)),
    backend: runs[0].backend,
  };
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------------------------------------
// Main

const t0 = performance.now();
const loaded = await init();
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const cpus = os.cpus();
const meta = {
  package: `${pkg.name}@${pkg.version}`,
  backend: backend(),
  initResolved: loaded,
  node: process.version,
  v8: process.versions.v8,
  platform: `${os.platform()} ${os.arch()}`,
  cpus: `${cpus.length} x ${cpus[0]?.model?.trim() ?? 'unknown'}`,
  date: new Date().toISOString(),
  sizes: SIZES,
  data: DATA,
  batch: BATCH,
  repeats: REPEATS,
  caseOptions: CASE_OPTIONS,
};
console.log(`${meta.package} benchmark`);
console.log(`backend(): ${meta.backend}   Node ${meta.node} (V8 ${meta.v8})   ${meta.platform}, ${meta.cpus}`);
if (meta.backend === 'ts') console.log('warning: WebAssembly is unavailable here, so the "wasm" cases ran on the TS engine');

process.stderr.write(`timing init in ${INIT_RUNS} fresh processes...\n`);
const initTiming = timeInit();
console.log(
  `init (fresh process, median of ${INIT_RUNS}): import ${initTiming.importMs.toFixed(2)} ms, ` +
  `await init() ${initTiming.initMs.toFixed(2)} ms -> '${initTiming.backend}'` +
  `   [init runs: ${initTiming.runs.map((r) => r.initMs.toFixed(2)).join(', ')} ms]`,
);

// The plan: every (data, measure, size) and (data, batch shape). With BENCH_REPEATS > 1 the whole
// plan runs again in rounds, so a slow stretch of a noisy machine hits every case alike.
const plan = [];
for (const kind of DATA) {
  for (const n of SIZES) {
    for (const measure of ['entropy', 'crossEntropy', 'klDivergence']) plan.push({ kind, measure, n });
  }
  for (const { rows, cols } of BATCH) plan.push({ kind, measure: 'entropyBatch', rows, cols });
}
const groups = plan.map((c) => ({ ...c, elements: c.n ?? c.rows * c.cols, runs: [], zeros: 0 }));

for (let round = 0; round < REPEATS; round++) {
  if (REPEATS > 1) process.stderr.write(`round ${round + 1} of ${REPEATS}\n`);
  let data = null;
  let dataKey = '';
  for (const g of groups) {
    // one data set per (kind, size), made just before its three measures and then dropped
    const key = g.n !== undefined ? `${g.kind}:${g.n}` : `${g.kind}:${g.rows}x${g.cols}`;
    if (key !== dataKey) {
      data = null;
      data = g.n !== undefined ? makeData(g.kind, g.n) : { rows: makeBatch(g.kind, g.rows, g.cols), cols: g.cols };
      dataKey = key;
    }
    g.zeros = data.zeros ?? 0;
    const label = g.n !== undefined ? `${g.kind} ${g.measure} n=${fmtN(g.n)}` : `${g.kind} entropyBatch ${fmtN(g.rows)}x${g.cols}`;
    g.runs.push(await runSuite(label, g.measure, data, g.elements));
  }
  data = null;
}
if (!Number.isFinite(sink)) die(`sink is not finite: ${sink}`);

// ---------------------------------------------------------------------------------------------
// Report: medians over rounds (a ratio is taken within a run first, then its median).

for (const g of groups) {
  g.result = {};
  for (const impl of IMPLS) {
    const rs = g.runs.map((r) => r.impls[impl]);
    g.result[impl] = {
      nsPerEl: median(rs.map((r) => r.nsPerEl)),
      ratio: median(rs.map((r) => r.ratio)),
      rme: median(rs.map((r) => r.rme)),
      runs: rs,
    };
  }
}

const head = ['data', 'measure', 'n', 'wasm ns/el', '±%', 'ts ns/el', '±%', 'naive ns/el', '±%', 'wasm vs naive', 'ts vs naive'];
const rows = groups.map((g) => [
  g.kind,
  g.measure,
  g.n !== undefined ? fmtN(g.n) : `${fmtN(g.rows)}x${g.cols}`,
  g.result.wasm.nsPerEl.toFixed(2), g.result.wasm.rme.toFixed(1),
  g.result.ts.nsPerEl.toFixed(2), g.result.ts.rme.toFixed(1),
  g.result.naive.nsPerEl.toFixed(2), g.result.naive.rme.toFixed(1),
  `${g.result.wasm.ratio.toFixed(2)}x`, `${g.result.ts.ratio.toFixed(2)}x`,
]);
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i < 3 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
console.log('');
console.log(
  `ns per element (lower is better), from benny ops/s: 1e9 / (ops * elements)` +
  (REPEATS > 1 ? `; median of ${REPEATS} rounds` : ''),
);
console.log(`"vs naive" = naive ns/el / case ns/el in the same run (> 1: faster than the Math.log loop); ±% = benny margin of error`);
console.log(line(head));
console.log(width.map((w) => '-'.repeat(w)).join('  '));
let lastKind = groups[0]?.kind;
for (let i = 0; i < rows.length; i++) {
  if (groups[i].kind !== lastKind) { console.log(''); lastKind = groups[i].kind; }
  console.log(line(rows[i]));
}
const zipfGroup = groups.filter((g) => g.kind === 'zipf' && g.n !== undefined).sort((x, y) => y.n - x.n)[0];
if (zipfGroup) console.log(`\nzipf data: ${(100 * zipfGroup.zeros / zipfGroup.n).toFixed(1)} % zeros at n=${fmtN(zipfGroup.n)}; q is dense U(0,1) for every data set`);
for (const w of warnings) console.log(`warning: ${w}`);

const seconds = (performance.now() - t0) / 1e3;
console.log(`\ntotal ${seconds.toFixed(1)} s; sink ${sink} (finite); results in bench/results/latest.json and chart.html`);

// ---------------------------------------------------------------------------------------------
// Files: JSON with every run, and a self-contained SVG bar chart of the speed-ups.

const json = {
  meta: { ...meta, init: initTiming, seconds },
  cases: groups.map((g) => ({
    data: g.kind,
    measure: g.measure,
    ...(g.n !== undefined ? { n: g.n } : { rows: g.rows, cols: g.cols }),
    elements: g.elements,
    zeros: g.zeros,
    value: g.runs[0].value,
    results: g.result,
  })),
  warnings,
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(new URL('latest.json', RESULTS), JSON.stringify(json, null, 2) + '\n');
writeFileSync(new URL('chart.html', RESULTS), chartHtml(json));

function chartHtml({ meta: m, cases }) {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const color = { wasm: '#2b6cb0', ts: '#dd8a1f', naive: '#8a8f98' };
  const barH = 14, gap = 10, labelW = 190, plotW = 560, valueW = 170, top = 40;
  const maxRatio = Math.max(1.5, ...cases.flatMap((c) => IMPLS.map((i) => c.results[i].ratio)));
  const x = (r) => labelW + (r / maxRatio) * plotW;
  const panels = [];
  for (const kind of [...new Set(cases.map((c) => c.data))]) {
    const cs = cases.filter((c) => c.data === kind);
    const h = top + cs.length * (3 * barH + gap) + 30;
    const parts = [];
    parts.push(`<text x="0" y="18" class="t">${esc(kind)} data: speed-up vs the naive Math.log loop (same run; 1x = naive)</text>`);
    for (let t = 0; t <= maxRatio + 1e-9; t += maxRatio > 6 ? 1 : 0.5) {
      parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${h - 24}" class="${t === 1 ? 'one' : 'grid'}"/>`);
      parts.push(`<text x="${x(t)}" y="${h - 10}" class="ax">${t}x</text>`);
    }
    cs.forEach((c, k) => {
      const y0 = top + k * (3 * barH + gap);
      const size = c.n !== undefined ? fmtN(c.n) : `${fmtN(c.rows)}x${c.cols}`;
      parts.push(`<text x="${labelW - 8}" y="${y0 + 1.5 * barH + 4}" class="lab">${esc(c.measure)} ${esc(size)}</text>`);
      IMPLS.forEach((impl, j) => {
        const r = c.results[impl];
        const y = y0 + j * barH;
        parts.push(`<rect x="${labelW}" y="${y}" width="${Math.max(1, x(r.ratio) - labelW).toFixed(1)}" height="${barH - 2}" fill="${color[impl]}"><title>${esc(`${impl}: ${r.nsPerEl.toFixed(2)} ns/el, ${r.ratio.toFixed(2)}x naive`)}</title></rect>`);
        parts.push(`<text x="${x(r.ratio) + 4}" y="${y + barH - 4}" class="v">${esc(impl)} ${r.ratio.toFixed(2)}x · ${r.nsPerEl.toFixed(2)} ns/el</text>`);
      });
    });
    panels.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + valueW}" height="${h}" role="img">${parts.join('')}</svg>`);
  }
  const legend = IMPLS.map((i) => `<span><i style="background:${color[i]}"></i>${i}</span>`).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(m.package)} benchmark</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
.t{font-weight:600;font-size:14px}.lab{text-anchor:end;font-size:12px}.v{font-size:11px;fill:#333}
.ax{text-anchor:middle;font-size:11px;fill:#666}.grid{stroke:#e3e3e3}.one{stroke:#c00;stroke-dasharray:4 3}
.legend span{margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
</style></head><body>
<h1 style="font-size:18px">${esc(m.package)}: WebAssembly and TS engines vs a naive Math.log loop</h1>
<p>backend ${esc(m.backend)} · Node ${esc(m.node)} · ${esc(m.platform)} · ${esc(m.cpus)} · ${esc(m.date)}<br>
init (fresh process, median of ${m.init.runs.length}): import ${m.init.importMs.toFixed(2)} ms, await init() ${m.init.initMs.toFixed(2)} ms.
Bars: naive ns/el ÷ case ns/el from the same run${m.repeats > 1 ? `, median of ${m.repeats} rounds` : ''}; longer is faster.</p>
<p class="legend">${legend}</p>
${panels.join('\n')}
</body></html>
`;
}
