// shannon_update_f64: accumulate, exactly, S = sum c (indexed by k) and U = sum c*log_z(c), where
// c = z * 2^k is the log's reduction (z in [0x1.6p-1, 0x1.6p0)). The flush forms K = sum k*c from
// S's slots, and src/finalize.ts forms H = ln S - (K ln2 + U)/S with the large k ln2 parts exact,
// which keeps H accurate and invariant under power-of-two scaling of the weights.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: src/kernels/shannon.ts. In the SIMD build, weights go in blocks of twelve (six f64x2
// pairs): a block whose weights are all zero or in [LOW, HIGH) runs in f64x2 lanes, each lane
// performing the scalar sequence (log_z_f64x2, then c * log_z); any other block runs the scalar
// code element by element in index order (so the first invalid index is the one recorded), as
// every element does in the scalar build.
// Every term is the twin's term bit for bit, and the exact sums cannot tell which path added it.
import { log_z_f64, log_z_f64x2 } from '../math/log';
import {
  DOWN, HIGH, LOW, MAIN, UP, block_max_i32x4, block_min_i32x4, deposit_any_f64, deposit_f64, deposit_f64x2,
  k_slot, mark_bad, substitute_zero, sum_block, touch,
} from './exact';

/**
 * LOGZ_SLOT of the twin (src/kernels/exact.ts: floor(log2 |log z|) at its smallest over log table
 * cell i, or -9999 for the cells 79 and 80 next to z = 1), taken relative to S's slot instead of
 * e(c): c's biased exponent is k + 1022 for the cells i < 80 and k + 1023 for i >= 80 (the
 * reduction borrows from the exponent when z < 1), so LOGZ_KSLOT[i] = LOGZ_SLOT[i] - 1 for i < 79
 * and LOGZ_SLOT[i] for i > 80 (test/twins.test.ts checks this). The f64x2 loop takes the slot of
 * u = c * log_z(c) as S's slot MAIN + 1023 + k plus LOGZ_KSLOT[i], which is MAIN + e(c) +
 * LOGZ_SLOT[i] (the true exponent of u is that or at most three above, which a slot holds
 * exactly; see the twin's term_slot), known before the log is computed, so that the deposit's
 * address does not wait for the log; it saves re-forming e(c) from tmp (measured: 2.79 -> 2.76
 * ns/element dense, 2.72 -> 2.68 zipf).
 */
const LOGZ_KSLOT: usize = memory.data<i32>([
  -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3,
  -3, -3, -3, -3, -3, -3, -3, -4, -4, -4, -4, -4, -4, -4, -4, -4,
  -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4,
  -4, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5,
  -6, -6, -6, -6, -6, -6, -6, -6, -7, -7, -7, -7, -8, -8, -9, -9999,
  -9999, -8, -7, -6, -6, -5, -5, -5, -5, -4, -4, -4, -4, -4, -4, -4,
  -4, -4, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3,
  -3, -3, -3, -3, -3, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2,
]);

export function shannon_update_f64(ptr: usize, len: i32, st: usize): void {
  // The scalar build (no simd feature): asc drops an if on a constant condition before compiling
  // its body, so none of the f64x2 code below is compiled there, and every element takes the
  // scalar sequence, as any irregular block does here.
  if (!ASC_FEATURE_SIMD) {
    for (let i = 0; i < len; i++) shannon_one_f64(load<f64>(ptr + (<usize>i << 3)), i, st);
    return;
  }
  let bS = sum_block(st, 0);
  let bU = sum_block(st, 1);
  // Running i32x4 min/max of the regular blocks' weights (zeros substituted); lanes 1 and 3 hold
  // the high words, whose signed order is the weights' order for the positive weights these are.
  let vmin = i32x4.splat(0x7FFFFFFF);
  let vmax = i32x4.splat(<i32>0x80000000);
  // Blocks of six pairs, independent log chains for the CPU to overlap (measured, ns/element dense
  // / zipf, in one process: four pairs 2.81 / 2.79, six 2.76 / 2.68, eight 2.75 / 2.65 with 5 KB
  // more code; one to three pairs were slower than four, one by about 25 %). V8 keeps some of the
  // log's constants in stack slots either way.
  let nb = len - len % 12;
  let i = 0;
  // Until the first block that fails the check (in most data, the first block with a zero), the
  // weights go to the f64x2 code as they are; from there on, zero lanes are substituted first
  // (measured, dense: 3.09 ns/element with the substitution in every block, 2.94 without; going
  // back to the first loop after each block with a zero cost zipf 2.80 -> 2.90 and gained nothing
  // with one zero in 97).
  for (; i < nb; i += 12) {
    let p = ptr + (<usize>i << 3);
    let x0 = v128.load(p);
    let x1 = v128.load(p, 16);
    let x2 = v128.load(p, 32);
    let x3 = v128.load(p, 48);
    let x4 = v128.load(p, 64);
    let x5 = v128.load(p, 80);
    let m = block_min_i32x4(x0, x1, x2, x3, x4, x5);
    let M = block_max_i32x4(x0, x1, x2, x3, x4, x5);
    if (irregular(m, M)) break;
    vmin = i32x4.min_s(vmin, m);
    vmax = i32x4.max_s(vmax, M);
    shannon_pair_f64(bS, bU, p, x0);
    shannon_pair_f64(bS, bU, p + 16, x1);
    shannon_pair_f64(bS, bU, p + 32, x2);
    shannon_pair_f64(bS, bU, p + 48, x3);
    shannon_pair_f64(bS, bU, p + 64, x4);
    shannon_pair_f64(bS, bU, p + 80, x5);
  }
  for (; i < nb; i += 12) {
    let p = ptr + (<usize>i << 3);
    let x0 = substitute_zero(v128.load(p));
    let x1 = substitute_zero(v128.load(p, 16));
    let x2 = substitute_zero(v128.load(p, 32));
    let x3 = substitute_zero(v128.load(p, 48));
    let x4 = substitute_zero(v128.load(p, 64));
    let x5 = substitute_zero(v128.load(p, 80));
    let m = block_min_i32x4(x0, x1, x2, x3, x4, x5);
    let M = block_max_i32x4(x0, x1, x2, x3, x4, x5);
    if (irregular(m, M)) {
      // its twelve elements in index order, as the scalar build runs them
      for (let k = 0; k < 12; k++) shannon_one_f64(load<f64>(p + (<usize>k << 3)), i + k, st);
      continue;
    }
    vmin = i32x4.min_s(vmin, m);
    vmax = i32x4.max_s(vmax, M);
    shannon_pair_f64(bS, bU, p, x0);
    shannon_pair_f64(bS, bU, p + 16, x1);
    shannon_pair_f64(bS, bU, p + 32, x2);
    shannon_pair_f64(bS, bU, p + 48, x3);
    shannon_pair_f64(bS, bU, p + 64, x4);
    shannon_pair_f64(bS, bU, p + 80, x5);
  }
  for (; i < len; i++) shannon_one_f64(load<f64>(ptr + (<usize>i << 3)), i, st);
  let hwLo = min(i32x4.extract_lane(vmin, 1), i32x4.extract_lane(vmin, 3));
  let hwHi = max(i32x4.extract_lane(vmax, 1), i32x4.extract_lane(vmax, 3));
  if (hwHi >= 0) {
    // Slot ranges of the f64x2 deposits (the scalar code widens them as it goes), from the range
    // of the high words (a zero lane counts as 0.75, which only widens it: extra slots in a range
    // only cost the flush a look). S by k = (hw - 0x3FE60000) >> 20, monotone in hw; U holds
    // u = c * log_z(c) with 2^-55 <= |log_z| < 0.375 (or u = 0: c a power of two), so e(u) is in
    // [e(c) - 56, e(c) - 1], which covers both the slots e(c) + LOGZ_SLOT and those read from u
    // next to z = 1.
    touch(st, 0, MAIN + 1023 + ((hwLo - 0x3FE60000) >> 20));
    touch(st, 0, MAIN + 1023 + ((hwHi - 0x3FE60000) >> 20));
    touch(st, 1, max(MAIN + (hwLo >> 20) - 57, 0));
    touch(st, 1, MAIN + (hwHi >> 20));
  }
}

/**
 * Whether a block fails the check, from the i32x4 min m and max M of its (substituted) weights:
 * a high word (lanes 1, 3) outside [LOW's, HIGH's) (LOW and HIGH have zero low words, so the high
 * word decides; the low words, lanes 0 and 2, always pass). A negative weight (or -0, made -0.75)
 * has a negative high word; Infinity and NaN one of at least 0x7FF00000 (or a negative one); a
 * subnormal or tiny weight one below LOW's.
 */
@inline
function irregular(m: v128, M: v128): bool {
  let lo = i32x4(<i32>0x80000000, 0x04900000, <i32>0x80000000, 0x04900000);
  let hi = i32x4(0x7FFFFFFF, 0x782FFFFF, 0x7FFFFFFF, 0x782FFFFF);
  return v128.any_true(v128.or(i32x4.lt_s(m, lo), i32x4.gt_s(M, hi)));
}

/**
 * The pair of weights at p (x: the same with zero lanes substituted, or as they are if the block has
 * no zero): S += c by k, U += c * log_z(c), lane j into set j.
 */
@inline
function shannon_pair_f64(bS: usize, bU: usize, p: usize, x: v128): void {
  let v = v128.load(p);
  let tmp = i64x2.sub(x, i64x2.splat(0x3FE6000000000000));
  let t0 = <u64>i64x2.extract_lane(tmp, 0);
  let t1 = <u64>i64x2.extract_lane(tmp, 1);
  let i0 = <usize>((t0 >> 45) & 127);
  let i1 = <usize>((t1 >> 45) & 127);
  // U's slots: S's slot + LOGZ_KSLOT of the cell (a zero lane's are 0.75's: it deposits +-0)
  let b0 = load<i32>(LOGZ_KSLOT + (i0 << 2));
  let b1 = load<i32>(LOGZ_KSLOT + (i1 << 2));
  let u = f64x2.mul(v, log_z_f64x2(x, tmp, i0, i1));
  // S by k = tmp >> 52 (arithmetic; a zero lane's k is 0.75's)
  let js0 = MAIN + 1023 + <i32>(<i64>t0 >> 52);
  let js1 = MAIN + 1023 + <i32>(<i64>t1 >> 52);
  deposit_f64x2(bS, js0, js1, v);
  let ju0 = js0 + b0;
  let ju1 = js1 + b1;
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
