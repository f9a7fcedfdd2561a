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
// Element i uses bin set i & 1 (TS: in the state; see the bookkeeping note). `kl` is a constant at each call site.
// Twin: assembly/kernels/pair.ts. TS reads high words from Int32Array views of the inputs and
// picks the slot of each term arithmetically (term_slot in ./exact.ts): exact, no rounding changes.
// Bookkeeping that differs from the twin, all exact (the sums cannot tell): the fast loop (p zero
// or in [LOW, HIGH), q in [LOW, HIGH)) deposits into private bins with four sets, folded into
// the state's two sets after the loop; the P and Q slot ranges come from the range of their high
// words (and CE's term slots e(p) + LOGQ_SLOT[e(q)] from those); every other pair is left to pair_rare_f64, after the loop, in index order (so the first
// invalid index is still found). KL's fast loop also leaves the terms of pairs whose p/q left the
// double range to a pass after it (see kl_loop_f64).
import { highWord } from '../math/bits';
import { LN2_HI, LN2_LO, log1p_near_fn, log_f64, log_main_fn, log_ratio_f64 } from '../math/log';
import {
  DOWN, H_INF, H_RANGE, HIGH, LOGQ_SLOT, LOW, MAIN, NO_BOUND, REGION_SLOTS, SLOT_F64, UP, deposit_any_f64, fold_private_f64,
  mark_bad, sum_block, type KernelState,
} from './exact';

// Private bins of region 1 for P, Q and A: slot j at 8j, four sets of [hi, lo] used in turn
// (see src/kernels/shannon.ts for why; fold_private_f64 in ./exact.ts adds them into the state).
const PP = new Float64Array(REGION_SLOTS * 8);
const PQ = new Float64Array(REGION_SLOTS * 8);
const PA = new Float64Array(REGION_SLOTS * 8);
// Results of pair_loop_f64: high-word ranges of the fast path's nonzero p and its q, and the
// range of the A slots it used (hi < 0: none).
let pLo = 0, pHi = -1, qLo = 0, qHi = -1, aLo = 0, aHi = -1;
/** Indices (relative to off) of the pairs the fast loop left to pair_rare_f64, in order. */
/** A fast loop over [off, off + len) of both inputs. */
type PairLoop = (px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number) => void;

/** Elements per fast-loop pass: longer calls run in pieces of this many (TERMS and LEFT hold one). */
const PIECE = 65536;
const LEFT = new Int32Array(PIECE);
let NLEFT = 0;
/** KL: indices (relative to off) of the fast-path pairs whose p/q overflowed or underflowed. */
const RARE = new Int32Array(PIECE);
let NRARE = 0;
/**
 * TS only (bookkeeping): LOGR_SLOT[rhw >> 17] is floor(log2 |log r|) at its smallest over the r
 * outside the near-1 window [0.9375, 1.064697265625) whose high word is rhw (cells of an eighth
 * of a binade, r a positive normal). Over the plain part of every cell |log r| varies by less
 * than a factor 4 (checked here), so ep + LOGR_SLOT[rhw >> 17] is a valid slot for the term
 * p * log r, as ep + LOGQ_SLOT[eq] is for cross entropy's (see LOGQ_SLOT in ./exact.ts): known
 * before the log, so the deposit's address does not wait for it. Cells inside the window hold 0
 * (never used). Built from 9 logs, in well under a millisecond.
 */
const LOGR_SLOT: Int8Array = (() => {
  const t = new Int8Array(16384);
  const lm: number[] = [];
  for (let j = 0; j <= 8; j++) lm.push(log_f64(1 + j / 8));
  const lnA = log_f64(0.9375);
  const lnB = log_f64(1.064697265625);
  for (let c = 8; c < 16376; c++) {
    const k = (c >> 3) - 1023;
    const j = c & 7;
    // log r over the cell (increasing in r), then its part outside the window
    let l0 = k * LN2_HI + (lm[j] + k * LN2_LO);
    let l1 = k * LN2_HI + (lm[j + 1] + k * LN2_LO);
    if (k === -1 && j === 7) continue; // [0.9375, 1): inside the window
    if (k === 0 && j === 0) l0 = lnB; // [1, 1.125): plain from 1.064697265625 on
    if (k === -1 && j === 6) l1 = lnA; // [0.875, 0.9375)
    const a0 = l0 < 0 ? -l0 : l0;
    const a1 = l1 < 0 ? -l1 : l1;
    const lmin = Math.min(a0, a1) * (1 - 1e-9);
    const lmax = Math.max(a0, a1) * (1 + 1e-9);
    if (!(lmin > 0 && lmax < 4 * lmin)) throw new Error(`LOGR_SLOT: cell ${c} spans [${lmin}, ${lmax}]`);
    t[c] = ((highWord(lmin) >>> 20) & 0x7ff) - 1023; // floor(log2 lmin), lmin normal
  }
  return t;
})();

/** KL: the ratios p / q of a piece, and their words. */
const RATIOS = new Float64Array(PIECE);
const RATIO_WORDS = new Int32Array(RATIOS.buffer);
// CE terms with q in [0.5, 2) (no LOGQ_SLOT bound), whose slots pair_terms_f64 reads from their
// own exponents in a second pass, so that no deposit address in the loop waits for a log.
const TERMS = new Float64Array(PIECE);
const TW = new Int32Array(TERMS.buffer);
let NTERMS = 0;
/** Where the fast loops put their reads before the loop (kept, so that no tool drops them). */
let PRE = 0;

export function pair_update_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number,
  st: KernelState, kl: boolean,
): void {
  for (let s0 = 0; s0 < len; s0 += PIECE) {
    pair_piece_f64(px, pw, qx, qw, off + s0, Math.min(PIECE, len - s0), s0, st, kl);
  }
}

/** pair_update_f64 over one piece [off, off + len) that starts at element s0 of the call. */
function pair_piece_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number, s0: number,
  st: KernelState, kl: boolean,
): void {
  if (kl) {
    kl_loop_f64(px, pw, qx, qw, off, len);
    // the terms of the pairs whose p/q left the double range: log p - log q, by their exponents
    for (let k = 0; k < NRARE; k++) {
      const j = off + RARE[k];
      TERMS[k] = px[j] * log_ratio_f64(px[j], qx[j]);
    }
    NTERMS = NRARE;
  } else {
    ce_loop_f64(px, pw, qx, qw, off, len);
    // slots ep + LOGQ_SLOT[eq] over the fast path's exponent ranges of p and q
    if (pHi >= 0) ceSlotRange(pLo >> 20, pHi >> 20, qLo >> 20, qHi >> 20);
  }
  pair_terms_f64(NTERMS);
  if (pHi >= 0) fold_private_f64(st, 0, PP, pLo >> 20, pHi >> 20);
  if (qHi >= 0) fold_private_f64(st, 1, PQ, qLo >> 20, qHi >> 20);
  if (aHi >= 0) fold_private_f64(st, 2, PA, aLo, aHi);
  for (let k = 0; k < NLEFT; k++) {
    const j = LEFT[k];
    pair_rare_f64(px[off + j], qx[off + j], s0 + j, st, kl);
  }
}

/** aLo/aHi := the range of ep + LOGQ_SLOT[eq] over ep in [e0, e1], eq in [f0, f1] (bounded eq). */
function ceSlotRange(e0: number, e1: number, f0: number, f1: number): void {
  let lo = 0x7fffffff, hi = -0x7fffffff;
  for (let e = f0; e <= f1; e++) {
    const b = LOGQ_SLOT[e];
    if (b === NO_BOUND) continue;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  if (lo > hi) return; // every q in [0.5, 2): all terms went to TERMS
  aLo = e0 + lo;
  aHi = e1 + hi;
}

/**
 * Deposit TERMS[0, m) into PA by their own exponents and widen aLo/aHi. Fast-path terms are
 * normal or zero (see RESCUE_E in ./exact.ts), so exponent 0 means a zero term, which adds nothing.
 */
function pair_terms_f64(m: number): void {
  let a0 = aHi >= 0 ? aLo : 0x7fffffff, a1 = aHi;
  let set = 0;
  for (let k = 0; k < m; k++) {
    const e = (TW[(k << 1) + 1] >>> 20) & 0x7ff;
    if (e === 0) continue;
    const a = TERMS[k];
    if (e < a0) a0 = e;
    if (e > a1) a1 = e;
    const c = a * 134217729; // SPLIT
    const hi = c - (c - a);
    const lo = a - hi;
    const d = (e << 3) | set;
    PA[d] = PA[d] + hi;
    PA[d + 1] = PA[d + 1] + lo;
    set = (set + 2) & 6;
  }
  aLo = a0;
  aHi = a1;
}

/**
 * Cross entropy's fast loop (kl_loop_f64 is KL's; two loops, so that V8 compiles each without
 * the other's branches): nothing after the loop but stores to module variables (see
 * src/kernels/shannon.ts shannon_loop_f64 for why). The deposits are written out, and p and q
 * in log_f64's near-1 range [0x1.ep-1, 0x1.109p0) are left to pair_rare_f64, so that the logs
 * are log_main_f64 itself (what log_f64 computes for the other positive normals): V8 inlines
 * callees only up to a total bytecode size (920), and two full log_f64 paths, log1p_near_f64 and
 * three deposit helpers exceed it, which left a log as a call with boxed doubles (measured: KL
 * 40 ns/element).
 */
const ce_loop_f64 = ((): PairLoop => {
  const LM = log_main_fn;
  const P_ = PP;
  const Q_ = PQ;
  const A_ = PA;
  const QS = LOGQ_SLOT;
  const TR = TERMS;
  return function ce_loop(px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number): void {
    let p0 = 0x7fffffff, p1 = -1, q0 = 0x7fffffff, q1 = -1, n = 0, m = 0, set = 0;
    const end = off + len;
    // Reads of the four views before the loop (len > 0): V8 then drops their type and map checks
    // inside the loop as redundant (see src/kernels/shannon.ts)
    PRE = px[off] + qx[off] + pw[(off << 1) | 1] + qw[(off << 1) | 1];
    for (let i = off; i < end; i++) {
      const p = px[i];
      const q = qx[i];
      const qhw = qw[(i << 1) | 1];
      const phw = pw[(i << 1) | 1];
      // q in [LOW, HIGH) and p zero or in [LOW, HIGH), neither in the near-1 range of log_f64.
      // LOW and HIGH have zero low words, so the high words decide (a negative or NaN value fails:
      // its word is negative as an int32, or at least 0x7ff00000)
      if (((qhw - 0x04900000) >>> 0) < 0x73a00000 && (((phw - 0x04900000) >>> 0) < 0x73a00000 || p === 0) &&
          ((qhw - 0x3fee0000) >>> 0) >= 0x30900) {
        if (qhw < q0) q0 = qhw;
        if (qhw > q1) q1 = qhw;
        let c = q * 134217729; // SPLIT: deposit_f64's split, written out
        let hi = c - (c - q);
        let lo = q - hi;
        let d = ((qhw >> 20) << 3) | set;
        Q_[d] = Q_[d] + hi;
        Q_[d + 1] = Q_[d + 1] + lo;
        if (p !== 0) {
          if (phw < p0) p0 = phw;
          if (phw > p1) p1 = phw;
          const ep = phw >> 20;
          c = p * 134217729;
          hi = c - (c - p);
          lo = p - hi;
          d = (ep << 3) | set;
          P_[d] = P_[d] + hi;
          P_[d + 1] = P_[d + 1] + lo;
          const L = LM(q, qhw, 0);
          const a = p * L;
          // the slot from q's exponent where that bounds |log q| (LOGQ_SLOT), known before the
          // log (the range of these slots follows from the P and Q ranges, after the loop);
          // otherwise (q in [0.5, 2)) the term waits in TERMS for pair_terms_f64
          const eq = QS[qhw >> 20];
          if (eq !== NO_BOUND) {
            const ja = ep + eq;
            c = a * 134217729;
            hi = c - (c - a);
            lo = a - hi;
            d = (ja << 3) | set;
            A_[d] = A_[d] + hi;
            A_[d + 1] = A_[d + 1] + lo;
          } else {
            TR[m++] = a;
          }
        }
        set = (set + 2) & 6;
      } else {
        LEFT[n++] = i - off;
      }
    }
    pLo = p0;
    pHi = p1;
    qLo = q0;
    qHi = q1;
    aLo = 0;
    aHi = -1;
    NLEFT = n;
    NTERMS = m;
  };
})();

/**
 * kl_divergence's fast loop: ce_loop_f64 with log_ratio_f64(p, q) as L, each term by its exponent.
 * log_ratio_f64 is written out (r = p / q, then the near-1 window on r, else log_main_f64 of r);
 * a pair whose r overflowed or underflowed (log p - log q) has its P and Q deposited here and its
 * index put in RARE, and pair_piece_f64 forms that term after the loop (log_ratio_f64 itself, so
 * the same bits) and deposits it by its exponent: exact bookkeeping, and it keeps two full
 * log_f64 paths out of this loop (V8's inlining budget; see ce_loop_f64).
 */
const kl_loop_f64 = ((): PairLoop => {
  const LM = log_main_fn;
  const L1 = log1p_near_fn;
  const P_ = PP;
  const Q_ = PQ;
  const A_ = PA;
  const RR = RARE;
  const RT = RATIOS;
  const RW = RATIO_WORDS;
  const RS = LOGR_SLOT;
  const XF = new Float64Array(1);
  const XW = new Int32Array(XF.buffer);
  return function kl_loop(px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number): void {
    let p0 = 0x7fffffff, p1 = -1, q0 = 0x7fffffff, q1 = -1, a0 = 0x7fffffff, a1 = -1, n = 0, m = 0, set = 0;
    const end = off + len;
    // Reads of the four views before the loop (len > 0): V8 then drops their type and map checks
    // inside the loop as redundant (see src/kernels/shannon.ts)
    PRE = px[off] + qx[off] + pw[(off << 1) | 1] + qw[(off << 1) | 1];
    // The ratios r = p / q first, in a loop of their own: the divisions then overlap (a division
    // inside the main loop put its latency on each element's chain, log and deposit waiting for
    // it: 14.6 ns/element there, measured), and r's high word is read from RW, not through XF.
    for (let i = off, k = 0; i < end; i++, k++) RT[k] = px[i] / qx[i];
    for (let i = off; i < end; i++) {
      const p = px[i];
      const q = qx[i];
      const qhw = qw[(i << 1) | 1];
      const phw = pw[(i << 1) | 1];
      // q in [LOW, HIGH) and p zero or in [LOW, HIGH) (no log of p or q itself is taken, so,
      // unlike ce_loop_f64, values near 1 stay here). LOW and HIGH have zero low words, so the
      // high words decide (a negative or NaN value fails: its word is negative as an int32, or
      // at least 0x7ff00000)
      if (((qhw - 0x04900000) >>> 0) < 0x73a00000 && (((phw - 0x04900000) >>> 0) < 0x73a00000 || p === 0)) {
        if (qhw < q0) q0 = qhw;
        if (qhw > q1) q1 = qhw;
        let c = q * 134217729; // SPLIT: deposit_f64's split, written out
        let hi = c - (c - q);
        let lo = q - hi;
        let d = ((qhw >> 20) << 3) | set;
        Q_[d] = Q_[d] + hi;
        Q_[d + 1] = Q_[d + 1] + lo;
        if (p !== 0) {
          if (phw < p0) p0 = phw;
          if (phw > p1) p1 = phw;
          const ep = phw >> 20;
          c = p * 134217729;
          hi = c - (c - p);
          lo = p - hi;
          d = (ep << 3) | set;
          P_[d] = P_[d] + hi;
          P_[d + 1] = P_[d + 1] + lo;
          // log_ratio_f64(p, q), with r = p / q from the loop above
          // (the tests on r's high word, exact: 0.9375, 1.064697265625, 2^-1022 and Infinity have
          // zero low words; and one branch each, where r >= 0.9375 && r < ... mispredicted for
          // every other element: 15 ns/element)
          const k = i - off;
          const r = RT[k];
          const rhw = RW[(k << 1) | 1];
          let a: number, ea: number;
          if (((rhw - 0x3fee0000) >>> 0) < 0x30900) {
            // r in [0.9375, 1.064697265625): the slot is the term's own exponent, read through
            // the closure's scratch pair of views (a 64-bit store, then a 32-bit load of its high
            // half: forwarded); 0 for a zero term (p == q)
            a = p * L1((p - q) / q);
            XF[0] = a;
            ea = (XW[1] >>> 20) & 0x7ff;
          } else if (((rhw - 0x00100000) >>> 0) < 0x7fe00000) {
            // r in [2^-1022, Infinity), outside the window: the slot from r's cell (LOGR_SLOT)
            ea = ep + RS[rhw >> 17];
            a = p * LM(r, rhw, 0);
          } else {
            RR[m++] = i - off;
            set = (set + 2) & 6;
            continue;
          }
          if (ea !== 0) {
            if (ea < a0) a0 = ea;
            if (ea > a1) a1 = ea;
            c = a * 134217729;
            hi = c - (c - a);
            lo = a - hi;
            d = (ea << 3) | set;
            A_[d] = A_[d] + hi;
            A_[d + 1] = A_[d + 1] + lo;
          }
        }
        set = (set + 2) & 6;
      } else {
        LEFT[n++] = i - off;
      }
    }
    pLo = p0;
    pHi = p1;
    qLo = q0;
    qHi = q1;
    aLo = a0;
    aHi = a1;
    NLEFT = n;
    NRARE = m;
    NTERMS = 0;
  };
})();

/** Any pair with a zero, an invalid, a tiny or a huge value. */
export function pair_rare_f64(p: number, q: number, i: number, st: KernelState, kl: boolean): void {
  const badP = !(p >= 0 && p < Infinity);
  const badQ = !(q >= 0 && q < Infinity);
  if (badP) mark_bad(st, 0, i);
  if (badQ) mark_bad(st, 1, i);
  if (badP || badQ) return;
  const set = i & 1;
  if (q !== 0) {
    deposit_any_f64(st, 1, q < LOW ? 0 : q < HIGH ? 1 : 2, set, q < LOW ? q * UP : q < HIGH ? q : q * DOWN);
  }
  if (p === 0) return;
  const region = p < LOW ? 0 : p < HIGH ? 1 : 2;
  const ps = p < LOW ? p * UP : p < HIGH ? p : p * DOWN; // exact power-of-two scaling
  deposit_any_f64(st, 0, region, set, ps);
  if (q === 0) {
    st.i32[H_INF >> 2] = 1;
    return;
  }
  deposit_any_f64(st, 2, region, set, pair_term_f64(ps, p, q, kl));
}

/** The term for weight ps (p itself, or p scaled by a power of two) of the pair (p, q). */
export function pair_term_f64(ps: number, p: number, q: number, kl: boolean): number {
  return kl ? ps * log_ratio_f64(p, q) : ps * log_f64(q);
}
