// The two-histogram kernel behind cross_entropy_update_f64 and kl_divergence_update_f64.
// It accumulates P = sum p, Q = sum q and A = sum term(p, q) exactly, where
//   cross entropy: term = p*log(q)                 (CE = ln Q - A/P)
//   KL:            term = p*log_ratio(p, q)        (KL = A/P + ln(Q/P))
// log_ratio(p, q) (log_ratio_f64 in ../math/log.ts) takes ONE log per element: with r = p/q
// rounded, log1p((p - q)/q) when r is in the near-1 window (p - q then exact, so a term is
// accurate relative to itself even for p ~ q, where KL is tiny), else log r, else (r overflowed
// or underflowed) log p - log q.
// The results are formed once, in TS (src/finalize.ts), from the exact sums.
// Conventions: p == 0 contributes nothing to A whatever q is; p > 0 with q == 0 sets the
// infinity flag (the result is +Infinity); invalid values are recorded (first index) and skipped.
// Element i uses bin set i & 1. `kl` is a constant at each (inlined) call site.
// Twin: src/kernels/pair.ts. In the SIMD build, chunks of ordinary values run in f64x2 lanes, each
// lane performing the scalar sequence (see shannon.ts); other chunks, and every chunk in the
// scalar build, run the scalar code.
import { MIN_NORMAL, log1p_near_f64x2, log_f64, log_lanes_f64x2, log_main_f64x2, log_ratio_f64 } from '../math/log';
import {
  DOWN, H_INF, HIGH, LOW, MAIN, REGION_SLOTS, UP, deposit_any_f64, deposit_f64x2, exponent_f64,
  mark_bad, sum_block, touch,
} from './exact';

/**
 * LOGQ_SLOT of the twin (src/kernels/exact.ts) as bytes, the same 2048 values, with -128 for its
 * NO_BOUND (q in [0.5, 2)) and for exponents 0 and 2047: floor(log2 |log q|) at its smallest over
 * the binade of biased exponent e. Cross entropy takes the slot of t = p * log q as
 * e(p) + LOGQ_SLOT[e(q)], known before the log (the true exponent of t is that or at most three
 * above, which a slot holds exactly; see the twin's term_slot).
 */
const LOGQ_SLOT: usize = memory.data<i8>([
  -128, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
  6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
  6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
  6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
  5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, -1, -128, -128,
  -1, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
  5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6,
  6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
  6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
  6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, -128, -128,
]);

@inline
export function pair_update_f64(pPtr: usize, qPtr: usize, len: i32, st: usize, kl: bool): void {
  // The scalar build: the f64x2 code below is never compiled (see shannon.ts).
  if (!ASC_FEATURE_SIMD) {
    for (let i = 0; i < len; i++) {
      pair_one_f64(load<f64>(pPtr + (<usize>i << 3)), load<f64>(qPtr + (<usize>i << 3)), i, st, kl);
    }
    return;
  }
  // Pre-pass: ranges of the nonzero p and of q, whether p has zeros, whether any value is NaN
  // (pmin/pmax drop NaN; see shannon.ts for why they are used and how zero lanes are masked).
  let pmin = f64x2.splat(Infinity), pmax = f64x2.splat(0), pzero = f64x2.splat(0);
  let qmin = f64x2.splat(Infinity), qmax = f64x2.splat(0), vnan = f64x2.splat(0);
  let n2 = len & ~1;
  for (let i = 0; i < n2; i += 2) {
    let vp = v128.load(pPtr + (<usize>i << 3));
    let vq = v128.load(qPtr + (<usize>i << 3));
    let zero = f64x2.eq(vp, f64x2.splat(0));
    pzero = v128.or(pzero, zero);
    vnan = v128.or(vnan, v128.or(f64x2.ne(vp, vp), f64x2.ne(vq, vq)));
    pmin = f64x2.pmin(pmin, v128.or(vp, v128.and(zero, f64x2.splat(Infinity))));
    pmax = f64x2.pmax(pmax, vp);
    qmin = f64x2.pmin(qmin, vq);
    qmax = f64x2.pmax(qmax, vq);
  }
  let plo = min(f64x2.extract_lane(pmin, 0), f64x2.extract_lane(pmin, 1));
  let phi = max(f64x2.extract_lane(pmax, 0), f64x2.extract_lane(pmax, 1));
  let qlo = min(f64x2.extract_lane(qmin, 0), f64x2.extract_lane(qmin, 1));
  let qhi = max(f64x2.extract_lane(qmax, 0), f64x2.extract_lane(qmax, 1));
  // The f64x2 loop takes chunks with p zero or in [LOW, HIGH) and q in [LOW, HIGH) (so no
  // q = 0 and no infinity); any other chunk runs the scalar code element by element, and so does
  // a 1-element chunk: the pre-pass saw no pair, so its ranges are empty (plo = qlo = +Infinity,
  // phi = qhi = 0) and would record a whole region as Q's slot range (the scalar code records the
  // element's own slots).
  if (n2 == 0 || !(plo >= LOW && phi < HIGH && qlo >= LOW && qhi < HIGH) || v128.any_true(vnan)) {
    for (let i = 0; i < len; i++) {
      pair_one_f64(load<f64>(pPtr + (<usize>i << 3)), load<f64>(qPtr + (<usize>i << 3)), i, st, kl);
    }
    return;
  }
  if (kl) {
    // KL: whether every nonzero p's ratio p/q is a normal double for sure (p/q >= 2^(ep-eq-1) >=
    // 2^-1021 and < 2^(ep-eq+1) <= 2^1022 for the extreme biased exponents), and whether p has
    // zeros: the loop then tests each lane for less (see kl_pairs_f64)
    let safe = phi == 0 || (exponent_f64(plo) - exponent_f64(qhi) >= -1020 && exponent_f64(phi) - exponent_f64(qlo) <= 1021);
    if (!safe) kl_pairs_f64(pPtr, qPtr, n2, st, KL_ANY);
    else if (v128.any_true(pzero)) kl_pairs_f64(pPtr, qPtr, n2, st, KL_NORMAL);
    else kl_pairs_f64(pPtr, qPtr, n2, st, KL_NORMAL_NONZERO);
  } else {
    // CE: `special` when some q may be in log_f64's near-1 window
    if (qlo < 1.064697265625 && qhi >= 0.9375) pair_pairs_f64(pPtr, qPtr, n2, st, true);
    else pair_pairs_f64(pPtr, qPtr, n2, st, false);
  }
  if (n2 < len) pair_one_f64(load<f64>(pPtr + (<usize>n2 << 3)), load<f64>(qPtr + (<usize>n2 << 3)), n2, st, kl);
  // Slot ranges: P and Q from their ranges; A conservatively. |term| = p * |L| with L = log q
  // (monotone in |.| on each side of 1; a nonzero |log q| is at least 2^-54) or, for KL,
  // L = log_ratio_f64(p, q), |L| <= |log p| + |log q| (up to the division's 2^-53 and the logs'
  // rounding, which the +2 binades absorb: outside the window |L| >= 0.06). A nonzero L is at least
  // 2^-55 in size: in the window |(p - q)/q| >= 2^-54 (p - q is a nonzero multiple of the smaller
  // ulp of p and q, at least 2^-53 times the power of two below q), outside it |L| >= 0.06, and
  // log p - log q (r overflowed or underflowed) is >= 700 in size; eLmin = -108 is kept from the
  // two-log form, a safe (loose) bound for all three.
  if (phi > 0) {
    touch(st, 0, MAIN + exponent_f64(plo));
    touch(st, 0, MAIN + exponent_f64(phi));
  }
  touch(st, 1, MAIN + exponent_f64(qlo));
  touch(st, 1, MAIN + exponent_f64(qhi));
  if (phi > 0) {
    let qa = abs(log_f64(qlo)), qb = abs(log_f64(qhi));
    let lmax: f64, eLmin: i32;
    if (kl) {
      lmax = max(abs(log_f64(plo)), abs(log_f64(phi))) + max(qa, qb);
      eLmin = -108;
    } else {
      lmax = max(qa, qb);
      let lmin = qlo < 1 && qhi > 1 ? 0 : min(qa, qb);
      eLmin = lmin > 0 ? exponent_f64(lmin) - 1023 : -56;
    }
    touch(st, 2, max(MAIN + exponent_f64(plo) + eLmin - 2, 0));
    touch(st, 2, min(MAIN + exponent_f64(phi) + (exponent_f64(lmax) - 1023) + 2, 3 * REGION_SLOTS - 1));
  }
}

/** CE's f64x2 loop over an even count n of pairs, p zero or in [LOW, HIGH), q in [LOW, HIGH). */
@inline
function pair_pairs_f64(pPtr: usize, qPtr: usize, n: i32, st: usize, special: bool): void {
  let bP = sum_block(st, 0);
  let bQ = sum_block(st, 1);
  let bA = sum_block(st, 2);
  let i = 0;
  // Two pairs per iteration: independent log chains for the CPU to overlap (four measured about
  // 2 % faster, within the noise, for 17 KB more binary).
  for (; i + 4 <= n; i += 4) {
    pair_pair_f64(bP, bQ, bA, pPtr + (<usize>i << 3), qPtr + (<usize>i << 3), special);
    pair_pair_f64(bP, bQ, bA, pPtr + (<usize>i << 3) + 16, qPtr + (<usize>i << 3) + 16, special);
  }
  if (i < n) pair_pair_f64(bP, bQ, bA, pPtr + (<usize>i << 3), qPtr + (<usize>i << 3), special);
}

// What kl_pairs_f64 may assume of a chunk (compile-time constants at its call sites).
/** Any ratio p/q may be non-normal (overflow or underflow), p may be zero. */
const KL_ANY: i32 = 0;
/** Every ratio of a nonzero p is normal; p may be zero. */
const KL_NORMAL: i32 = 1;
/** Every ratio is normal and no p is zero. */
const KL_NORMAL_NONZERO: i32 = 2;

/**
 * KL's f64x2 loop over an even count n of pairs, p zero or in [LOW, HIGH), q in [LOW, HIGH), in
 * blocks of up to 64 pairs. In the loop every pair's term is the plain one (log_main_f64 of r on
 * both lanes) with the lanes that are not plain masked to +0 (a zero p lane's term is +-0 anyway);
 * a pair with a lane that is neither plain nor zero gets a bit in `mask`, and after the block its
 * other lanes' terms are formed and deposited (kl_pair_rest_f64). So the loop has no
 * data-dependent branch: with p and q independent, some 12 % of the pairs have a lane in the
 * near-1 window, and branching on that per pair cost about 1.8 ns/element (10^7 dense pairs).
 * `mode` says what the pre-pass ruled out, so that the lanes' test is as short as it can be (the
 * loop's speed is bound by its vector operations: each one shows).
 */
@inline
function kl_pairs_f64(pPtr: usize, qPtr: usize, n: i32, st: usize, mode: i32): void {
  let bP = sum_block(st, 0);
  let bQ = sum_block(st, 1);
  let bA = sum_block(st, 2);
  for (let i = 0; i < n; i += 128) {
    let m = min(n - i, 128); // even
    let pa = pPtr + (<usize>i << 3), qa = qPtr + (<usize>i << 3);
    let mask: u64 = 0;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      mask |= <u64>kl_pair_f64(bP, bQ, bA, pa + (<usize>j << 3), qa + (<usize>j << 3), mode) << <u64>(j >> 1);
      mask |= <u64>kl_pair_f64(bP, bQ, bA, pa + (<usize>j << 3) + 16, qa + (<usize>j << 3) + 16, mode) << <u64>((j >> 1) + 1);
    }
    if (j < m) mask |= <u64>kl_pair_f64(bP, bQ, bA, pa + (<usize>j << 3), qa + (<usize>j << 3), mode) << <u64>(j >> 1);
    while (mask != 0) {
      let k = <usize>ctz(mask);
      mask &= mask - 1;
      if (mode == KL_ANY) kl_pair_rest_f64(bA, pa + (k << 4), qa + (k << 4));
      else kl_pair_near_f64(bA, pa + (k << 4), qa + (k << 4));
    }
  }
}

/** The lanes of r = p / q that are plain: a positive normal outside [0.9375, 1.064697265625). */
@inline
function kl_plain(r: v128): v128 {
  return v128.or(
    v128.and(f64x2.ge(r, f64x2.splat(MIN_NORMAL)), f64x2.lt(r, f64x2.splat(0.9375))),
    v128.and(f64x2.ge(r, f64x2.splat(1.064697265625)), f64x2.lt(r, f64x2.splat(Infinity))));
}

/**
 * KL's two (p, q) pairs at pp and qp in the chunk loop: P += p, Q += q, A += the plain lanes'
 * terms (the others add +0). Returns 1 if a lane is neither plain nor has p = 0 (its term is then
 * kl_pair_rest_f64's), else 0. With mode KL_NORMAL or KL_NORMAL_NONZERO, a nonzero p's r is a
 * positive normal, so a lane is plain unless it is in the window or has p = 0 (r = 0).
 */
@inline
function kl_pair_f64(bP: usize, bQ: usize, bA: usize, pp: usize, qp: usize, mode: i32): u32 {
  let vp = v128.load(pp);
  let vq = v128.load(qp);
  let r = f64x2.div(vp, vq);
  // non-plain lanes: log_main_f64x2 of any bit pattern reads inside the table; masked to +0
  let t = f64x2.mul(vp, log_main_f64x2(r));
  let rest: u32;
  if (mode == KL_ANY) {
    let plain = kl_plain(r);
    t = v128.and(t, plain);
    rest = <u32>!i64x2.all_true(v128.or(plain, f64x2.eq(vp, f64x2.splat(0))));
  } else {
    let near = v128.and(f64x2.ge(r, f64x2.splat(0.9375)), f64x2.lt(r, f64x2.splat(1.064697265625)));
    t = v128.andnot(t, mode == KL_NORMAL ? v128.or(near, f64x2.eq(vp, f64x2.splat(0))) : near);
    rest = <u32>v128.any_true(near);
  }
  let ep = i64x2.shr_u(vp, 52); // p, q >= 0: no sign bit
  let eq = i64x2.shr_u(vq, 52);
  deposit_f64x2(bP, MAIN + <i32>i64x2.extract_lane(ep, 0), MAIN + <i32>i64x2.extract_lane(ep, 1), vp);
  deposit_f64x2(bQ, MAIN + <i32>i64x2.extract_lane(eq, 0), MAIN + <i32>i64x2.extract_lane(eq, 1), vq);
  let et = i64x2.shr_u(t, 52); // the term's own exponent (and sign, masked off below)
  deposit_f64x2(bA, MAIN + (<i32>i64x2.extract_lane(et, 0) & 0x7FF), MAIN + (<i32>i64x2.extract_lane(et, 1) & 0x7FF), t);
  return rest;
}

/**
 * After kl_pair_f64 (mode KL_NORMAL or KL_NORMAL_NONZERO) returned 1 for the pairs at pp and qp:
 * A += the terms of its lanes in the near-1 window, log1p_near_f64((p - q) / q) (the only lanes
 * not plain there, besides zero p lanes, which stay out: their r = 0 is not in the window).
 */
function kl_pair_near_f64(bA: usize, pp: usize, qp: usize): void {
  let vp = v128.load(pp);
  let vq = v128.load(qp);
  let r = f64x2.div(vp, vq);
  let near = v128.and(f64x2.ge(r, f64x2.splat(0.9375)), f64x2.lt(r, f64x2.splat(1.064697265625)));
  let t = v128.and(f64x2.mul(vp, log1p_near_f64x2(f64x2.div(f64x2.sub(vp, vq), vq))), near);
  let et = v128.and(i64x2.shr_u(t, 52), i64x2.splat(0x7FF));
  deposit_f64x2(bA, MAIN + <i32>i64x2.extract_lane(et, 0), MAIN + <i32>i64x2.extract_lane(et, 1), t);
}

/** After kl_pair_f64 returned 1 for the pairs at pp and qp: A += the terms of its non-plain lanes. */
function kl_pair_rest_f64(bA: usize, pp: usize, qp: usize): void {
  let vp = v128.load(pp);
  let vq = v128.load(qp);
  let r = f64x2.div(vp, vq);
  let plain = kl_plain(r);
  let t = v128.andnot(kl_term_mixed_f64x2(vp, vq, r, plain), plain);
  let et = v128.and(i64x2.shr_u(t, 52), i64x2.splat(0x7FF));
  deposit_f64x2(bA, MAIN + <i32>i64x2.extract_lane(et, 0), MAIN + <i32>i64x2.extract_lane(et, 1), t);
}

/**
 * The terms of two (p, q) pairs, lane by lane the scalar pair_term_f64 (p zero or in [LOW, HIGH),
 * q in [LOW, HIGH)); CE's `special`: some q lane may be near 1, else none is (KL ignores it:
 * its lanes test their own ratios).
 * AS only (SIMD), shared by the chunk loop and the row kernel (src/kernels/rows has no twin of it:
 * the TS kernels compute each lane's term by the scalar path).
 */
@inline
export function pair_term_f64x2(vp: v128, vq: v128, kl: bool, special: bool): v128 {
  if (kl) return kl_term_f64x2(vp, vq, f64x2.div(vp, vq));
  return f64x2.mul(vp, log_lanes_f64x2(vq, special));
}

/**
 * KL's term of two (p, q) pairs given r = p / q (f64x2.div, the same rounded ratio): log_ratio_f64
 * lane by lane. A lane whose r is a positive normal outside the near-1 window [0.9375,
 * 1.064697265625) ("plain", the common case) takes log_main_f64 of r; a lane in the window takes
 * log1p_near_f64((p - q) / q); a zero p lane (r = 0) takes log 0.5 instead (0 * L = -0 adds
 * nothing: the scalar path skips the term); any other lane (r overflowed or underflowed, or, only
 * in a row kernel's checking pass, an invalid value) takes the scalar log_f64(p) - log_f64(q).
 * Each lane's choice is log_ratio_f64's (the same test on the same r), so each lane has its bits.
 */
@inline
function kl_term_f64x2(vp: v128, vq: v128, r: v128): v128 {
  let plain = kl_plain(r);
  if (i64x2.all_true(plain)) return f64x2.mul(vp, log_main_f64x2(r));
  return kl_term_mixed_f64x2(vp, vq, r, plain);
}

/**
 * kl_term_f64x2 for a pair with a lane that is not plain. Not inlined (on purpose: no @inline,
 * several call sites, too large for Binaryen to inline): with this code inside the chunk loop,
 * the loop ran at 6.1 ns/element instead of 4.3 (V8's register allocation and code layout of the
 * larger loop body, measured on 10^7 dense pairs, of which almost none take this path).
 */
function kl_term_mixed_f64x2(vp: v128, vq: v128, r: v128, plain: v128): v128 {
  let L: v128;
  let zero = f64x2.eq(vp, f64x2.splat(0));
  if (i64x2.all_true(v128.or(plain, zero))) {
    // plain lanes and zero p lanes only (frequent for sparse p)
    L = log_main_f64x2(v128.bitselect(f64x2.splat(0.5), r, zero));
  } else {
    L = log_main_f64x2(v128.bitselect(r, f64x2.splat(0.5), plain));
    let near = v128.and(f64x2.ge(r, f64x2.splat(0.9375)), f64x2.lt(r, f64x2.splat(1.064697265625)));
    if (v128.any_true(near)) L = v128.bitselect(log1p_near_f64x2(f64x2.div(f64x2.sub(vp, vq), vq)), L, near);
    let rare = v128.not(v128.or(v128.or(plain, near), zero));
    if (v128.any_true(rare)) {
      if (i64x2.extract_lane(rare, 0) != 0) {
        L = f64x2.replace_lane(L, 0, log_f64(f64x2.extract_lane(vp, 0)) - log_f64(f64x2.extract_lane(vq, 0)));
      }
      if (i64x2.extract_lane(rare, 1) != 0) {
        L = f64x2.replace_lane(L, 1, log_f64(f64x2.extract_lane(vp, 1)) - log_f64(f64x2.extract_lane(vq, 1)));
      }
    }
  }
  return f64x2.mul(vp, L);
}

/** CE's two (p, q) pairs at pp and qp: P += p, Q += q, A += term (lane j into set j). */
@inline
function pair_pair_f64(bP: usize, bQ: usize, bA: usize, pp: usize, qp: usize, special: bool): void {
  let vp = v128.load(pp);
  let vq = v128.load(qp);
  let t = f64x2.mul(vp, log_lanes_f64x2(vq, special));
  let ep = i64x2.shr_u(vp, 52); // p, q >= 0: no sign bit
  let eq = i64x2.shr_u(vq, 52);
  let ep0 = <i32>i64x2.extract_lane(ep, 0), ep1 = <i32>i64x2.extract_lane(ep, 1);
  let eq0 = <i32>i64x2.extract_lane(eq, 0), eq1 = <i32>i64x2.extract_lane(eq, 1);
  deposit_f64x2(bP, MAIN + ep0, MAIN + ep1, vp);
  deposit_f64x2(bQ, MAIN + eq0, MAIN + eq1, vq);
  let ja0: i32, ja1: i32;
  let b0 = <i32>load<i8>(LOGQ_SLOT + <usize>eq0);
  let b1 = <i32>load<i8>(LOGQ_SLOT + <usize>eq1);
  if ((b0 == -128) | (b1 == -128)) {
    // q in [0.5, 2): the term's own exponent
    let et = v128.and(i64x2.shr_u(t, 52), i64x2.splat(0x7FF));
    ja0 = MAIN + <i32>i64x2.extract_lane(et, 0);
    ja1 = MAIN + <i32>i64x2.extract_lane(et, 1);
  } else {
    // e(p) + LOGQ_SLOT[e(q)] (a zero p lane deposits +-0 wherever it lands)
    ja0 = MAIN + ep0 + b0;
    ja1 = MAIN + ep1 + b1;
  }
  deposit_f64x2(bA, ja0, ja1, t);
}

/** One element on the scalar path (the twin's loop body). */
function pair_one_f64(p: f64, q: f64, i: i32, st: usize, kl: bool): void {
  if (p >= LOW && p < HIGH && q >= LOW && q < HIGH) {
    deposit_any_f64(st, 0, 1, i & 1, p);
    deposit_any_f64(st, 1, 1, i & 1, q);
    deposit_any_f64(st, 2, 1, i & 1, pair_term_f64(p, p, q, kl));
  } else {
    pair_rare_f64(p, q, i, st, kl);
  }
}

/** Any pair with a zero, an invalid, a tiny or a huge value. */
export function pair_rare_f64(p: f64, q: f64, i: i32, st: usize, kl: bool): void {
  let badP = !(p >= 0 && p < Infinity);
  let badQ = !(q >= 0 && q < Infinity);
  if (badP) mark_bad(st, 0, i);
  if (badQ) mark_bad(st, 1, i);
  if (badP || badQ) return;
  let set = i & 1;
  if (q != 0) {
    deposit_any_f64(st, 1, q < LOW ? 0 : q < HIGH ? 1 : 2, set, q < LOW ? q * UP : q < HIGH ? q : q * DOWN);
  }
  if (p == 0) return;
  let region = p < LOW ? 0 : p < HIGH ? 1 : 2;
  let ps = p < LOW ? p * UP : p < HIGH ? p : p * DOWN; // exact power-of-two scaling
  deposit_any_f64(st, 0, region, set, ps);
  if (q == 0) {
    store<i32>(st + H_INF, 1);
    return;
  }
  deposit_any_f64(st, 2, region, set, pair_term_f64(ps, p, q, kl));
}

/** The term for weight ps (p itself, or p scaled by a power of two) of the pair (p, q). */
@inline
export function pair_term_f64(ps: f64, p: f64, q: f64, kl: bool): f64 {
  return kl ? ps * log_ratio_f64(p, q) : ps * log_f64(q);
}
