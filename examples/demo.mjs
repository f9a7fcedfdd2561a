// entropy-wasm demo: the worked examples of the seed documents next to the values they print,
// then one 10^7-bin histogram timed on WebAssembly and on the pure-TS engine.
// Run with `npm run demo` (builds dist/ first) or, after a build, `node examples/demo.mjs`.
import {
  init, backend, entropy, crossEntropy, klDivergence, entropyBatch, tsEngine,
} from '../dist/index.js';

const BITS = { base: 2 };

const loaded = await init();

// ---------------------------------------------------------------------------------------------
// 1. The seed examples. Left: entropy-wasm. Right: the figure the document prints (rounded as
//    there), or the closed form where the document gives none.

const rows = [];
const section = (title) => rows.push([title]);
const row = (label, value, expected) => rows.push([label, String(value), expected]);

section('Cross entropy as a loss (nats)');
row('y=[1,0,0], q=[0.7,0.1,0.2]', crossEntropy([1, 0, 0], [0.7, 0.1, 0.2]), '0.35667494393');
row('q=[0,1,0]: q=0 where p=1', crossEntropy([1, 0, 0], [0, 1, 0]), 'inf');
row('q=[1,0,0]: perfect prediction', crossEntropy([1, 0, 0], [1, 0, 0]), '0');

section('Entropy (bits)');
row('Y1 = (0.5, 0.5)', entropy([0.5, 0.5], BITS), '1');
row('Y2 = (0.8, 0.2)', entropy([0.8, 0.2], BITS), '0.72 (numpy 0.7219280948873623)');
row('Y3 = (1, 0), 0 log 0 = 0', entropy([1, 0], BITS), '0');
row('max: 2^3 equal classes', entropy([1, 1, 1, 1, 1, 1, 1, 1], BITS), 'K = 3');
row('code length 1/2,1/4,1/8,1/8', entropy([1 / 2, 1 / 4, 1 / 8, 1 / 8], BITS), '1.75');
row('exercise 18.4.1: 8 letters', entropy([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 64, 1 / 64, 1 / 64, 1 / 64], BITS),
  '(exercise; 2 by hand)');

section('Entropy from counts (bits), one entropyBatch call');
const counts = entropyBatch(new Float64Array([40, 40, 20, 40, 30, 10, 20, 0]), 2, BITS);
row('40 / 40', counts[0], '1');
row('20 / 40', counts[1], '0.92 (numpy 0.9182958340544896)');
row('30 / 10', counts[2], '0.81 (numpy 0.8112781244591328)');
row('20 / 0', counts[3], '0');

section('Conditional entropy H[Y|X] = H(X,Y) - H(X), spam tables (bits)');
for (const [name, t, doc] of [
  ['X1', [30, 10, 10, 30], '0.81'],
  ['X2', [20, 40, 20, 0], '0.69'],
  ['X3', [0, 40, 40, 0], '0'],
]) {
  row(`H[Y|${name}], table ${t.join('/')}`, entropy(t, BITS) - entropy([t[0] + t[1], t[2] + t[3]], BITS), doc);
}

section('Cross entropy, BCE and KL divergence (bits)');
const Y1 = [0.5, 0.5];
const Y2 = [0.8, 0.2];
row('H[Y2, Y1]', crossEntropy(Y2, Y1, BITS), 'H[p,q] != H[q,p]');
row('H[Y1, Y2]', crossEntropy(Y1, Y2, BITS), '');
// p = [y, 1 - y], q = [mu, 1 - mu]: the loss of one sample whose predicted P(Y=1) is mu
const approx = (x) => x.toPrecision(15);
row('BCE, Y=1, mu=0.9', crossEntropy([1, 0], [0.9, 0.1], BITS), `-log2 mu ~ ${approx(-Math.log2(0.9))}`);
row('BCE, Y=0, mu=0.9', crossEntropy([0, 1], [0.9, 0.1], BITS), `-log2(1-mu) ~ ${approx(-Math.log2(0.1))}`);
row('KL(Y2 || Y1)', klDivergence(Y2, Y1, BITS), 'H[p,q] - H[p] >= 0');
row('KL(Y1 || Y2)', klDivergence(Y1, Y2, BITS), '');
row('KL(Y2 || Y2)', klDivergence(Y2, Y2, BITS), '0 only if p = q');

const w0 = Math.max(...rows.map((r) => (r.length > 1 ? r[0].length : 0))) + 4;
const w1 = Math.max(...rows.map((r) => (r.length > 1 ? r[1].length : 0))) + 2;
console.log(`entropy-wasm demo (backend: ${backend()})\n`);
console.log(`${'Seed example'.padEnd(w0)}${'entropy-wasm'.padEnd(w1)}document`);
for (const r of rows) {
  if (r.length === 1) console.log(`\n${r[0]}`);
  else console.log(`  ${r[0].padEnd(w0 - 2)}${r[1].padEnd(w1)}${r[2]}`);
}
console.log('\nWeights are normalized by their exact sum and the logarithm is our own, so a value can differ');
console.log("from numpy's full-precision figure in the last digit or two (contract: relative error <= 1e-12).");

// ---------------------------------------------------------------------------------------------
// 2. Timing: 10^7 bins, WebAssembly (the default functions after init) vs tsEngine.

/** xoshiro128** seeded by splitmix32: a reproducible sample, no Math.random. */
function rng(seed) {
  const s = new Uint32Array(4);
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return () => {
    const r = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return r / 4294967296; // [0, 1)
  };
}

const N = 10_000_000;
const next = rng(20240617);
const hist = new Float64Array(N);
for (let i = 0; i < N; i++) {
  // Heavy-tailed counts from 1 to about 10^6, one bin in eight empty.
  hist[i] = next() < 0.125 ? 0 : Math.floor(2 ** (20 * next()));
}

function time(fn) {
  fn(); // warm-up, not timed
  const ms = [];
  let value;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    value = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { value, ms: ms[1] };
}

const wasm = time(() => entropy(hist));
const ts = time(() => tsEngine.entropy(hist));
const ns = (ms) => ((ms * 1e6) / N).toFixed(2);

console.log(`\nEntropy of a ${N.toExponential(0).replace('+', '')}-bin histogram (seeded sample), median of 3 runs`);
console.log(`  WebAssembly (${loaded})`.padEnd(26) + `${String(wasm.value).padEnd(22)}${wasm.ms.toFixed(1).padStart(8)} ms  ${ns(wasm.ms)} ns/element`);
console.log('  tsEngine'.padEnd(26) + `${String(ts.value).padEnd(22)}${ts.ms.toFixed(1).padStart(8)} ms  ${ns(ts.ms)} ns/element`);
console.log(`  bit-identical (Object.is): ${Object.is(wasm.value, ts.value)}; WebAssembly is ${(ts.ms / wasm.ms).toFixed(1)}x faster`);
console.log(`  backend: ${backend()}`);

// ---------------------------------------------------------------------------------------------
// 3. The command-line tool on the sample files in examples/data (written by make.py there):
//    dice.npy (uint32 counts, 3 dice x 6 faces) and letters.csv (letter counts a..z). Every
//    value printed by the tool is checked against the in-memory function on the same numbers.
{
  const { execFileSync, spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const data = (f) => fileURLToPath(new URL(`./data/${f}`, import.meta.url));
  const tool = (...args) => execFileSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' }).trimEnd();
  const same = (text, expected) => (Object.is(Number(text), expected) ? 'same bits' : `DIFFERS from ${expected}`);

  console.log('\nThe command-line tool (entropy-wasm) on examples/data');
  const dice = [[957, 1024, 1007, 992, 1002, 1018], [596, 619, 596, 609, 612, 2968], [3034, 2966, 0, 0, 0, 0]];
  const diceNames = ['fair die', 'die loaded towards 6', 'die showing only 1 or 2'];
  const rowsOut = tool('rows', '--base', 'bits', data('dice.npy')).split('\n');
  console.log('  $ entropy-wasm rows --base bits examples/data/dice.npy   (6000 rolls per die; max log2 6 = 2.585 bits)');
  rowsOut.forEach((line, r) => console.log(`    ${diceNames[r].padEnd(26)}${line.padEnd(22)}${same(line, entropy(dice[r], BITS))}`));

  const csv = readFileSync(data('letters.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const english = csv.map((c) => Number(c[1]));
  const sample = csv.map((c) => Number(c[2]));
  const hEnglish = tool('entropy', '--base', 'bits', '--column', 'english', data('letters.csv'));
  const hSample = tool('entropy', '--base', 'bits', '--column', 'sample', data('letters.csv'));
  console.log('  $ entropy-wasm entropy --base bits --column english examples/data/letters.csv');
  console.log(`    letters of English text   ${hEnglish.padEnd(22)}${same(hEnglish, entropy(english, BITS))}  (about 4.18 bits per letter)`);
  console.log(`    letters of the sample     ${hSample.padEnd(22)}${same(hSample, entropy(sample, BITS))}  (--column sample)`);

  const dir = mkdtempSync(join(tmpdir(), 'entropy-wasm-demo-'));
  try {
    // KL of the sample's letters from English: both columns as raw f64 files
    writeFileSync(join(dir, 'sample.f64'), new Float64Array(sample));
    writeFileSync(join(dir, 'english.f64'), new Float64Array(english));
    const kl = tool('kl', '--base', 'bits', join(dir, 'sample.f64'), join(dir, 'english.f64'));
    console.log('  $ entropy-wasm kl --base bits sample.f64 english.f64   (the two columns as raw doubles)');
    console.log(`    KL(sample || English)     ${kl.padEnd(22)}${same(kl, klDivergence(sample, english, BITS))}  (bits wasted per letter)`);
    // bad data: a truncated copy of the .npy
    writeFileSync(join(dir, 'cut.npy'), readFileSync(data('dice.npy')).subarray(0, 190));
    const bad = spawnSync(process.execPath, [cliPath, 'rows', join(dir, 'cut.npy')], { encoding: 'utf8' });
    console.log('  $ entropy-wasm rows cut.npy   (dice.npy cut short by 10 bytes)');
    console.log(`    exit ${bad.status}, stdout ${JSON.stringify(bad.stdout)}, stderr: ${bad.stderr.trim().replace(dir, '<tmp>')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
