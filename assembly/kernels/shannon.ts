// shannon_update_f64: accumulate, exactly, S = sum c (indexed by k) and U = sum c*log_z(c), where
// c = z * 2^k is the log's reduction (z in [0x1.6p-1, 0x1.6p0)). The flush forms K = sum k*c from
// S's slots, and src/finalize.ts forms H = ln S - (K ln2 + U)/S with the large k ln2 parts exact,
// which keeps H accurate and invariant under power-of-two scaling of the weights.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: src/kernels/shannon.ts. In the SIMD build, a chunk whose weights are all zero or in
// [LOW, HIGH) runs in f64x2 lanes, each lane performing the scalar sequence (log_z_f64x2, then
// c * log_z); any other chunk runs the scalar code element by element, as every chunk does in the
// scalar build.
// Every term is the twin's term bit for bit, and the exact sums cannot tell which path added it.
import { log_z_f64, log_z_f64x2 } from '../math/log';
import {
  DOWN, HIGH, LOW, MAIN, REGION_SLOTS, UP, deposit_any_f64, deposit_f64, deposit_f64x2, exponent_f64,
  k_slot, mark_bad, sum_block, touch,
} from './exact';

/**
 * LOGZ_SLOT of the twin (src/kernels/exact.ts), the same 128 values: floor(log2 |log z|) at its
 * smallest over log table cell i, or -9999 for the cells 79 and 80 next to z = 1. The f64x2 loop
 * takes the slot of u = c * log_z(c) as e(c) + LOGZ_SLOT[i], known before the log is computed (the
 * true exponent of u is that or at most three above, which a slot holds exactly; see the twin's
 * term_slot), so that the deposit's address does not wait for the log.
 */
const LOGZ_SLOT: usize = memory.data<i32>([
  -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2,
  -2, -2, -2, -2, -2, -2, -2, -3, -3, -3, -3, -3, -3, -3, -3, -3,
  -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3,
  -3, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4,
  -5, -5, -5, -5, -5, -5, -5, -5, -6, -6, -6, -6, -7, -7, -8, -9999,
  -9999, -8, -7, -6, -6, -5, -5, -5, -5, -4, -4, -4, -4, -4, -4, -4,
  -4, -4, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3,
  -3, -3, -3, -3, -3, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2,
]);

export function shannon_update_f64(ptr: usize, len: i32, st: usize): void {
  // The scalar build (no simd feature): asc drops an if on a constant condition before compiling
  // its body, so none of the f64x2 code below is compiled there, and every element takes the
  // scalar sequence, as any irregular chunk does here.
  if (!ASC_FEATURE_SIMD) {
    for (let i = 0; i < len; i++) shannon_one_f64(load<f64>(ptr + (<usize>i << 3)), i, st);
    return;
  }
  // Pre-pass: the range of the nonzero weights, whether any is zero, whether any is NaN.
  // pmin/pmax are single x86 instructions (f64x2.min/max are not) but drop NaN, hence vnan.
  // A zero lane is OR-ed with the bits of +Infinity, so it cannot be the minimum (-0 becomes
  // -Infinity and sends the chunk to the scalar code, which treats it as the zero it is).
  let vmin = f64x2.splat(Infinity); // of the nonzero weights (and of the negative ones)
  let vmax = f64x2.splat(0);
  let vzero = f64x2.splat(0); // any lane ever zero
  let vnan = f64x2.splat(0); // any lane ever NaN
  let n2 = len & ~1;
  for (let i = 0; i < n2; i += 2) {
    let v = v128.load(ptr + (<usize>i << 3));
    let zero = f64x2.eq(v, f64x2.splat(0));
    vzero = v128.or(vzero, zero);
    vnan = v128.or(vnan, f64x2.ne(v, v));
    vmin = f64x2.pmin(vmin, v128.or(v, v128.and(zero, f64x2.splat(Infinity))));
    vmax = f64x2.pmax(vmax, v);
  }
  let lo = min(f64x2.extract_lane(vmin, 0), f64x2.extract_lane(vmin, 1));
  let hi = max(f64x2.extract_lane(vmax, 0), f64x2.extract_lane(vmax, 1));
  // Only whole chunks of ordinary weights, in [LOW, HIGH) or zero, take the f64x2 loop.
  if (!(lo >= LOW && hi < HIGH) || v128.any_true(vnan)) {
    for (let i = 0; i < len; i++) shannon_one_f64(load<f64>(ptr + (<usize>i << 3)), i, st);
    return;
  }
  if (v128.any_true(vzero)) shannon_pairs_f64(ptr, n2, st, true);
  else shannon_pairs_f64(ptr, n2, st, false);
  if (n2 < len) shannon_one_f64(load<f64>(ptr + (<usize>n2 << 3)), n2, st);
  if (hi > 0) {
    // Slot ranges from the weight range: S by k, which is e(c) - 1023 or one more; U holds
    // u = c * log_z(c) with 2^-55 <= |log_z| < 0.375 (or u = 0: c a power of two), so e(u) is in
    // [e(c) - 56, e(c) - 1].
    // Extra slots in a range only cost the flush a look.
    let e0 = exponent_f64(lo), e1 = exponent_f64(hi);
    touch(st, 0, MAIN + e0);
    touch(st, 0, MAIN + e1 + 1);
    touch(st, 1, max(MAIN + e0 - 57, 0));
    touch(st, 1, MAIN + e1);
  }
}

/** The f64x2 loop over an even count n of weights all in [LOW, HIGH) or zero. */
@inline
function shannon_pairs_f64(ptr: usize, n: i32, st: usize, zeros: bool): void {
  let bS = sum_block(st, 0);
  let bU = sum_block(st, 1);
  let i = 0;
  // Four pairs per iteration: independent log chains for the CPU to overlap (measured: one pair
  // 5.6, two 5.0, four 4.7 ns/element).
  for (; i + 8 <= n; i += 8) {
    shannon_pair_f64(bS, bU, ptr + (<usize>i << 3), zeros);
    shannon_pair_f64(bS, bU, ptr + (<usize>i << 3) + 16, zeros);
    shannon_pair_f64(bS, bU, ptr + (<usize>i << 3) + 32, zeros);
    shannon_pair_f64(bS, bU, ptr + (<usize>i << 3) + 48, zeros);
  }
  for (; i < n; i += 2) shannon_pair_f64(bS, bU, ptr + (<usize>i << 3), zeros);
}

/** The pair of weights at p: S += c by k, U += c * log_z(c), lane j into set j. */
@inline
function shannon_pair_f64(bS: usize, bU: usize, p: usize, zeros: bool): void {
  let v = v128.load(p);
  // A zero lane takes log_z of 0.75 instead: 0 * log_z = +-0, a deposit that changes nothing.
  // (0.75, not 0.5: a power of two has z = 1, in the cells that need the slower near-1 patch.)
  let x = zeros ? v128.bitselect(f64x2.splat(0.75), v, f64x2.eq(v, f64x2.splat(0))) : v;
  let tmp = i64x2.sub(x, i64x2.splat(0x3FE6000000000000));
  let t0 = <u64>i64x2.extract_lane(tmp, 0);
  let t1 = <u64>i64x2.extract_lane(tmp, 1);
  let i0 = <usize>((t0 >> 45) & 127);
  let i1 = <usize>((t1 >> 45) & 127);
  // U's slots: e(c) + LOGZ_SLOT of the cell (a zero lane's are 0.75's: it deposits +-0)
  let b0 = load<i32>(LOGZ_SLOT + (i0 << 2));
  let b1 = load<i32>(LOGZ_SLOT + (i1 << 2));
  let u = f64x2.mul(v, log_z_f64x2(x, tmp, i0, i1));
  // S by k = tmp >> 52 (arithmetic; a zero lane's k is 0.75's)
  deposit_f64x2(bS, MAIN + 1023 + <i32>(<i64>t0 >> 52), MAIN + 1023 + <i32>(<i64>t1 >> 52), v);
  let ju0 = MAIN + <i32>((t0 + 0x3FE6000000000000) >> 52) + b0;
  let ju1 = MAIN + <i32>((t1 + 0x3FE6000000000000) >> 52) + b1;
  if ((<u32>i0 - 79 < 2) | (<u32>i1 - 79 < 2)) {
    // a lane next to z = 1: |log z| has no useful bound there, so u's own exponent
    let eu = v128.and(i64x2.shr_u(u, 52), i64x2.splat(0x7FF));
    ju0 = MAIN + <i32>i64x2.extract_lane(eu, 0);
    ju1 = MAIN + <i32>i64x2.extract_lane(eu, 1);
  }
  deposit_f64x2(bU, ju0, ju1, u);
}

/** One element on the scalar path (the twin's loop body). */
function shannon_one_f64(c: f64, i: i32, st: usize): void {
  if (c >= LOW && c < HIGH) {
    let j = k_slot(1, c);
    touch(st, 0, j);
    deposit_f64(sum_block(st, 0), j, i & 1, c);
    deposit_any_f64(st, 1, 1, i & 1, c * log_z_f64(c));
  } else {
    shannon_rare_f64(c, i, st);
  }
}

/** Zero, invalid, tiny (< LOW: scaled up by 2^600) or huge (>= HIGH: scaled down) weights. */
export function shannon_rare_f64(c: f64, i: i32, st: usize): void {
  if (c == 0) return;
  if (!(c > 0 && c < Infinity)) {
    mark_bad(st, 0, i);
    return;
  }
  let set = i & 1;
  let region = c < LOW ? 0 : 2;
  let cs = c < LOW ? c * UP : c * DOWN; // exact: a power-of-two scaling into the normal range
  let j = k_slot(region, cs);
  touch(st, 0, j);
  deposit_f64(sum_block(st, 0), j, set, cs);
  // cs has c's mantissa, so log_z(cs) = log_z(c)
  deposit_any_f64(st, 1, region, set, cs * log_z_f64(cs));
}
