// Exact sums, once, in TS for both engines: flushing kernel bins into fsum partials, merging,
// and rounding. Partials follow Shewchuk's algorithm as CPython's math.fsum does (msum), so
// every region's value is kept exactly and rounded once, correctly.
import { ldexp } from './math/bits';
import { REGION_SLOTS, SLOT_F64, H_RANGE, sum_block, type KernelState } from './kernels/exact';

/** Non-overlapping doubles, increasing magnitude, whose exact sum is the value. */
export type Partials = number[];
/** One exact sum: its regions 0 (scaled by 2^600), 1 (unscaled), 2 (scaled by 2^-600). */
export type ExactSum = [Partials, Partials, Partials];

export function emptySum(): ExactSum {
  return [[], [], []];
}

/** partials += x, exactly (Shewchuk's grow-expansion with zero elimination, CPython msum). */
export function msumAdd(partials: Partials, x: number): void {
  let i = 0;
  for (let k = 0; k < partials.length; k++) {
    let y = partials[k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  // (length only shrinks or grows by one; setting it only when it shrinks keeps V8's fast path)
  if (i < partials.length) partials.length = i;
  partials[i] = x;
}

/** The correctly rounded value of the partials (CPython math_fsum's final loop, round-half-even). */
export function fsum(partials: Partials): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Half-way case: make the rounding correct by looking at the next partial's sign.
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/** into += other, exactly. */
export function mergeSum(into: ExactSum, other: ExactSum): void {
  for (let r = 0; r < 3; r++) for (const v of other[r]) msumAdd(into[r], v);
}

/** Reset the header of a kernel state: no invalid index, no infinity, empty slot ranges. */
export function resetHeader(st: KernelState): void {
  const h = st.i32;
  h[0] = -1;
  h[1] = -1;
  h[2] = 0;
  for (let s = 0; s < 3; s++) {
    h[(H_RANGE >> 2) + 2 * s] = 0x7fffffff;
    h[(H_RANGE >> 2) + 2 * s + 1] = -1;
  }
}

const SPLIT = 134217729; // 2^27 + 1
/** k offset of each region: region 0 holds weights scaled by 2^600, region 2 by 2^-600. */
const REGION_K = [-600, 0, 600];

/**
 * Move the touched slots of sum s into `into` (or drop them when into is null), zeroing them.
 * With `kSum`, the sum is one indexed by the log's reduction exponent k (the entropy kernel's S),
 * and k * value is also added, exactly, to kSum: value = vh + vl with at most 27 bits each, and
 * |k| < 2^11, so both products are exact.
 */
export function flushSum(st: KernelState, s: number, into: ExactSum | null, kSum?: ExactSum): void {
  const h = st.i32;
  const lo = h[(H_RANGE >> 2) + 2 * s];
  const hi = h[(H_RANGE >> 2) + 2 * s + 1];
  const f = st.f64;
  const base = sum_block(s);
  for (let j = lo; j <= hi; j++) {
    const a = base + j * SLOT_F64;
    // The two sets' hi parts (and lo parts) add exactly: together they are what one set would
    // hold, and a slot holds 2^23 deposits exactly.
    const hi = f[a] + f[a + 2];
    const lo = f[a + 1] + f[a + 3];
    // Zeroed whatever the sums: the two sets can cancel (+v in one, -v in the other), and such a
    // slot must not carry its parts into the next call (the bins are all zero between calls).
    f[a] = 0;
    f[a + 1] = 0;
    f[a + 2] = 0;
    f[a + 3] = 0;
    if (hi === 0 && lo === 0) continue;
    if (!into) continue;
    const r = (j / REGION_SLOTS) | 0;
    const kv = kSum ? (j % REGION_SLOTS) - 1023 + REGION_K[r] : 0;
    if (hi !== 0) addSlotValue(into[r], kSum ? kSum[r] : null, hi, kv);
    if (lo !== 0) addSlotValue(into[r], kSum ? kSum[r] : null, lo, kv);
  }
  h[(H_RANGE >> 2) + 2 * s] = 0x7fffffff;
  h[(H_RANGE >> 2) + 2 * s + 1] = -1;
}

/** into += v and, with kSum, kSum += k * v, exactly (v split into halves of at most 27 bits). */
function addSlotValue(into: Partials, kSum: Partials | null, v: number, k: number): void {
  msumAdd(into, v);
  if (kSum) {
    const c = v * SPLIT;
    const vh = c - (c - v);
    msumAdd(kSum, vh * k);
    msumAdd(kSum, (v - vh) * k);
  }
}

/** An extended-range value m * 2^e (e in {-600, 0, 600}). */
export interface Extended {
  m: number;
  e: number;
}

/**
 * The value of an exact sum as m * 2^e. Each region is rounded once, correctly; where more than
 * one region is non-zero (weights beyond [2^-950, 2^900)) they are combined with one more
 * rounding. A function of the exact regions only, so independent of how the sum was built.
 */
export function extended(sum: ExactSum): Extended {
  const h = fsum(sum[2]);
  const n = fsum(sum[1]);
  const l = fsum(sum[0]);
  if (h !== 0) return { m: h + (ldexp(n, -600) + ldexp(l, -1200)), e: 600 };
  if (n !== 0) return { m: n + ldexp(l, -600), e: 0 };
  return { m: l, e: -600 };
}

/** Is the exact sum zero? */
export function isZero(sum: ExactSum): boolean {
  return fsum(sum[0]) === 0 && fsum(sum[1]) === 0 && fsum(sum[2]) === 0;
}
