// shannon_update_f64: accumulate S = sum c and T = sum c*log(c) of weights c, exactly.
// H = ln S - T/S is formed once, in TS (src/finalize.ts), from the exact sums.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: src/kernels/shannon.ts. Here, a chunk whose weights are all zero or in [LOW, HIGH) runs
// in f64x2 lanes, each lane performing the scalar sequence (log_main_f64x2, then c * log; near-1
// lanes take the scalar near-1 log); any other chunk runs the scalar code element by element.
// Every term is the twin's term bit for bit, and the exact sums cannot tell which path added it.
import { log_f64, log_lanes_f64x2 } from '../math/log';
import {
  DOWN, HIGH, LOW, MAIN, REGION_SLOTS, UP, deposit_any_f64, deposit_f64x2, exponent_f64, mark_bad,
  sum_block, touch,
} from './exact';

export function shannon_update_f64(ptr: usize, len: i32, st: usize): void {
  // Pre-pass: the range of the nonzero weights (and whether any is zero). NaN propagates
  // through f64x2.max and a negative weight shows in the minimum.
  let vmin = f64x2.splat(Infinity); // of the nonzero weights (and of the negative ones)
  let vmax = f64x2.splat(0);
  let vzero = f64x2.splat(0); // any lane ever zero
  let n2 = len & ~1;
  for (let i = 0; i < n2; i += 2) {
    let v = v128.load(ptr + (<usize>i << 3));
    let zero = f64x2.eq(v, f64x2.splat(0));
    vzero = v128.or(vzero, zero);
    vmin = f64x2.min(vmin, v128.bitselect(f64x2.splat(Infinity), v, zero));
    vmax = f64x2.max(vmax, v);
  }
  let lo = min(f64x2.extract_lane(vmin, 0), f64x2.extract_lane(vmin, 1));
  let hi = max(f64x2.extract_lane(vmax, 0), f64x2.extract_lane(vmax, 1));
  // Only whole chunks of ordinary weights, in [LOW, HIGH) or zero, take the f64x2 loop.
  if (!(lo >= LOW && hi < HIGH)) {
    for (let i = 0; i < len; i++) shannon_one_f64(load<f64>(ptr + (<usize>i << 3)), i, st);
    return;
  }
  let zeros = v128.any_true(vzero);
  let near1 = lo < 1.064697265625 && hi >= 0.9375;
  if (zeros) {
    if (near1) shannon_pairs_f64(ptr, n2, st, true, true);
    else shannon_pairs_f64(ptr, n2, st, true, false);
  } else {
    if (near1) shannon_pairs_f64(ptr, n2, st, false, true);
    else shannon_pairs_f64(ptr, n2, st, false, false);
  }
  if (n2 < len) shannon_one_f64(load<f64>(ptr + (<usize>n2 << 3)), n2, st);
  if (hi > 0) {
    // Slot ranges from the weight range: S exactly; T conservatively, as t = c * log(c) has
    // biased exponent e(c) + floor(log2 |log c|) or one more, and |log c| is monotone on
    // each side of 1. Two slots of margin cover rounding; extra slots only cost the flush a look.
    let ec0 = exponent_f64(lo), ec1 = exponent_f64(hi);
    touch(st, 0, MAIN + ec0);
    touch(st, 0, MAIN + ec1);
    let la = abs(log_f64(lo)), lb = abs(log_f64(hi));
    let lmin = lo < 1 && hi > 1 ? 0 : min(la, lb);
    let eL0 = lmin > 0 ? exponent_f64(lmin) - 1023 : -56;
    let eL1 = exponent_f64(max(la, lb)) - 1023;
    touch(st, 1, max(MAIN + ec0 + eL0 - 2, 0));
    touch(st, 1, min(MAIN + ec1 + eL1 + 2, 3 * REGION_SLOTS - 1));
  }
}

/** The f64x2 loop over an even count n of weights all in [LOW, HIGH) or zero. */
@inline
function shannon_pairs_f64(ptr: usize, n: i32, st: usize, zeros: bool, near1: bool): void {
  let bS = sum_block(st, 0);
  let bT = sum_block(st, 1);
  let i = 0;
  // Two pairs per iteration: independent log chains for the CPU to overlap.
  for (; i + 4 <= n; i += 4) {
    let t0 = shannon_term_f64x2(ptr + (<usize>i << 3), zeros, near1);
    let t1 = shannon_term_f64x2(ptr + (<usize>i << 3) + 16, zeros, near1);
    shannon_deposit_f64x2(bS, bT, v128.load(ptr + (<usize>i << 3)), t0);
    shannon_deposit_f64x2(bS, bT, v128.load(ptr + (<usize>i << 3), 16), t1);
  }
  if (i < n) {
    let t0 = shannon_term_f64x2(ptr + (<usize>i << 3), zeros, near1);
    shannon_deposit_f64x2(bS, bT, v128.load(ptr + (<usize>i << 3)), t0);
  }
}

/** c * log(c) for the pair at p (zero lanes give -0). */
@inline
function shannon_term_f64x2(p: usize, zeros: bool, near1: bool): v128 {
  let v = v128.load(p);
  // A zero lane takes the log of 0.5 instead: 0 * log = -0, a deposit that changes nothing.
  let x = zeros ? v128.bitselect(f64x2.splat(0.5), v, f64x2.eq(v, f64x2.splat(0))) : v;
  return f64x2.mul(v, log_lanes_f64x2(x, near1));
}

/** Deposit the weights v into S and their terms t into T (lane k into set k). */
@inline
function shannon_deposit_f64x2(bS: usize, bT: usize, v: v128, t: v128): void {
  let es = i64x2.shr_u(v, 52); // c >= 0: no sign bit
  let et = v128.and(i64x2.shr_u(t, 52), i64x2.splat(0x7FF));
  deposit_f64x2(bS, MAIN + <i32>i64x2.extract_lane(es, 0), MAIN + <i32>i64x2.extract_lane(es, 1), v);
  deposit_f64x2(bT, MAIN + <i32>i64x2.extract_lane(et, 0), MAIN + <i32>i64x2.extract_lane(et, 1), t);
}

/** One element on the scalar path (the twin's loop body). */
function shannon_one_f64(c: f64, i: i32, st: usize): void {
  if (c >= LOW && c < HIGH) {
    deposit_any_f64(st, 0, 1, i & 1, c);
    deposit_any_f64(st, 1, 1, i & 1, c * log_f64(c));
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
  deposit_any_f64(st, 0, region, set, cs);
  deposit_any_f64(st, 1, region, set, cs * log_f64(c));
}
