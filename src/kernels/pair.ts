// The two-histogram kernel behind cross_entropy_update_f64 and kl_divergence_update_f64.
// It accumulates P = sum p, Q = sum q and A = sum term(p, q) exactly, where
//   cross entropy: term = p*log(q)                 (CE = ln Q - A/P)
//   KL:            term = p*log_ratio(p, q)        (KL = A/P + ln(Q/P))
// log_ratio(p, q) is log1p((p - q)/q) when p/q is near 1 (p - q then exact) and log p - log q
// otherwise, so a term is accurate relative to itself even for p ~ q, where KL is tiny.
// The results are formed once, in TS (src/finalize.ts), from the exact sums.
// Conventions: p == 0 contributes nothing to A whatever q is; p > 0 with q == 0 sets the
// infinity flag (the result is +Infinity); invalid values are recorded (first index) and skipped.
// Element i uses bin set i & 1. `kl` is a constant at each call site.
// Twin: assembly/kernels/pair.ts. TS reads high words from Int32Array views of the inputs and
// picks the slot of each term arithmetically (term_slot in ./exact.ts): exact, no rounding changes.
import { log1p_near_f64, log_f64, log_hw_f64, log_ratio_f64 } from '../math/log';
import {
  DOWN, H_INF, H_RANGE, HIGH, LOW, MAIN, UP, deposit_any_f64, deposit_f64, mark_bad,
  sum_block, term_or_exponent, type KernelState,
} from './exact';

const I32_MAX = 0x7fffffff;

export function pair_update_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number,
  st: KernelState, kl: boolean,
): void {
  const f = st.f64;
  const bP = sum_block(0);
  const bQ = sum_block(1);
  const bA = sum_block(2);
  let pLo = I32_MAX, pHi = -1, qLo = I32_MAX, qHi = -1, aLo = I32_MAX, aHi = -1;
  for (let i = 0; i < len; i++) {
    const p = px[off + i];
    const q = qx[off + i];
    const set = i & 1;
    if (p >= LOW && p < HIGH && q >= LOW && q < HIGH) {
      const phw = pw[((off + i) << 1) + 1];
      const qhw = qw[((off + i) << 1) + 1];
      let L: number;
      if (kl) {
        // log_ratio_f64(p, q), written out with the high words already at hand
        const d = (p - q) / q;
        L = d >= -0.0625 && d < 0.064697265625 ? log1p_near_f64(d) : log_hw_f64(p, phw, 0) - log_hw_f64(q, qhw, 0);
      } else {
        L = log_hw_f64(q, qhw, 0);
      }
      const a = p * L;
      const ep = (phw >>> 20) & 0x7ff;
      const jp = MAIN + ep;
      if (jp < pLo) pLo = jp;
      if (jp > pHi) pHi = jp;
      deposit_f64(f, bP, jp, set, p);
      const jq = MAIN + ((qhw >>> 20) & 0x7ff);
      if (jq < qLo) qLo = jq;
      if (jq > qHi) qHi = jq;
      deposit_f64(f, bQ, jq, set, q);
      if (a !== 0) {
        const ja = MAIN + term_or_exponent(ep, L, a);
        if (ja < aLo) aLo = ja;
        if (ja > aHi) aHi = ja;
        deposit_f64(f, bA, ja, set, a);
      }
    } else {
      pair_rare_f64(p, q, i, st, kl);
    }
  }
  // Widen the header's slot ranges. Math.min/max, not comparisons: V8 optimizes this loop on its
  // first long call, before code after the loop has type feedback, and a comparison here would
  // then deoptimize the kernel. Written out, not a helper, to stay within V8's inlining budget.
  const h = st.i32;
  const R = H_RANGE >> 2;
  h[R + 0] = Math.min(h[R + 0], pLo);
  h[R + 1] = Math.max(h[R + 1], pHi);
  h[R + 2] = Math.min(h[R + 2], qLo);
  h[R + 3] = Math.max(h[R + 3], qHi);
  h[R + 4] = Math.min(h[R + 4], aLo);
  h[R + 5] = Math.max(h[R + 5], aHi);
}

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
