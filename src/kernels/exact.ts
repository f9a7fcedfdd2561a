// Exact accumulation of terms into exponent bins ("Neal large superaccumulator in doubles").
// Twin: assembly/kernels/exact.ts (same layout, same split, same bin choice).
//
// A sum block holds 3 regions x 2048 exponent slots x 2 sets x [hi, lo]. A finite term x is split
// (Veltkamp, 134217729 = 2^27 + 1) into hi (26 bits) and lo; both are added into the slot of x's
// biased exponent. Every value in a slot lies on that slot's grid and is bounded, so the slot sums
// stay exact for fewer than 2^26 deposits per slot; the wrapper flushes slots into fsum partials
// after every kernel call (at most STAGE_LEN deposits), so no sum is ever rounded.
// Region 1 holds values as they are; region 0 holds tiny values scaled by 2^600 and region 2 huge
// values scaled by 2^-600, so that neither subnormal products nor overflow can lose a bit.
// Alternate elements use the two sets, which breaks store-to-load chains on equal exponents.
// The entropy kernel's weight sum S is indexed by the log's reduction exponent k instead (values
// of a slot then span two binades: still exact), so that the flush can also form K = sum k*c.
import { f64FromHex, highWord, pow2 } from '../math/bits';
import { log_f64, log_k } from '../math/log';

/** Doubles per slot: set 0 [hi, lo], set 1 [hi, lo]. */
export const SLOT_F64 = 4;
/** Slots per region (one per biased exponent). */
export const REGION_SLOTS = 2048;
/** Bytes of one sum block: 3 regions. */
export const SUM_BYTES = 3 * REGION_SLOTS * SLOT_F64 * 8;
/** Slot index offset of the unscaled region. */
export const MAIN = REGION_SLOTS;
/** Subnormal stored values (exponent 0) move to region 0, scaled by 2^600, so splits never underflow.
 *  Fast-path terms are always normal: |c log_z(c)| >= 2^-1014 (|log_z| >= 2^-64), |p log q| and
 *  |p log_ratio(p, q)| >= 2^-1005 for weights in [LOW, HIGH) (nonzero logs of such weights are at
 *  least 2^-54 in size, nonzero log ratios at least 2^-55). */
export const RESCUE_E = 1;
/** Weights in [LOW, HIGH) take the fast path, unscaled: their terms are normal and cannot overflow. */
export const LOW = f64FromHex('0490000000000000'); // 0x1p-950
export const HIGH = f64FromHex('7830000000000000'); // 0x1p900
export const UP = f64FromHex('6570000000000000'); // 0x1p600
export const DOWN = f64FromHex('1A70000000000000'); // 0x1p-600
const SPLIT = 134217729.0; // 0x1p27 + 1

// State header (i32 words), then the sum blocks. Offsets in bytes, as in the twin.
export const H_BAD_P = 0; // first invalid index in p, or -1
export const H_BAD_Q = 4; // first invalid index in q, or -1
export const H_INF = 8; // 1 if some p > 0 met q == 0
export const H_RANGE = 16; // per sum s: [min slot, max slot] at H_RANGE + 8s
export const HEADER_BYTES = 64;
export const SUMS = 3;
export const STATE_BYTES = HEADER_BYTES + SUMS * SUM_BYTES;

/** The kernel state: one buffer laid out as in WebAssembly memory, seen as i32 and f64. */
export interface KernelState {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

const XF = new Float64Array(1);
const XW = new Int32Array(XF.buffer);

/** Biased exponent of x. */
export function exponent_f64(x: number): number {
  XF[0] = x;
  return (XW[1] >>> 20) & 0x7ff;
}

/**
 * TS only: the slot of a term t = w * L without reading t's bits (reading a double's bits costs JS
 * a memory round trip), where w is a weight in [LOW, HIGH) with biased exponent ew and L a log or
 * a difference of logs. It is ew + floor(log2 |L|), so t's true biased exponent is the slot's or
 * at most two above (the mantissa product lies in [1, 4], rounding included). Every slot stays
 * exact with values up to three binades above its own: all lie on the grid 2^(slot-1075) and
 * below 2^(slot-1019), so a slot holds 2^23 deposits exactly, far more than the STAGE_LEN a flush
 * allows. Returns -1 for |L| < 2^-30 (the caller then takes exponent_f64(t)). The twin reads the
 * exponent itself; both build the same exact sums, so the slot never shows in a result.
 */
export function term_slot(ew: number, L: number): number {
  const a = L < 0 ? -L : L;
  // |L| <= 1490 < 2^31, so the truncation to int32 is safe; floor(log2 a) = 31 - clz32(trunc a).
  if (a >= 1) return ew + 31 - Math.clz32(a | 0);
  // a in [2^-30, 1): floor(log2 a) = 31 - clz32(trunc(a * 2^30)) - 30.
  if (a >= 9.313225746154785e-10) return ew + 1 - Math.clz32((a * 1073741824) | 0);
  return -1;
}

/** TS only: term_slot, or t's exponent when |L| < 2^-30. */
export function term_or_exponent(ew: number, L: number, t: number): number {
  const slot = term_slot(ew, L);
  return slot >= 0 ? slot : exponent_f64(t);
}

/**
 * TS only: LOGZ_SLOT[i] is floor(log2 |log z|) at its smallest over the z of log table cell i
 * (z in [0x1.6p-1, 0x1.6p0), 128 cells, see src/math/log.ts), or NO_BOUND for the two cells that
 * touch z = 1. Within any other cell |log z| varies by less than a factor 4, so for a weight c
 * with biased exponent ec, ec + LOGZ_SLOT[i] is a valid slot for u = c * log_z(c): the true
 * exponent of u is that or at most three above (see term_slot for why that stays exact). The slot
 * is known before the log is computed, so the deposit's address does not wait for it.
 */
export const NO_BOUND = -9999;
export const LOGZ_SLOT: Int32Array = (() => {
  const t = new Int32Array(128);
  for (let i = 0; i < 128; i++) {
    const z0 = f64FromHex((0x3fe60000 + (i << 13)).toString(16).padStart(8, '0') + '00000000');
    const z1 = f64FromHex((0x3fe60000 + ((i + 1) << 13)).toString(16).padStart(8, '0') + '00000000');
    if (z0 <= 1 && z1 >= 1) {
      t[i] = NO_BOUND;
      continue;
    }
    const l0 = log_f64(z0);
    const l1 = log_f64(z1);
    // the smaller |log| over the cell, lowered by a margin for the rounding of the logs
    const lmin = Math.min(l0 < 0 ? -l0 : l0, l1 < 0 ? -l1 : l1) * (1 - 1e-9);
    let e = 0;
    while (pow2(e + 1) <= lmin) e++;
    while (pow2(e) > lmin) e--;
    t[i] = e;
  }
  return t;
})();

/**
 * TS only: LOGQ_SLOT[e] is floor(log2 |log q|) at its smallest over the q of biased exponent e
 * (q in [2^(e-1023), 2^(e-1022))), or NO_BOUND where |log q| varies by a factor 4 or more over
 * that binade (q in [0.25, 4), around q = 1). For a weight p with biased exponent ep,
 * ep + LOGQ_SLOT[e] is then a valid slot for t = p * log q: the true exponent of t is that or at
 * most three above (|log q| varies by less than a factor 4, the mantissa product lies in [1, 4);
 * see term_slot for why that stays exact). The slot is known before the log is computed.
 */
export const LOGQ_SLOT: Int32Array = (() => {
  const t = new Int32Array(2048).fill(NO_BOUND);
  for (let e = 1; e < 2047; e++) {
    const l0 = log_f64(pow2(e - 1023));
    const l1 = log_f64(pow2(e - 1022));
    const a0 = l0 < 0 ? -l0 : l0;
    const a1 = l1 < 0 ? -l1 : l1;
    // |log q| is monotone over the binade (no q = 1 inside but at an end): bounds with a margin
    const lmin = Math.min(a0, a1) * (1 - 1e-9);
    const lmax = Math.max(a0, a1) * (1 + 1e-9);
    if (!(lmin > 0) || lmax >= 4 * lmin) continue;
    let k = 0;
    while (pow2(k + 1) <= lmin) k++;
    while (pow2(k) > lmin) k--;
    t[e] = k;
  }
  return t;
})();

/** Add x exactly into slot j, set `set`, of the sum block starting at double index `bins`. */
export function deposit_f64(f: Float64Array, bins: number, j: number, set: number, x: number): void {
  const c = x * SPLIT;
  const hi = c - (c - x);
  const lo = x - hi;
  const a = bins + j * SLOT_F64 + (set << 1);
  f[a] = f[a] + hi;
  f[a + 1] = f[a + 1] + lo;
}

/** Widen the touched slot range of sum s to include j. */
export function touch(st: KernelState, s: number, j: number): void {
  const a = (H_RANGE >> 2) + (s << 1);
  if (j < st.i32[a]) st.i32[a] = j;
  if (j > st.i32[a + 1]) st.i32[a + 1] = j;
}

/**
 * Slow-path deposit of a stored value x of region `region` (0, 1 or 2): moves tiny region-1 values
 * to region 0 and records the slot range in the header.
 */
export function deposit_any_f64(st: KernelState, s: number, region: number, set: number, x: number): void {
  if (x === 0) return;
  let e = exponent_f64(x);
  if (e < RESCUE_E) {
    x *= UP;
    region -= 1;
    e = exponent_f64(x);
  }
  const j = region * REGION_SLOTS + e;
  touch(st, s, j);
  deposit_f64(st.f64, sum_block(s), j, set, x);
}

/** Slot of a weight x of region `region` in a sum indexed by the log's reduction exponent k. */
export function k_slot(region: number, x: number): number {
  return region * REGION_SLOTS + log_k(highWord(x)) + 1023;
}

/** Double index of sum block s. */
export function sum_block(s: number): number {
  return (HEADER_BYTES + s * SUM_BYTES) >> 3;
}

/** Record the first invalid index of p (which = 0) or q (which = 1). */
export function mark_bad(st: KernelState, which: number, i: number): void {
  if (st.i32[which] < 0) st.i32[which] = i;
}

/**
 * TS only: add the private bins p (slot j at 8j, four sets of [hi, lo]; the fast loops of
 * src/kernels/shannon.ts and pair.ts deposit into them) for slots [lo, hi] into region 1 of sum s
 * of the state, zero them, and widen the state's slot range. Private sets 0 and 2 hold even
 * elements (the state's set 0), 1 and 3 odd ones (set 1); the adds are exact (every slot value
 * lies on the slot's grid, far below its bound). AS deposits into the state directly.
 */
export function fold_private_f64(st: KernelState, s: number, p: Float64Array, lo: number, hi: number): void {
  const f = st.f64;
  const base = sum_block(s) + MAIN * SLOT_F64;
  for (let j = lo; j <= hi; j++) {
    const a = j << 3;
    const b = base + j * SLOT_F64;
    f[b] += p[a] + p[a + 4];
    f[b + 1] += p[a + 1] + p[a + 5];
    f[b + 2] += p[a + 2] + p[a + 6];
    f[b + 3] += p[a + 3] + p[a + 7];
    for (let k = 0; k < 8; k++) p[a + k] = 0;
  }
  const h = st.i32;
  const r = (H_RANGE >> 2) + (s << 1);
  h[r] = Math.min(h[r], MAIN + lo);
  h[r + 1] = Math.max(h[r + 1], MAIN + hi);
}
