// shannon_rows_f64 and pair_rows_f64: entropy, cross entropy or KL of each row of a row-major
// block, finished here, so that a batch of short rows (or one short histogram) costs one call and
// no per-row work in the wrapper.
// Twin: src/kernels/rows.ts (same steps). The finishes mirror src/finalize.ts (entropyFromSums,
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
import { log_k, log_z_f64, LN2_HI, LN2_LO } from '../math/log';
import { log1p_near_f64, log_f64 } from '../math/log';
import { H_BAD_P, H_BAD_Q, H_INF, H_RANGE, MAIN, REGION_SLOTS, SLOT_F64, sum_block } from './exact';
import { cross_entropy_update_f64 } from './cross_entropy';
import { kl_divergence_update_f64 } from './kl_divergence';
import { shannon_update_f64 } from './shannon';

/** Partials per sum in the scratch; a row that needs more goes to the general path. */
export const ROW_PARTIALS: i32 = 64;
/** Scratch bytes: three lists of ROW_PARTIALS + 1 doubles (S, K, U). */
export const ROW_SCRATCH_BYTES: i32 = 3 * (ROW_PARTIALS + 1) * 8;

const SPLIT: f64 = 134217729.0; // 0x1p27 + 1

// Double-double results of the helpers below (AS has no tuples).
let DH: f64 = 0;
let DL: f64 = 0;

/**
 * Entropy of `rows` rows of `rowLength` weights at ptr, into out[r] (NaN: use the general path).
 * nobase != 0: nats; else the result is divided by the double-double ln(base) = dh + dl.
 */
export function shannon_rows_f64(
  ptr: usize, rows: i32, rowLength: i32, st: usize, scratch: usize, out: usize, nobase: i32, dh: f64, dl: f64,
): void {
  for (let r = 0; r < rows; r++) {
    store<i32>(st + H_BAD_P, -1);
    for (let s = 0; s < 2; s++) {
      store<i32>(st + H_RANGE + (s << 3), 0x7FFFFFFF);
      store<i32>(st + H_RANGE + (s << 3), -1, 4);
    }
    shannon_update_f64(ptr + ((<usize>r * <usize>rowLength) << 3), rowLength, st);
    store<f64>(out + (<usize>r << 3), shannon_finish_f64(st, scratch, nobase, dh, dl));
  }
}

/** Zero the touched bins of the row just run and, for a region-1 row, its entropy (else NaN). */
export function shannon_finish_f64(st: usize, scratch: usize, nobase: i32, dh: f64, dl: f64): f64 {
  let pS = scratch;
  let pK = scratch + ((ROW_PARTIALS + 1) << 3);
  let pU = scratch + ((ROW_PARTIALS + 1) << 4);
  let sLo = load<i32>(st + H_RANGE), sHi = load<i32>(st + H_RANGE, 4);
  let uLo = load<i32>(st + H_RANGE, 8), uHi = load<i32>(st + H_RANGE, 12);
  let general = load<i32>(st + H_BAD_P) >= 0 || sLo < MAIN || sHi >= MAIN + REGION_SLOTS ||
    (uHi >= 0 && (uLo < MAIN || uHi >= MAIN + REGION_SLOTS));
  let nS = 0, nK = 0, nU = 0;
  let bS = sum_block(st, 0);
  for (let j = sLo; j <= sHi; j++) {
    let a = bS + ((<usize>j * SLOT_F64) << 3);
    // the two sets add exactly (see src/exact.ts flushSum)
    let hi = load<f64>(a) + load<f64>(a, 16);
    let lo = load<f64>(a, 8) + load<f64>(a, 24);
    if (hi == 0 && lo == 0) continue;
    store<f64>(a, 0);
    store<f64>(a, 0, 8);
    store<f64>(a, 0, 16);
    store<f64>(a, 0, 24);
    if (general) continue;
    let k = <f64>(j - MAIN - 1023);
    if (hi != 0) {
      nS = msum_add(pS, nS, hi);
      let c = hi * SPLIT;
      let vh = c - (c - hi);
      nK = msum_add(pK, nK, vh * k);
      nK = msum_add(pK, nK, (hi - vh) * k);
    }
    if (lo != 0) {
      nS = msum_add(pS, nS, lo);
      let c = lo * SPLIT;
      let vh = c - (c - lo);
      nK = msum_add(pK, nK, vh * k);
      nK = msum_add(pK, nK, (lo - vh) * k);
    }
    if (nS < 0 || nK < 0) general = true;
  }
  let bU = sum_block(st, 1);
  for (let j = uLo; j <= uHi; j++) {
    let a = bU + ((<usize>j * SLOT_F64) << 3);
    let hi = load<f64>(a) + load<f64>(a, 16);
    let lo = load<f64>(a, 8) + load<f64>(a, 24);
    if (hi == 0 && lo == 0) continue;
    store<f64>(a, 0);
    store<f64>(a, 0, 8);
    store<f64>(a, 0, 16);
    store<f64>(a, 0, 24);
    if (general) continue;
    if (hi != 0) nU = msum_add(pU, nU, hi);
    if (lo != 0) nU = msum_add(pU, nU, lo);
    if (nU < 0) general = true;
  }
  if (general || nS == 0) return NaN;
  // S and K as canonical double-doubles (src/finalize.ts extendedDD; region 1, so e = 0)
  // extendedDD adds region 0's [+0, +0] to region 1's value: a renormalizing ddAdd, which can move
  // a half-ulp tie of (RN(X), RN(X - RN(X))) to the other representation, so it is done here too.
  dd_of(pS, nS);
  dd_add(DH, DL, 0, 0);
  let sh = DH, sl = DL;
  if (sh == 0) return NaN; // (cannot happen for non-negative weights; the general path decides)
  dd_of(pK, nK);
  let kh: f64 = 0, kl: f64 = 0; // K = 0: the general path takes region 0's [+0, +0]
  if (DH != 0) {
    dd_add(DH, DL, 0, 0);
    kh = DH;
    kl = DL;
  }
  // U/S (src/finalize.ts extended: U = 0 gives +0)
  let um = fsum(pU, nU);
  let uOverS = um == 0 ? 0 : um / sh;
  // kS - K/S
  let kS = <f64>log_k(sh);
  dd_div(kh, kl, sh, sl);
  dd_add(kS, 0, -DH, -DL);
  let bh = DH, bl = DL;
  // log_z(S) to first order in sl, minus U/S
  let lzS = log_z_f64(sh) + sl / sh;
  two_sum(lzS, -uOverS);
  let th = DH, tl = DL;
  dd_mul(LN2_HI, LN2_LO, bh, bl);
  dd_add(DH, DL, th, tl);
  let h0 = DH, h1 = DL;
  if (!(h0 + h1 > 0)) return 0;
  if (nobase != 0) return h0 + h1;
  dd_div(h0, h1, dh, dl);
  return DH + DL;
}

/**
 * Cross entropy (kl == 0) or KL divergence (kl != 0) of `rows` row pairs of `rowLength` values at
 * pPtr and qPtr, into out[r] (NaN: use the general path). nobase != 0: nats; else the result is
 * divided by d = log_f64(base), as inBase does.
 */
export function pair_rows_f64(
  pPtr: usize, qPtr: usize, rows: i32, rowLength: i32, st: usize, scratch: usize, out: usize, kl: i32,
  nobase: i32, d: f64,
): void {
  for (let r = 0; r < rows; r++) {
    store<i32>(st + H_BAD_P, -1);
    store<i32>(st + H_BAD_Q, -1);
    store<i32>(st + H_INF, 0);
    for (let s = 0; s < 3; s++) {
      store<i32>(st + H_RANGE + (s << 3), 0x7FFFFFFF);
      store<i32>(st + H_RANGE + (s << 3), -1, 4);
    }
    let off = (<usize>r * <usize>rowLength) << 3;
    if (kl != 0) kl_divergence_update_f64(pPtr + off, qPtr + off, rowLength, st);
    else cross_entropy_update_f64(pPtr + off, qPtr + off, rowLength, st);
    store<f64>(out + (<usize>r << 3), pair_finish_f64(st, scratch, kl, nobase, d));
  }
}

/** Zero the touched bins of the row pair just run and, for a region-1 row, its measure (else NaN). */
export function pair_finish_f64(st: usize, scratch: usize, kl: i32, nobase: i32, d: f64): f64 {
  let general = load<i32>(st + H_BAD_P) >= 0 || load<i32>(st + H_BAD_Q) >= 0;
  let n0 = 0, n1 = 0, n2 = 0;
  for (let s = 0; s < 3; s++) {
    let lo = load<i32>(st + H_RANGE + (s << 3)), hi = load<i32>(st + H_RANGE + (s << 3), 4);
    if (hi >= 0 && (lo < MAIN || hi >= MAIN + REGION_SLOTS)) general = true;
    let p = scratch + <usize>(s * (ROW_PARTIALS + 1)) * 8;
    let n = flush_slots(sum_block(st, s), lo, hi, p, general);
    if (n < 0) general = true;
    if (s == 0) n0 = n;
    else if (s == 1) n1 = n;
    else n2 = n;
  }
  if (general || n0 == 0 || n1 == 0) return NaN;
  let pP = scratch, pQ = scratch + ((ROW_PARTIALS + 1) << 3), pA = scratch + ((ROW_PARTIALS + 1) << 4);
  let nats: f64;
  if (load<i32>(st + H_INF) != 0) {
    nats = Infinity;
  } else if (kl == 0) {
    // crossEntropyFromSums: ratio = A/P; ln Q as lnParts(q.m, 0)
    let pm = fsum(pP, n0);
    let qm = fsum(pQ, n1);
    let am = fsum(pA, n2);
    let ratio = am == 0 ? 0 : am / pm;
    let lnHi = 0 * LN2_HI;
    let lnLo = log_f64(qm) + 0 * LN2_LO;
    let x = (lnHi - ratio) + lnLo;
    nats = x > 0 ? x : 0;
  } else {
    // klDivergenceFromSums, with extendedDD's renormalizing ddAdd of region 0's [+0, +0]
    dd_of(pP, n0);
    dd_add(DH, DL, 0, 0);
    let p0 = DH, p1 = DL;
    dd_of(pQ, n1);
    dd_add(DH, DL, 0, 0);
    let q0 = DH, q1 = DL;
    let dm = fsum(pA, n2);
    let pm = p0 + p1;
    let ratio = dm == 0 ? 0 : dm / pm;
    dd_add(q0, q1, -p0, -p1);
    let r = (DH + DL) / pm;
    let lnQP: f64;
    if (r >= -0.0625 && r < 0.064697265625) {
      lnQP = log1p_near_f64(r);
    } else {
      lnQP = 0 * LN2_HI + ((log_f64(q0 + q1) - log_f64(pm)) + 0 * LN2_LO);
    }
    let x = ratio + lnQP;
    nats = x > 0 ? x : 0;
  }
  if (nats == 0) return 0;
  return nobase != 0 ? nats : nats / d;
}

/** Move slots [lo, hi] of the sum block at b into partials at p (unless skip), zeroing them. */
function flush_slots(b: usize, lo: i32, hi: i32, p: usize, skip: bool): i32 {
  let n = 0;
  for (let j = lo; j <= hi; j++) {
    let a = b + ((<usize>j * SLOT_F64) << 3);
    let h = load<f64>(a) + load<f64>(a, 16);
    let l = load<f64>(a, 8) + load<f64>(a, 24);
    if (h == 0 && l == 0) continue;
    store<f64>(a, 0);
    store<f64>(a, 0, 8);
    store<f64>(a, 0, 16);
    store<f64>(a, 0, 24);
    if (skip) continue;
    if (h != 0) n = msum_add(p, n, h);
    if (l != 0) n = msum_add(p, n, l);
    if (n < 0) skip = true;
  }
  return skip ? -1 : n;
}

/** partials[0, n) += x, exactly (src/exact.ts msumAdd). Returns the new count, or -1 if full. */
@inline
function msum_add(p: usize, n: i32, x: f64): i32 {
  if (n < 0) return n;
  let i = 0;
  for (let k = 0; k < n; k++) {
    let y = load<f64>(p + (<usize>k << 3));
    if (abs(x) < abs(y)) {
      let t = x;
      x = y;
      y = t;
    }
    let hi = x + y;
    let lo = y - (hi - x);
    if (lo != 0) {
      store<f64>(p + (<usize>i << 3), lo);
      i++;
    }
    x = hi;
  }
  if (i >= ROW_PARTIALS) return -1;
  store<f64>(p + (<usize>i << 3), x);
  return i + 1;
}

/** The correctly rounded value of partials[0, n) (src/exact.ts fsum). */
function fsum(p: usize, n: i32): f64 {
  if (n == 0) return 0;
  let hi = load<f64>(p + (<usize>(--n) << 3));
  let lo: f64 = 0;
  while (n > 0) {
    let x = hi;
    let y = load<f64>(p + (<usize>(--n) << 3));
    hi = x + y;
    let yr = hi - x;
    lo = y - yr;
    if (lo != 0) break;
  }
  if (n > 0) {
    let next = load<f64>(p + (<usize>(n - 1) << 3));
    if ((lo < 0 && next < 0) || (lo > 0 && next > 0)) {
      let y = lo * 2;
      let x = hi + y;
      let yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return hi;
}

/** DH + DL = (RN(X), RN(X - RN(X))) for the exact sum X of partials[0, n) (src/finalize.ts regionDD). */
function dd_of(p: usize, n: i32): void {
  if (n == 0) {
    DH = 0;
    DL = 0;
  } else if (n == 1) {
    DH = load<f64>(p);
    DL = 0;
  } else if (n == 2) {
    two_sum(load<f64>(p, 8), load<f64>(p));
  } else {
    let hi = fsum(p, n);
    let m = msum_add(p, n, -hi); // at most n + 1 <= ROW_PARTIALS + 1 slots
    if (m < 0) m = n + 1; // (the list was full: msum_add stored nothing; cannot happen, n < ROW_PARTIALS)
    DH = hi;
    DL = fsum(p, m);
  }
}

// Double-double arithmetic: src/math/dd.ts, the same operations in the same order.

@inline
function two_sum(a: f64, b: f64): void {
  let s = a + b;
  let bb = s - a;
  DH = s;
  DL = (a - (s - bb)) + (b - bb);
}

@inline
function dd_add(a0: f64, a1: f64, b0: f64, b1: f64): void {
  two_sum(a0, b0);
  let s = DH, e = DL;
  two_sum(a1, b1);
  let t = DH, f = DL;
  two_sum(s, e + t);
  let u = DH, g = DL;
  two_sum(u, g + f);
}

@inline
function dd_mul(a0: f64, a1: f64, b0: f64, b1: f64): void {
  // twoProd(a0, b0)
  let p = a0 * b0;
  let t = SPLIT * a0;
  let ah = t - (t - a0);
  let al = a0 - ah;
  t = SPLIT * b0;
  let bh = t - (t - b0);
  let bl = b0 - bh;
  let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  two_sum(p, e + (a0 * b1 + a1 * b0));
}

function dd_div(a0: f64, a1: f64, b0: f64, b1: f64): void {
  let q1 = a0 / b0;
  dd_mul(b0, b1, q1, 0);
  dd_add(a0, a1, -DH, -DL);
  let r0 = DH, r1 = DL;
  let q2 = r0 / b0;
  dd_mul(b0, b1, q2, 0);
  dd_add(r0, r1, -DH, -DL);
  let q3 = DH / b0;
  two_sum(q1, q2);
  dd_add(DH, DL, q3, 0);
}
