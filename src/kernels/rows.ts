// shannon_rows_f64 and pair_rows_f64: entropy, cross entropy or KL of each row of a row-major
// block, finished in the kernel, so that a batch of short rows (or one short histogram) needs no
// per-row exact-sum objects.
// Twin: assembly/kernels/rows.ts (same steps). The finishes mirror src/finalize.ts (entropyFromSums,
// crossEntropyFromSums, klDivergenceFromSums, then inBase) operation for operation, for rows whose
// weights all lie in [LOW, HIGH) or are zero: their sums then live in region 1 only, where the
// general formulas' scalings are all by 2^0. Any other row (a tiny, huge or invalid weight, an all-zero row, more partials than the
// scratch holds) gets NaN, which tells the wrapper to run that row through the general path (and
// raise its error there). The touched bins are zeroed either way.
//
// Exact sums: each sum's slot values go into Shewchuk partials (msum_add, as src/exact.ts msumAdd
// does), and each sum is then read as the canonical double-double (RN(X), RN(X - RN(X))), which is
// what src/finalize.ts regionDD gives for any partial list of the same exact value X. So the
// order in which slots are read, and the partial lists themselves, cannot show in the result.
import { LN2_HI, LN2_LO, log1p_near_f64, log_f64, log_k, log_z_f64 } from '../math/log';
import { highWord } from '../math/bits';
import { H_BAD_P, H_BAD_Q, H_INF, H_RANGE, MAIN, REGION_SLOTS, SLOT_F64, sum_block, type KernelState } from './exact';
import { cross_entropy_update_f64 } from './cross_entropy';
import { kl_divergence_update_f64 } from './kl_divergence';
import { shannon_update_f64 } from './shannon';

/** Partials per sum in the scratch; a row that needs more goes to the general path. */
export const ROW_PARTIALS = 64;
/** Scratch doubles: three lists of ROW_PARTIALS + 1 (S, K, U). */
export const ROW_SCRATCH_F64 = 3 * (ROW_PARTIALS + 1);

const SPLIT = 134217729; // 0x1p27 + 1

// Double-double results of the helpers below (as in the twin, which has no tuples).
let DH = 0;
let DL = 0;

/**
 * Entropy of `rows` rows of `rowLength` weights at x[off], into out[r] (NaN: use the general path).
 * nobase != 0: nats; else the result is divided by the double-double ln(base) = dh + dl.
 */
export function shannon_rows_f64(
  x: Float64Array, xw: Int32Array, off: number, rows: number, rowLength: number, st: KernelState,
  scratch: Float64Array, out: Float64Array, nobase: number, dh: number, dl: number,
): void {
  const h = st.i32;
  for (let r = 0; r < rows; r++) {
    h[H_BAD_P >> 2] = -1;
    for (let s = 0; s < 2; s++) {
      h[(H_RANGE >> 2) + 2 * s] = 0x7fffffff;
      h[(H_RANGE >> 2) + 2 * s + 1] = -1;
    }
    shannon_update_f64(x, xw, off + r * rowLength, rowLength, st);
    out[r] = shannon_finish_f64(st, scratch, nobase, dh, dl);
  }
}

/** Zero the touched bins of the row just run and, for a region-1 row, its entropy (else NaN). */
export function shannon_finish_f64(st: KernelState, scratch: Float64Array, nobase: number, dh: number, dl: number): number {
  const h = st.i32;
  const f = st.f64;
  const pS = 0;
  const pK = ROW_PARTIALS + 1;
  const pU = 2 * (ROW_PARTIALS + 1);
  const sLo = h[H_RANGE >> 2], sHi = h[(H_RANGE >> 2) + 1];
  const uLo = h[(H_RANGE >> 2) + 2], uHi = h[(H_RANGE >> 2) + 3];
  let general = h[H_BAD_P >> 2] >= 0 || sLo < MAIN || sHi >= MAIN + REGION_SLOTS ||
    (uHi >= 0 && (uLo < MAIN || uHi >= MAIN + REGION_SLOTS));
  let nS = 0, nK = 0, nU = 0;
  const bS = sum_block(0);
  for (let j = sLo; j <= sHi; j++) {
    const a = bS + j * SLOT_F64;
    // the two sets add exactly (see src/exact.ts flushSum)
    const hi = f[a] + f[a + 2];
    const lo = f[a + 1] + f[a + 3];
    if (hi === 0 && lo === 0) continue;
    f[a] = 0;
    f[a + 1] = 0;
    f[a + 2] = 0;
    f[a + 3] = 0;
    if (general) continue;
    const k = j - MAIN - 1023;
    if (hi !== 0) {
      nS = msum_add(scratch, pS, nS, hi);
      const c = hi * SPLIT;
      const vh = c - (c - hi);
      nK = msum_add(scratch, pK, nK, vh * k);
      nK = msum_add(scratch, pK, nK, (hi - vh) * k);
    }
    if (lo !== 0) {
      nS = msum_add(scratch, pS, nS, lo);
      const c = lo * SPLIT;
      const vh = c - (c - lo);
      nK = msum_add(scratch, pK, nK, vh * k);
      nK = msum_add(scratch, pK, nK, (lo - vh) * k);
    }
    if (nS < 0 || nK < 0) general = true;
  }
  const bU = sum_block(1);
  for (let j = uLo; j <= uHi; j++) {
    const a = bU + j * SLOT_F64;
    const hi = f[a] + f[a + 2];
    const lo = f[a + 1] + f[a + 3];
    if (hi === 0 && lo === 0) continue;
    f[a] = 0;
    f[a + 1] = 0;
    f[a + 2] = 0;
    f[a + 3] = 0;
    if (general) continue;
    if (hi !== 0) nU = msum_add(scratch, pU, nU, hi);
    if (lo !== 0) nU = msum_add(scratch, pU, nU, lo);
    if (nU < 0) general = true;
  }
  if (general || nS === 0) return NaN;
  // S and K as canonical double-doubles (src/finalize.ts extendedDD; region 1, so e = 0)
  // extendedDD adds region 0's [+0, +0] to region 1's value: a renormalizing ddAdd, which can move
  // a half-ulp tie of (RN(X), RN(X - RN(X))) to the other representation, so it is done here too.
  dd_of(scratch, pS, nS);
  dd_add(DH, DL, 0, 0);
  const sh = DH, sl = DL;
  if (sh === 0) return NaN; // (cannot happen for non-negative weights; the general path decides)
  dd_of(scratch, pK, nK);
  let kh = 0, kl = 0; // K = 0: the general path takes region 0's [+0, +0]
  if (DH !== 0) {
    dd_add(DH, DL, 0, 0);
    kh = DH;
    kl = DL;
  }
  // U/S (src/finalize.ts extended: U = 0 gives +0)
  const um = fsum(scratch, pU, nU);
  const uOverS = um === 0 ? 0 : um / sh;
  // kS - K/S
  const hw = highWord(sh);
  const kS = log_k(hw);
  dd_div(kh, kl, sh, sl);
  dd_add(kS, 0, -DH, -DL);
  const bh = DH, bl = DL;
  // log_z(S) to first order in sl, minus U/S
  const lzS = log_z_f64(sh, hw) + sl / sh;
  two_sum(lzS, -uOverS);
  const th = DH, tl = DL;
  dd_mul(LN2_HI, LN2_LO, bh, bl);
  dd_add(DH, DL, th, tl);
  const h0 = DH, h1 = DL;
  if (!(h0 + h1 > 0)) return 0;
  if (nobase !== 0) return h0 + h1;
  dd_div(h0, h1, dh, dl);
  return DH + DL;
}

/**
 * Cross entropy (kl == 0) or KL divergence (kl != 0) of `rows` row pairs of `rowLength` values at
 * px[off] and qx[off], into out[r] (NaN: use the general path). nobase != 0: nats; else the result
 * is divided by d = log_f64(base), as inBase does.
 */
export function pair_rows_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, rows: number,
  rowLength: number, st: KernelState, scratch: Float64Array, out: Float64Array, kl: number, nobase: number, d: number,
): void {
  const h = st.i32;
  for (let r = 0; r < rows; r++) {
    h[H_BAD_P >> 2] = -1;
    h[H_BAD_Q >> 2] = -1;
    h[H_INF >> 2] = 0;
    for (let s = 0; s < 3; s++) {
      h[(H_RANGE >> 2) + 2 * s] = 0x7fffffff;
      h[(H_RANGE >> 2) + 2 * s + 1] = -1;
    }
    const o = off + r * rowLength;
    if (kl !== 0) kl_divergence_update_f64(px, pw, qx, qw, o, rowLength, st);
    else cross_entropy_update_f64(px, pw, qx, qw, o, rowLength, st);
    out[r] = pair_finish_f64(st, scratch, kl, nobase, d);
  }
}

/** Zero the touched bins of the row pair just run and, for a region-1 row, its measure (else NaN). */
export function pair_finish_f64(st: KernelState, scratch: Float64Array, kl: number, nobase: number, d: number): number {
  const h = st.i32;
  let general = h[H_BAD_P >> 2] >= 0 || h[H_BAD_Q >> 2] >= 0;
  let n0 = 0, n1 = 0, n2 = 0;
  for (let s = 0; s < 3; s++) {
    const lo = h[(H_RANGE >> 2) + 2 * s], hi = h[(H_RANGE >> 2) + 2 * s + 1];
    if (hi >= 0 && (lo < MAIN || hi >= MAIN + REGION_SLOTS)) general = true;
    const n = flush_slots(st.f64, sum_block(s), lo, hi, scratch, s * (ROW_PARTIALS + 1), general);
    if (n < 0) general = true;
    if (s === 0) n0 = n;
    else if (s === 1) n1 = n;
    else n2 = n;
  }
  if (general || n0 === 0 || n1 === 0) return NaN;
  const pP = 0, pQ = ROW_PARTIALS + 1, pA = 2 * (ROW_PARTIALS + 1);
  let nats: number;
  if (h[H_INF >> 2] !== 0) {
    nats = Infinity;
  } else if (kl === 0) {
    // crossEntropyFromSums: ratio = A/P; ln Q as lnParts(q.m, 0)
    const pm = fsum(scratch, pP, n0);
    const qm = fsum(scratch, pQ, n1);
    const am = fsum(scratch, pA, n2);
    const ratio = am === 0 ? 0 : am / pm;
    const lnHi = 0 * LN2_HI;
    const lnLo = log_f64(qm) + 0 * LN2_LO;
    const x = (lnHi - ratio) + lnLo;
    nats = x > 0 ? x : 0;
  } else {
    // klDivergenceFromSums, with extendedDD's renormalizing ddAdd of region 0's [+0, +0]
    dd_of(scratch, pP, n0);
    dd_add(DH, DL, 0, 0);
    const p0 = DH, p1 = DL;
    dd_of(scratch, pQ, n1);
    dd_add(DH, DL, 0, 0);
    const q0 = DH, q1 = DL;
    const dm = fsum(scratch, pA, n2);
    const pm = p0 + p1;
    const ratio = dm === 0 ? 0 : dm / pm;
    dd_add(q0, q1, -p0, -p1);
    const r = (DH + DL) / pm;
    let lnQP: number;
    if (r >= -0.0625 && r < 0.064697265625) {
      lnQP = log1p_near_f64(r);
    } else {
      lnQP = 0 * LN2_HI + ((log_f64(q0 + q1) - log_f64(pm)) + 0 * LN2_LO);
    }
    const x = ratio + lnQP;
    nats = x > 0 ? x : 0;
  }
  if (nats === 0) return 0;
  return nobase !== 0 ? nats : nats / d;
}

/** Move slots [lo, hi] of the sum block at f[b] into partials at p[at] (unless skip), zeroing them. */
function flush_slots(f: Float64Array, b: number, lo: number, hi: number, p: Float64Array, at: number, skip: boolean): number {
  let n = 0;
  for (let j = lo; j <= hi; j++) {
    const a = b + j * SLOT_F64;
    const h = f[a] + f[a + 2];
    const l = f[a + 1] + f[a + 3];
    if (h === 0 && l === 0) continue;
    f[a] = 0;
    f[a + 1] = 0;
    f[a + 2] = 0;
    f[a + 3] = 0;
    if (skip) continue;
    if (h !== 0) n = msum_add(p, at, n, h);
    if (l !== 0) n = msum_add(p, at, n, l);
    if (n < 0) skip = true;
  }
  return skip ? -1 : n;
}

/** partials p[at, at + n) += x, exactly (src/exact.ts msumAdd). Returns the new count, or -1 if full. */
function msum_add(p: Float64Array, at: number, n: number, x: number): number {
  if (n < 0) return n;
  let i = 0;
  for (let k = 0; k < n; k++) {
    let y = p[at + k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[at + i++] = lo;
    x = hi;
  }
  if (i >= ROW_PARTIALS) return -1;
  p[at + i] = x;
  return i + 1;
}

/** The correctly rounded value of p[at, at + n) (src/exact.ts fsum). */
function fsum(p: Float64Array, at: number, n: number): number {
  if (n === 0) return 0;
  let hi = p[at + --n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[at + --n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0) {
    const next = p[at + n - 1];
    if ((lo < 0 && next < 0) || (lo > 0 && next > 0)) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
  }
  return hi;
}

/** DH + DL = (RN(X), RN(X - RN(X))) for the exact sum X of p[at, at + n) (src/finalize.ts regionDD). */
function dd_of(p: Float64Array, at: number, n: number): void {
  if (n === 0) {
    DH = 0;
    DL = 0;
  } else if (n === 1) {
    DH = p[at];
    DL = 0;
  } else if (n === 2) {
    two_sum(p[at + 1], p[at]);
  } else {
    const hi = fsum(p, at, n);
    let m = msum_add(p, at, n, -hi); // at most n + 1 <= ROW_PARTIALS + 1 slots
    if (m < 0) m = n + 1; // (the list was full: msum_add stored nothing; cannot happen, n < ROW_PARTIALS)
    DH = hi;
    DL = fsum(p, at, m);
  }
}

// Double-double arithmetic: src/math/dd.ts, the same operations in the same order, without tuples.

function two_sum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  DH = s;
  DL = (a - (s - bb)) + (b - bb);
}

function dd_add(a0: number, a1: number, b0: number, b1: number): void {
  two_sum(a0, b0);
  const s = DH, e = DL;
  two_sum(a1, b1);
  const t = DH, f = DL;
  two_sum(s, e + t);
  const u = DH, g = DL;
  two_sum(u, g + f);
}

function dd_mul(a0: number, a1: number, b0: number, b1: number): void {
  // twoProd(a0, b0)
  const p = a0 * b0;
  let t = SPLIT * a0;
  const ah = t - (t - a0);
  const al = a0 - ah;
  t = SPLIT * b0;
  const bh = t - (t - b0);
  const bl = b0 - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  two_sum(p, e + (a0 * b1 + a1 * b0));
}

function dd_div(a0: number, a1: number, b0: number, b1: number): void {
  const q1 = a0 / b0;
  dd_mul(b0, b1, q1, 0);
  dd_add(a0, a1, -DH, -DL);
  const r0 = DH, r1 = DL;
  const q2 = r0 / b0;
  dd_mul(b0, b1, q2, 0);
  dd_add(r0, r1, -DH, -DL);
  const q3 = DH / b0;
  two_sum(q1, q2);
  dd_add(DH, DL, q3, 0);
}
