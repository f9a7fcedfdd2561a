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
// Twin: src/kernels/pair.ts. In the SIMD build, pairs go in blocks of twelve (six f64x2 pairs): a
// block of ordinary values runs in f64x2 lanes, each lane performing the scalar sequence (see
// shannon.ts); any other block runs the scalar code element by element in index order, as every
// element does in the scalar build.
import { MIN_NORMAL, log1p_near_f64x2, log_f64, log_lanes_f64x2, log_main_f64x2, log_ratio_f64 } from '../math/log';
import {
  DOWN, H_INF, HIGH, LOW, MAIN, REGION_SLOTS, UP, block_max_i32x4, block_min_i32x4, deposit_any_f64,
  deposit_f64x2, exponent_f64, mark_bad, substitute_zero, sum_block, touch,
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
  let bP = sum_block(st, 0);
  let bQ = sum_block(st, 1);
  let bA = sum_block(st, 2);
  // Running i32x4 min/max of the regular blocks' p (zeros substituted) and q; lanes 1 and 3 hold
  // the high words, whose signed order is the values' order for the positive values these are.
  let pmin = i32x4.splat(0x7FFFFFFF);
  let pmax = i32x4.splat(<i32>0x80000000);
  let qmin = i32x4.splat(0x7FFFFFFF);
  let qmax = i32x4.splat(<i32>0x80000000);
  // KL: one bit per pair whose near-1 lanes are still to be formed (kl_pair_near_f64), bit k for
  // the pair at element mbase + 2k; flushed every ten blocks and at the end.
  let mask: u64 = 0;
  let mbase = 0;
  // Blocks of twelve (six pairs), loaded and checked before they run, as in shannon.ts: a block
  // whose p are zero or in [LOW, HIGH) and whose q are in [LOW, HIGH) (so no q = 0 and no
  // infinity), and for KL whose ratios p/q are normal for sure, runs in f64x2 lanes; any other
  // block runs the scalar code element by element in index order (so the first invalid index of
  // p and of q is the one recorded, and every value goes where the scalar build puts it).
  let nb = len - len % 12;
  let i = 0;
  // Until the first block that fails the check (in most data, the first with a zero p), p goes to
  // the check as it is; from there on, zero p lanes are substituted first (for the check only).
  // KL's pairs also know in the first loop that no p is zero. (Measured, same process: the second
  // loop alone, from block 0 on, was 5-6 % slower on 10^7 dense pairs and 2-3 % on zipf p.)
  for (; i < nb; i += 12) {
    let pp = pPtr + (<usize>i << 3);
    let qp = qPtr + (<usize>i << 3);
    let p0 = v128.load(pp);
    let p1 = v128.load(pp, 16);
    let p2 = v128.load(pp, 32);
    let p3 = v128.load(pp, 48);
    let p4 = v128.load(pp, 64);
    let p5 = v128.load(pp, 80);
    let q0 = v128.load(qp);
    let q1 = v128.load(qp, 16);
    let q2 = v128.load(qp, 32);
    let q3 = v128.load(qp, 48);
    let q4 = v128.load(qp, 64);
    let q5 = v128.load(qp, 80);
    let mp = block_min_i32x4(p0, p1, p2, p3, p4, p5);
    let Mp = block_max_i32x4(p0, p1, p2, p3, p4, p5);
    let mq = block_min_i32x4(q0, q1, q2, q3, q4, q5);
    let Mq = block_max_i32x4(q0, q1, q2, q3, q4, q5);
    if (pair_irregular(mp, Mp, mq, Mq, kl)) break;
    pmin = i32x4.min_s(pmin, mp);
    pmax = i32x4.max_s(pmax, Mp);
    qmin = i32x4.min_s(qmin, mq);
    qmax = i32x4.max_s(qmax, Mq);
    if (kl) {
      mask |= kl_block_f64(bP, bQ, bA, p0, p1, p2, p3, p4, p5, q0, q1, q2, q3, q4, q5, KL_NORMAL_NONZERO) << <u64>((i - mbase) >> 1);
      if (i + 24 - mbase > 128) {
        kl_flush_f64(bA, pPtr + (<usize>mbase << 3), qPtr + (<usize>mbase << 3), mask);
        mask = 0;
        mbase = i + 12;
      }
    } else if (ce_mid(mq, Mq)) {
      ce_block_mid_f64(bP, bQ, bA, pp, qp);
    } else {
      ce_block_f64(bP, bQ, bA, p0, p1, p2, p3, p4, p5, q0, q1, q2, q3, q4, q5, false);
    }
  }
  for (; i < nb; i += 12) {
    let pp = pPtr + (<usize>i << 3);
    let qp = qPtr + (<usize>i << 3);
    let p0 = v128.load(pp);
    let p1 = v128.load(pp, 16);
    let p2 = v128.load(pp, 32);
    let p3 = v128.load(pp, 48);
    let p4 = v128.load(pp, 64);
    let p5 = v128.load(pp, 80);
    let s0 = substitute_zero(p0);
    let s1 = substitute_zero(p1);
    let s2 = substitute_zero(p2);
    let s3 = substitute_zero(p3);
    let s4 = substitute_zero(p4);
    let s5 = substitute_zero(p5); // for the check only: the pairs take p as it is
    let q0 = v128.load(qp);
    let q1 = v128.load(qp, 16);
    let q2 = v128.load(qp, 32);
    let q3 = v128.load(qp, 48);
    let q4 = v128.load(qp, 64);
    let q5 = v128.load(qp, 80);
    let mp = block_min_i32x4(s0, s1, s2, s3, s4, s5);
    let Mp = block_max_i32x4(s0, s1, s2, s3, s4, s5);
    let mq = block_min_i32x4(q0, q1, q2, q3, q4, q5);
    let Mq = block_max_i32x4(q0, q1, q2, q3, q4, q5);
    if (pair_irregular(mp, Mp, mq, Mq, kl)) {
      // its twelve elements in index order, as the scalar build runs them
      for (let k = 0; k < 12; k++) {
        pair_one_f64(load<f64>(pp + (<usize>k << 3)), load<f64>(qp + (<usize>k << 3)), i + k, st, kl);
      }
    } else {
      pmin = i32x4.min_s(pmin, mp);
      pmax = i32x4.max_s(pmax, Mp);
      qmin = i32x4.min_s(qmin, mq);
      qmax = i32x4.max_s(qmax, Mq);
      if (kl) mask |= kl_block_f64(bP, bQ, bA, p0, p1, p2, p3, p4, p5, q0, q1, q2, q3, q4, q5, KL_NORMAL) << <u64>((i - mbase) >> 1);
      else if (ce_mid(mq, Mq)) ce_block_mid_f64(bP, bQ, bA, pp, qp);
      else ce_block_f64(bP, bQ, bA, p0, p1, p2, p3, p4, p5, q0, q1, q2, q3, q4, q5, false);
    }
    if (kl && i + 24 - mbase > 128) {
      kl_flush_f64(bA, pPtr + (<usize>mbase << 3), qPtr + (<usize>mbase << 3), mask);
      mask = 0;
      mbase = i + 12;
    }
  }
  if (kl) kl_flush_f64(bA, pPtr + (<usize>mbase << 3), qPtr + (<usize>mbase << 3), mask);
  for (; i < len; i++) pair_one_f64(load<f64>(pPtr + (<usize>i << 3)), load<f64>(qPtr + (<usize>i << 3)), i, st, kl);
  let phwLo = min(i32x4.extract_lane(pmin, 1), i32x4.extract_lane(pmin, 3));
  let phwHi = max(i32x4.extract_lane(pmax, 1), i32x4.extract_lane(pmax, 3));
  if (phwHi < 0) return; // no regular block (the scalar code recorded its own slots)
  let qhwLo = min(i32x4.extract_lane(qmin, 1), i32x4.extract_lane(qmin, 3));
  let qhwHi = max(i32x4.extract_lane(qmax, 1), i32x4.extract_lane(qmax, 3));
  // Slot ranges of the f64x2 deposits, from the ranges of the high words: plo <= every p (a zero
  // p counts as 0.75, which only widens the ranges: extra slots only cost the flush a look) and
  // phi >= every p, the same for q, all in [LOW, HIGH). P and Q by their exponents. A
  // conservatively: |term| = p * |L| with L = log q (monotone in |.| on each side of 1, so within
  // the bounds' logs; a nonzero |log q| is at least 2^-54) or, for KL, L = log_ratio_f64(p, q),
  // |L| <= |log p| + |log q| (up to the division's 2^-53 and the logs' rounding, which the +2
  // binades absorb: outside the window |L| >= 0.06). A nonzero L is at least 2^-55 in size: in the
  // window |(p - q)/q| >= 2^-54 (p - q is a nonzero multiple of the smaller ulp of p and q, at
  // least 2^-53 times the power of two below q), outside it |L| >= 0.06 (the regular blocks'
  // ratios are all normal, so log p - log q is not taken there); eLmin = -108 is kept from the
  // two-log form, a safe (loose) bound.
  let plo = reinterpret<f64>(<u64>phwLo << 32);
  let phi = reinterpret<f64>((<u64>phwHi << 32) | 0xFFFFFFFF);
  let qlo = reinterpret<f64>(<u64>qhwLo << 32);
  let qhi = reinterpret<f64>((<u64>qhwHi << 32) | 0xFFFFFFFF);
  touch(st, 0, MAIN + (phwLo >> 20));
  touch(st, 0, MAIN + (phwHi >> 20));
  touch(st, 1, MAIN + (qhwLo >> 20));
  touch(st, 1, MAIN + (qhwHi >> 20));
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
  touch(st, 2, max(MAIN + (phwLo >> 20) + eLmin - 2, 0));
  touch(st, 2, min(MAIN + (phwHi >> 20) + (exponent_f64(lmax) - 1023) + 2, 3 * REGION_SLOTS - 1));
}

/**
 * Whether a block fails the check, from the i32x4 min and max of its p (mp, Mp; zeros substituted
 * or not) and of its q (mq, Mq): a high word (lanes 1, 3) outside [LOW's, HIGH's) (LOW and HIGH
 * have zero low words, so the high word decides; the low words, lanes 0 and 2, always pass). A
 * negative value (or -0) has a negative high word; Infinity and NaN one of at least 0x7FF00000 (or
 * a negative one); zero, a subnormal or a tiny value one below LOW's. For KL also a block whose
 * ratios p/q might not all be normal: e(p) - e(q) must be in [-1020, 1021] for each pair (then
 * p/q >= 2^(e(p)-e(q)-1) >= 2^-1021 and < 2^(e(p)-e(q)+1) <= 2^1022), which a difference of high
 * words in [-1020 << 20, 1021 << 20] ensures (a high word is its exponent << 20 plus less than
 * 2^20); lane j's maximum p minus its minimum q bounds every pair of the lane. The subtractions
 * cannot overflow for values that pass the first test (and do not matter for others).
 */
@inline
function pair_irregular(mp: v128, Mp: v128, mq: v128, Mq: v128, kl: bool): bool {
  let lo = i32x4(<i32>0x80000000, 0x04900000, <i32>0x80000000, 0x04900000);
  let hi = i32x4(0x7FFFFFFF, 0x782FFFFF, 0x7FFFFFFF, 0x782FFFFF);
  let bad = v128.or(i32x4.lt_s(i32x4.min_s(mp, mq), lo), i32x4.gt_s(i32x4.max_s(Mp, Mq), hi));
  if (kl) {
    let dlo = i32x4(<i32>0x80000000, -(1020 << 20), <i32>0x80000000, -(1020 << 20));
    let dhi = i32x4(0x7FFFFFFF, 1021 << 20, 0x7FFFFFFF, 1021 << 20);
    bad = v128.or(bad, v128.or(i32x4.lt_s(i32x4.sub(mp, Mq), dlo), i32x4.gt_s(i32x4.sub(Mp, mq), dhi)));
  }
  return v128.any_true(bad);
}

/**
 * Whether some q of a regular block may be in [0.5, 2) (high words [0x3FE00000, 0x40000000)), from
 * the i32x4 min mq and max Mq of its q, lane by lane: that range holds log_f64's near-1 window
 * [0.9375, 1.064697265625) and the exponents where LOGQ_SLOT has no bound (pair_pair_f64's `mid`).
 * Histograms (q < 0.5) and counts (q >= 2) outside it skip both tests (measured, same process:
 * CE 10^7 dense about 2 % faster than testing LOGQ_SLOT's -128 in every pair; with the mid block
 * inlined as well, CE on histograms was 6-7 % slower for 2-4 % gained on q in [0.5, 2)).
 */
@inline
function ce_mid(mq: v128, Mq: v128): bool {
  let a = i32x4(<i32>0x80000000, 0x40000000, <i32>0x80000000, 0x40000000);
  let b = i32x4(0x7FFFFFFF, 0x3FE00000, 0x7FFFFFFF, 0x3FE00000);
  return v128.any_true(v128.and(i32x4.lt_s(mq, a), i32x4.ge_s(Mq, b)));
}

/** CE's regular block of six pairs p0..p5, q0..q5 (`mid`: some q may be in [0.5, 2)). */
@inline
function ce_block_f64(bP: usize, bQ: usize, bA: usize, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, q0: v128, q1: v128, q2: v128, q3: v128, q4: v128, q5: v128, mid: bool): void {
  pair_pair_f64(bP, bQ, bA, p0, q0, mid);
  pair_pair_f64(bP, bQ, bA, p1, q1, mid);
  pair_pair_f64(bP, bQ, bA, p2, q2, mid);
  pair_pair_f64(bP, bQ, bA, p3, q3, mid);
  pair_pair_f64(bP, bQ, bA, p4, q4, mid);
  pair_pair_f64(bP, bQ, bA, p5, q5, mid);
}

/** ce_block_f64 for a block with q that may be in [0.5, 2) (not inlined: see ce_mid). */
function ce_block_mid_f64(bP: usize, bQ: usize, bA: usize, pp: usize, qp: usize): void {
  ce_block_f64(bP, bQ, bA, v128.load(pp), v128.load(pp, 16), v128.load(pp, 32), v128.load(pp, 48), v128.load(pp, 64), v128.load(pp, 80),
    v128.load(qp), v128.load(qp, 16), v128.load(qp, 32), v128.load(qp, 48), v128.load(qp, 64), v128.load(qp, 80), true);
}

// What kl_pair_f64 may assume of a block (compile-time constants at its call sites); a block
// whose ratios might not be normal runs the scalar code (pair_irregular).
/** Every ratio of a nonzero p is normal; p may be zero. */
const KL_NORMAL: i32 = 1;
/** Every ratio is normal and no p is zero. */
const KL_NORMAL_NONZERO: i32 = 2;

/**
 * KL's regular block of six pairs p0..p5, q0..q5 (as loaded for the check: passing them, not
 * loading them again in each pair, measured KL 10^7 dense 5.19 -> 4.61 ns/element in one process,
 * CE unchanged): the plain lanes' terms (kl_pair_f64); returns
 * bit k set for pair k if it has a lane in the near-1 window, whose term is formed later
 * (kl_flush_f64). So the loop has no data-dependent branch: with p and q independent, some 12 % of
 * the pairs have a lane in the near-1 window, and branching on that per pair cost about 1.8
 * ns/element (10^7 dense pairs).
 */
@inline
function kl_block_f64(bP: usize, bQ: usize, bA: usize, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, q0: v128, q1: v128, q2: v128, q3: v128, q4: v128, q5: v128, mode: i32): u64 {
  let m = <u64>kl_pair_f64(bP, bQ, bA, p0, q0, mode);
  m |= <u64>kl_pair_f64(bP, bQ, bA, p1, q1, mode) << 1;
  m |= <u64>kl_pair_f64(bP, bQ, bA, p2, q2, mode) << 2;
  m |= <u64>kl_pair_f64(bP, bQ, bA, p3, q3, mode) << 3;
  m |= <u64>kl_pair_f64(bP, bQ, bA, p4, q4, mode) << 4;
  m |= <u64>kl_pair_f64(bP, bQ, bA, p5, q5, mode) << 5;
  return m;
}

/** The near-1 lanes of the pairs marked in mask (bit k: the pair at pa + 16k, qa + 16k). */
@inline
function kl_flush_f64(bA: usize, pa: usize, qa: usize, mask: u64): void {
  while (mask != 0) {
    let k = <usize>ctz(mask);
    mask &= mask - 1;
    kl_pair_near_f64(bA, pa + (k << 4), qa + (k << 4));
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
 * KL's two (p, q) pairs vp, vq of a regular block: P += p, Q += q, A += the plain lanes'
 * terms (the others add +0). A nonzero p's r is a positive normal (pair_irregular), so a lane is
 * plain unless it is in the window or has p = 0 (r = 0). Returns 1 if a lane is in the window
 * (its term is then kl_pair_near_f64's), else 0. Non-plain lanes take log_main_f64x2 of any bit
 * pattern, which reads inside the table, and are masked to +0.
 */
@inline
function kl_pair_f64(bP: usize, bQ: usize, bA: usize, vp: v128, vq: v128, mode: i32): u32 {
  let r = f64x2.div(vp, vq);
  let t = f64x2.mul(vp, log_main_f64x2(r));
  let near = v128.and(f64x2.ge(r, f64x2.splat(0.9375)), f64x2.lt(r, f64x2.splat(1.064697265625)));
  t = v128.andnot(t, mode == KL_NORMAL ? v128.or(near, f64x2.eq(vp, f64x2.splat(0))) : near);
  let rest = <u32>v128.any_true(near);
  let ep = i64x2.shr_u(vp, 52); // p, q >= 0: no sign bit
  let eq = i64x2.shr_u(vq, 52);
  deposit_f64x2(bP, MAIN + <i32>i64x2.extract_lane(ep, 0), MAIN + <i32>i64x2.extract_lane(ep, 1), vp);
  deposit_f64x2(bQ, MAIN + <i32>i64x2.extract_lane(eq, 0), MAIN + <i32>i64x2.extract_lane(eq, 1), vq);
  let et = i64x2.shr_u(t, 52); // the term's own exponent (and sign, masked off below)
  deposit_f64x2(bA, MAIN + (<i32>i64x2.extract_lane(et, 0) & 0x7FF), MAIN + (<i32>i64x2.extract_lane(et, 1) & 0x7FF), t);
  return rest;
}

/**
 * After kl_pair_f64 returned 1 for the pairs at pp and qp: A += the terms of its lanes in the
 * near-1 window, log1p_near_f64((p - q) / q) (the only lanes not plain there, besides zero p
 * lanes, which stay out: their r = 0 is not in the window).
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

/**
 * CE's two (p, q) pairs vp, vq: P += p, Q += q, A += term (lane j into set j). `mid`: some q
 * may be in [0.5, 2) (which holds log_f64's near-1 window, and where LOGQ_SLOT has no bound); else
 * none is, and neither is tested for.
 */
@inline
function pair_pair_f64(bP: usize, bQ: usize, bA: usize, vp: v128, vq: v128, mid: bool): void {
  let t = f64x2.mul(vp, log_lanes_f64x2(vq, mid));
  let ep = i64x2.shr_u(vp, 52); // p, q >= 0: no sign bit
  let eq = i64x2.shr_u(vq, 52);
  let ep0 = <i32>i64x2.extract_lane(ep, 0), ep1 = <i32>i64x2.extract_lane(ep, 1);
  let eq0 = <i32>i64x2.extract_lane(eq, 0), eq1 = <i32>i64x2.extract_lane(eq, 1);
  deposit_f64x2(bP, MAIN + ep0, MAIN + ep1, vp);
  deposit_f64x2(bQ, MAIN + eq0, MAIN + eq1, vq);
  let ja0: i32, ja1: i32;
  let b0 = <i32>load<i8>(LOGQ_SLOT + <usize>eq0);
  let b1 = <i32>load<i8>(LOGQ_SLOT + <usize>eq1);
  if (mid && ((b0 == -128) | (b1 == -128))) {
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
