// ns/element of the one-shot measures on each backend of the built package (dist/): 'wasm-simd',
// 'wasm' (the scalar binary), 'ts', and 'workspace' (the selected binary on workspace histograms,
// no staging copy). Each backend runs in a fresh process. The scalar binary is
// reached through the real detection path: the child replaces WebAssembly.validate with one that
// rejects the SIMD probe (as an engine without SIMD does), so init() loads the scalar binary.
// Usage, after `npm run build`: node bench/backends.mjs [n=1e7] [runs=7]
// Prints, per backend and measure, the median and the minimum ns/element over `runs` timed calls
// (after 2 warm-up calls; on a shared machine the minimum is the steadier figure) and the
// result's bit pattern, which must be the same on every backend.
import { execFileSync } from 'node:child_process';

const n = Number(process.argv[2] ?? 1e7);
const runs = Number(process.argv[3] ?? 7);
const mode = process.env.BACKENDS_CHILD;

if (!mode) {
  const rows = [];
  for (const m of ['wasm-simd', 'wasm', 'ts', 'workspace']) {
    const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, String(n), String(runs)], {
      env: { ...process.env, BACKENDS_CHILD: m }, encoding: 'utf8',
    });
    rows.push(...JSON.parse(out));
  }
  console.log(`n = ${n}, median of ${runs} runs, node ${process.version}`);
  console.log('backend    measure       ns/el (median, min)   result (hex)');
  for (const r of rows) {
    console.log(`${r.backend.padEnd(10)} ${r.measure.padEnd(12)} ${r.nsPerEl.toFixed(2).padStart(6)}  ${r.minNsPerEl.toFixed(2).padStart(6)}          ${r.hex}`);
  }
  for (const m of new Set(rows.map((r) => r.measure))) {
    if (new Set(rows.filter((r) => r.measure === m).map((r) => r.hex)).size !== 1) {
      console.error(`MISMATCH in ${m}`);
      process.exit(1);
    }
  }
  console.log('same bits on every backend');
} else {
  if (mode === 'wasm') {
    // an engine without SIMD: the SIMD probe does not validate
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => (bytes.length < 64 ? false : validate(bytes));
  }
  const lib = await import(new URL('../dist/index.js', import.meta.url).href);
  const got = mode === 'ts' || mode === 'workspace' ? mode : await lib.init();
  if (got !== mode) throw new Error(`expected backend ${mode}, got ${got}`);
  // seeded and deterministic: a 32-bit LCG, U(0,1) weights (dense)
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const p = new Float64Array(n).map(rand);
  const q = new Float64Array(n).map(rand);
  let e = mode === 'ts' ? lib.tsEngine : lib;
  if (mode === 'workspace') {
    // the same data in workspace histograms: the kernels read them in place
    const ws = await lib.createWorkspace();
    const hp = ws.histogram(n);
    const hq = ws.histogram(n);
    hp.array.set(p);
    hq.array.set(q);
    e = { entropy: () => ws.entropy(hp), crossEntropy: () => ws.crossEntropy(hp, hq), klDivergence: () => ws.klDivergence(hp, hq) };
  }
  const F = new Float64Array(1);
  const U = new Uint32Array(F.buffer);
  const hex = (x) => { F[0] = x; return U[1].toString(16).padStart(8, '0') + U[0].toString(16).padStart(8, '0'); };
  const out = [];
  for (const [measure, f] of [
    ['entropy', () => e.entropy(p)],
    ['crossEntropy', () => e.crossEntropy(p, q)],
    ['klDivergence', () => e.klDivergence(p, q)],
  ]) {
    f();
    f();
    const t = [];
    let r = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      r = f();
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    out.push({ backend: mode, measure, nsPerEl: (t[t.length >> 1] * 1e6) / n, minNsPerEl: (t[0] * 1e6) / n, hex: hex(r) });
  }
  process.stdout.write(JSON.stringify(out));
}
