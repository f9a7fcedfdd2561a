// Exact accumulation of terms into exponent bins ("Neal large superaccumulator in doubles").
// Twin: src/kernels/exact.ts (same layout, same bin choice; the f64x2 split differs, see below).
//
// A sum block holds 3 regions x 2048 exponent slots x 2 sets x [hi, lo]. A finite term x is split
// into hi and lo, both added into the slot of x's biased exponent or of one close to it (S by k:
// one above; the slots known before the log: up to three below, see term_slot in the twin), so
// that a slot's values span at most four binades. The scalar deposit splits as the twin does
// (Veltkamp, 134217729 = 2^27 + 1: hi has 26 bits); the f64x2 deposit masks instead (hi = x with
// its 27 lowest mantissa bits cleared, lo = x - hi, exact), one AND in place of a multiply and two
// subtractions. Both splits put hi on the grid 2^(e-25) and lo on 2^(e-52) for x of biased
// exponent e; only the mask's bound on lo doubles (|lo| < 2^(e-25) instead of <= 2^(e-26)). So a
// slot stays exact for 2^23 deposits either way (its lo parts: below 2^30 units of the slot's lo
// grid each, and 2^23 * 2^30 = 2^53); src/driver.ts flushes the slots into fsum partials every
// 2^22 elements and at the end of each call, so no sum is ever rounded. The slots then hold other
// hi/lo pairs than the twin's, but the same exact sums, which is all a flush reads.
// Region 1 holds values as they are; region 0 holds tiny values scaled by 2^600 and region 2 huge
// values scaled by 2^-600, so that neither subnormal products nor overflow can lose a bit.
// Alternate elements use the two sets, which breaks store-to-load chains on equal exponents.
// The entropy kernel's weight sum S is indexed by the log's reduction exponent k instead (values
// of a slot then span two binades: still exact), so that the flush can also form K = sum k*c.
import { log_k } from '../math/log';

/** Doubles per slot: set 0 [hi, lo], set 1 [hi, lo]. */
export const SLOT_F64: i32 = 4;
/** Slots per region (one per biased exponent). */
export const REGION_SLOTS: i32 = 2048;
/** Bytes of one sum block: 3 regions. */
export const SUM_BYTES: i32 = 3 * REGION_SLOTS * SLOT_F64 * 8;
/** Slot index offset of the unscaled region. */
export const MAIN: i32 = REGION_SLOTS;
/** Subnormal stored values (exponent 0) move to region 0, scaled by 2^600, so splits never underflow.
 *  Fast-path terms are always normal: |c log_z(c)| >= 2^-1014 (|log_z| >= 2^-64), |p log q| and
 *  |p log_ratio(p, q)| >= 2^-1005 for weights in [LOW, HIGH) (nonzero logs of such weights are at
 *  least 2^-54 in size, nonzero log ratios at least 2^-55). */
export const RESCUE_E: i32 = 1;
/** Weights in [LOW, HIGH) take the fast path, unscaled: their terms are normal and cannot overflow. */
export const LOW: f64 = reinterpret<f64>(0x0490000000000000); // 0x1p-950
export const HIGH: f64 = reinterpret<f64>(0x7830000000000000); // 0x1p900
export const UP: f64 = reinterpret<f64>(0x6570000000000000); // 0x1p600
export const DOWN: f64 = reinterpret<f64>(0x1A70000000000000); // 0x1p-600
const SPLIT: f64 = 134217729.0; // 0x1p27 + 1

// State header (i32 words), then the sum blocks.
export const H_BAD_P: i32 = 0; // first invalid index in p, or -1
export const H_BAD_Q: i32 = 4; // first invalid index in q, or -1
export const H_INF: i32 = 8; // 1 if some p > 0 met q == 0
export const H_RANGE: i32 = 16; // per sum s: [min slot, max slot] at H_RANGE + 8s
export const HEADER_BYTES: i32 = 64;
export const SUMS: i32 = 3;
export const STATE_BYTES: i32 = HEADER_BYTES + SUMS * SUM_BYTES;

/** Biased exponent of x. */
@inline
export function exponent_f64(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 52) & 0x7FF;
}

/** Add x exactly into slot j, set `set`, of the sum block at `bins`. */
@inline
export function deposit_f64(bins: usize, j: i32, set: i32, x: f64): void {
  let c = x * SPLIT;
  let hi = c - (c - x);
  let lo = x - hi;
  let a = bins + ((<usize>j * SLOT_F64 + (<usize>set << 1)) << 3);
  store<f64>(a, load<f64>(a) + hi);
  store<f64>(a, load<f64>(a, 8) + lo, 8);
}

/** Widen the touched slot range of sum s to include j. */
@inline
export function touch(st: usize, s: i32, j: i32): void {
  let a = st + H_RANGE + (s << 3);
  if (j < load<i32>(a)) store<i32>(a, j);
  if (j > load<i32>(a, 4)) store<i32>(a, j, 4);
}

/**
 * Slow-path deposit of a stored value x of region `region` (0, 1 or 2): moves tiny region-1 values
 * to region 0 and records the slot range in the header.
 */
export function deposit_any_f64(st: usize, s: i32, region: i32, set: i32, x: f64): void {
  if (x == 0) return;
  let e = exponent_f64(x);
  if (e < RESCUE_E) {
    x *= UP;
    region -= 1;
    e = exponent_f64(x);
  }
  let j = region * REGION_SLOTS + e;
  touch(st, s, j);
  deposit_f64(sum_block(st, s), j, set, x);
}

/** Slot of a weight x of region `region` in a sum indexed by the log's reduction exponent k. */
@inline
export function k_slot(region: i32, x: f64): i32 {
  return region * REGION_SLOTS + log_k(x) + 1023;
}

/** Address of sum block s. */
@inline
export function sum_block(st: usize, s: i32): usize {
  return st + HEADER_BYTES + <usize>s * SUM_BYTES;
}

/** Record the first invalid index of p (which = 0) or q (which = 1). */
export function mark_bad(st: usize, which: i32, i: i32): void {
  let a = st + (which << 2);
  if (load<i32>(a) < 0) store<i32>(a, i);
}

/**
 * deposit_f64 for two terms at once: lane 0 into set 0 of slot j0, lane 1 into set 1 of slot j1.
 * The two lanes never share a set, so equal slots cannot race. A zero lane adds +-0: harmless.
 * The split is the mask (see the header; measured 6-8 % faster than Veltkamp's for one-shot
 * entropy and cross entropy, 2.87 -> 2.70 ns/element for the entropy loop). Every x here is normal
 * or +-0. AS only (SIMD); the TS kernels call deposit_f64 once per element,
 * with the same sets.
 */
@inline
export function deposit_f64x2(bins: usize, j0: i32, j1: i32, x: v128): void {
  let hi = v128.and(x, i64x2.splat(<i64>0xFFFFFFFFF8000000)); // sign, exponent, top 25 mantissa bits
  let lo = f64x2.sub(x, hi); // the 27 low mantissa bits: exact
  let a0 = bins + (<usize>j0 << 5);
  let a1 = bins + (<usize>j1 << 5) + 16;
  v128.store(a0, f64x2.add(v128.load(a0), f64x2.shuffle(hi, lo, 0, 2)));
  v128.store(a1, f64x2.add(v128.load(a1), f64x2.shuffle(hi, lo, 1, 3)));
}

/**
 * The f64x2 block check of the chunk kernels (shannon.ts, pair.ts): a zero lane becomes 0.75 (a
 * zero weight then passes the check, and where the entropy kernel takes its log, 0 * log_z = +-0 is
 * a deposit that changes nothing; 0.75, not 0.5: a power of two has z = 1, in the cells that need
 * the slower near-1 patch). OR-ing 0.75's bits makes -0 into -0.75, which sends its block to the
 * scalar code, which treats it as the zero it is. A subnormal is not zero here and fails the block.
 */
@inline
export function substitute_zero(v: v128): v128 {
  return v128.or(v, v128.and(f64x2.eq(v, f64x2.splat(0)), f64x2.splat(0.75)));
}

/** Lane-wise i32x4 min of a block's six vectors (lanes 1 and 3: the weights' high words). */
@inline
export function block_min_i32x4(a: v128, b: v128, c: v128, d: v128, e: v128, f: v128): v128 {
  return i32x4.min_s(i32x4.min_s(i32x4.min_s(a, b), i32x4.min_s(c, d)), i32x4.min_s(e, f));
}

/** Lane-wise i32x4 max of a block's six vectors. */
@inline
export function block_max_i32x4(a: v128, b: v128, c: v128, d: v128, e: v128, f: v128): v128 {
  return i32x4.max_s(i32x4.max_s(i32x4.max_s(a, b), i32x4.max_s(c, d)), i32x4.max_s(e, f));
}
