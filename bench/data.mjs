// Seeded benchmark data and the naive loops a user would otherwise write. Shared by
// entropy.bench.mjs (parent and scalar child), so every process times the same inputs.

// sfc32 seeded through splitmix32; doubles in the open (0, 1) (no Math.random: same data every run).
export function rng(seed) {
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
// 27 % zeros with a heavy tail. Both normalized to sum 1 (per row), so the naive loop gets what it
// expects. (Math.pow here only makes data; it is not in any timed or library path.)
export function weights(kind, n, seed) {
  const u = rng(seed);
  const x = new Float64Array(n);
  if (kind === 'dense') for (let i = 0; i < n; i++) x[i] = u();
  else for (let i = 0; i < n; i++) x[i] = Math.floor(3 * (u() ** (-1 / 1.1) - 1));
  return x;
}
export function normalizeRows(x, cols) {
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
export function makeData(kind, n) {
  const p = normalizeRows(weights(kind, n, seedOf(kind === 'dense' ? 1 : 2, n, 1)), n);
  const q = normalizeRows(weights('dense', n, seedOf(3, n, 2)), n);
  return { p, q, zeros: countZeros(p) };
}
export function makeBatch(kind, rows, cols) {
  const p = normalizeRows(weights(kind, rows * cols, seedOf(kind === 'dense' ? 4 : 5, rows, cols)), cols);
  const q = normalizeRows(weights('dense', rows * cols, seedOf(6, rows, cols)), cols);
  return { p, q, cols, zeros: countZeros(p) };
}
function countZeros(p) {
  let z = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === 0) z++;
  return z;
}

// ---------------------------------------------------------------------------------------------
// The naive loops: what a user writes over already normalized Float64Arrays, skipping p = 0 bins
// (0 log 0 = 0). A q = 0 bin under p > 0 gives +Infinity through Math.log(0) = -Infinity, which is
// the right answer, so a user needs no other special case. They round as they go.

export function naiveEntropy(p) {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(x); }
  return s;
}
export function naiveCrossEntropy(p, q) {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const x = p[i]; if (x > 0) s -= x * Math.log(q[i]); }
  return s;
}
export function naiveKlDivergence(p, q) {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const x = p[i]; if (x > 0) s += x * Math.log(x / q[i]); }
  return s;
}
export function naiveEntropyBatch(rows, cols) {
  const m = rows.length / cols;
  const out = new Float64Array(m);
  for (let r = 0, off = 0; r < m; r++, off += cols) {
    let s = 0;
    for (let j = 0; j < cols; j++) { const x = rows[off + j]; if (x > 0) s -= x * Math.log(x); }
    out[r] = s;
  }
  return out;
}
export function naiveCrossEntropyBatch(p, q, cols) {
  const m = p.length / cols;
  const out = new Float64Array(m);
  for (let r = 0, off = 0; r < m; r++, off += cols) {
    let s = 0;
    for (let j = 0; j < cols; j++) { const x = p[off + j]; if (x > 0) s -= x * Math.log(q[off + j]); }
    out[r] = s;
  }
  return out;
}
export function naiveKlDivergenceBatch(p, q, cols) {
  const m = p.length / cols;
  const out = new Float64Array(m);
  for (let r = 0, off = 0; r < m; r++, off += cols) {
    let s = 0;
    for (let j = 0; j < cols; j++) { const x = p[off + j]; if (x > 0) s += x * Math.log(x / q[off + j]); }
    out[r] = s;
  }
  return out;
}
