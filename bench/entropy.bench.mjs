// npm run bench: the built package (dist/, what users run) against the loop a user would
// otherwise write, measured side by side in one process with benny. Prints ns/element (median of
// benny's samples) and each case's speed relative to the naive Math.log loop of the same
// measure, size and data (> 1 means faster than naive); saves bench/results/latest.json and
// bench/results/chart.html (git-ignored). Env: BENCH_SIZES="1e2,1e7", BENCH_DATA="dense,zipf",
// BENCH_MEASURES="entropy,crossEntropy,klDivergence", BENCH_BATCH=0 to skip batches.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import b from 'benny';
import * as E from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const list = (name, dflt) => (process.env[name] ?? dflt).split(',').map((s) => s.trim()).filter(Boolean);
const SIZES = list('BENCH_SIZES', '1e2,1e4,1e6,1e7').map(Number);
const DATA = list('BENCH_DATA', 'dense,zipf');
const MEASURES = list('BENCH_MEASURES', 'entropy,crossEntropy,klDivergence');
const BATCH = process.env.BENCH_BATCH !== '0';

// Seeded data (xorshift-multiply), normalized so that the naive loops need no sum.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s >>> 0) / 4294967296;
  };
}
function histogram(kind, n, seed) {
  const r = rng(seed);
  const a = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const u = r();
    a[i] = kind === 'dense' ? u + 1e-9 : r() < 0.25 ? 0 : Math.floor(3 / (1 - u) ** (1 / 1.1));
    sum += a[i];
  }
  if (sum === 0) { a[0] = 1; sum = 1; }
  for (let i = 0; i < n; i++) a[i] /= sum;
  return a;
}

const naive = {
  entropy(p) {
    let s = 0;
    for (let i = 0; i < p.length; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(x); }
    return s;
  },
  crossEntropy(p, q) {
    let s = 0;
    for (let i = 0; i < p.length; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(q[i]); }
    return s;
  },
  klDivergence(p, q) {
    let s = 0;
    for (let i = 0; i < p.length; i++) { const x = p[i]; if (x > 0) s += x * Math.log(x / q[i]); }
    return s;
  },
};

function initTime() {
  const code = `const t0 = performance.now(); const m = await import(${JSON.stringify(join(here, '../dist/index.js'))});
    const t1 = performance.now(); const b = await m.init(); const t2 = performance.now();
    console.log(JSON.stringify({ importMs: t1 - t0, initMs: t2 - t1, backend: b }));`;
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })));
  const med = (k) => runs.map((r) => r[k]).sort((x, y) => x - y)[2];
  return { importMs: med('importMs'), initMs: med('initMs'), backend: runs[0].backend };
}

let sink = 0;
const rows = [];

async function suite(title, n, cases) {
  const opts = n >= 1e6 ? { minSamples: 5, maxTime: 1.5 } : { minSamples: 10, maxTime: 0.4 };
  await b.suite(title,
    ...cases.map(([name, make]) => b.add(name, () => { const f = make(); return () => { sink += f(); }; }, opts)),
    b.complete((summary) => {
      const base = summary.results.find((r) => r.name === 'naive');
      for (const r of summary.results) {
        const nsPerEl = (r.details.median * 1e9) / n;
        const ratio = base ? base.details.median / r.details.median : NaN;
        rows.push({ suite: title, case: r.name, n, nsPerElement: nsPerEl, vsNaive: ratio, samples: r.samples });
      }
    }));
}

await E.init();
const init = initTime();
console.log(`entropy-wasm bench: node ${process.version}, backend ${E.backend()}, init ${init.initMs.toFixed(1)} ms (import ${init.importMs.toFixed(1)} ms), median of 5 fresh processes`);

for (const measure of MEASURES) {
  for (const kind of DATA) {
    for (const n of SIZES) {
      const p = histogram(kind, n, 1234 + n);
      const q = histogram('dense', n, 99 + n);
      const two = measure !== 'entropy';
      // the three answers agree (the naive loop within rounding)
      const w = two ? E[measure](p, q) : E[measure](p);
      const t = two ? E.tsEngine[measure](p, q) : E.tsEngine[measure](p);
      const v = two ? naive[measure](p, q) : naive[measure](p);
      if (!Object.is(w, t) || Math.abs(w - v) > 1e-9 * Math.max(1, Math.abs(v))) throw new Error(`${measure} ${kind} ${n}: ${w} ${t} ${v}`);
      await suite(`${measure} ${kind} n=${n}`, n, [
        ['wasm', () => (two ? () => E[measure](p, q) : () => E[measure](p))],
        ['ts', () => (two ? () => E.tsEngine[measure](p, q) : () => E.tsEngine[measure](p))],
        ['naive', () => (two ? () => naive[measure](p, q) : () => naive[measure](p))],
      ]);
    }
  }
}

if (BATCH) {
  for (const [rowsN, cols] of [[1e5, 16], [1e5, 100]]) {
    const n = rowsN * cols;
    const m = histogram('dense', n, 7);
    await suite(`entropyBatch ${rowsN}x${cols}`, n, [
      ['wasm', () => () => E.entropyBatch(m, cols)[0]],
      ['ts', () => () => E.tsEngine.entropyBatch(m, cols)[0]],
      ['naive', () => () => {
        let s = 0;
        for (let r = 0; r < rowsN; r++) {
          let sum = 0;
          for (let i = r * cols; i < (r + 1) * cols; i++) sum += m[i];
          let h = 0;
          for (let i = r * cols; i < (r + 1) * cols; i++) { const x = m[i] / sum; if (x > 0) h -= x * Math.log(x); }
          s += h;
        }
        return s;
      }],
    ]);
  }
}

if (!Number.isFinite(sink)) throw new Error('non-finite sink');

const pad = (s, k) => String(s).padEnd(k);
console.log(`\n${pad('suite', 36)}${pad('case', 7)}${'ns/element'.padStart(12)}${'vs naive'.padStart(10)}`);
for (const r of rows) {
  console.log(`${pad(r.suite, 36)}${pad(r.case, 7)}${r.nsPerElement.toFixed(2).padStart(12)}${(r.vsNaive.toFixed(2) + 'x').padStart(10)}`);
}

const out = join(here, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, backend: E.backend(), init, rows }, null, 2));
const maxNs = Math.max(...rows.map((r) => r.nsPerElement));
const bars = rows.map((r, i) => {
  const w = (r.nsPerElement / maxNs) * 600;
  const color = r.case === 'wasm' ? '#3b6' : r.case === 'ts' ? '#36b' : '#999';
  return `<g transform="translate(0,${i * 18})"><text x="0" y="12" font-size="11">${r.suite} ${r.case}</text>` +
    `<rect x="300" y="2" width="${w.toFixed(1)}" height="12" fill="${color}"/>` +
    `<text x="${(305 + w).toFixed(1)}" y="12" font-size="11">${r.nsPerElement.toFixed(2)} ns/el, ${r.vsNaive.toFixed(2)}x naive</text></g>`;
}).join('\n');
writeFileSync(join(out, 'chart.html'), `<!doctype html><meta charset="utf-8"><title>entropy-wasm bench</title>
<h1>entropy-wasm: ns per element (shorter is faster)</h1><p>${new Date().toISOString()}, node ${process.version}, backend ${E.backend()}</p>
<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="${rows.length * 18 + 10}" font-family="sans-serif">${bars}</svg>`);
console.log(`\nsaved ${join(out, 'latest.json')} and ${join(out, 'chart.html')}`);
