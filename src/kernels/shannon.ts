// shannon_update_f64: accumulate S = sum c and T = sum c*log(c) of weights c, exactly.
// H = ln S - T/S is formed once, in TS (src/finalize.ts), from the exact sums.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: assembly/kernels/shannon.ts
// TS reads the high word of c from `xw`, an Int32Array view of x's buffer, and picks the slot of
// c*log(c) arithmetically (term_slot in ./exact.ts): both exact, neither changes a rounding.
import { log_f64, log_hw_f64 } from '../math/log';
import {
  DOWN, H_RANGE, HIGH, LOW, MAIN, UP, deposit_any_f64, deposit_f64, mark_bad, sum_block,
  LOGK_SLOT, NO_BOUND, term_or_exponent, type KernelState,
} from './exact';

const I32_MAX = 0x7fffffff;

export function shannon_update_f64(
  x: Float64Array, xw: Int32Array, off: number, len: number, st: KernelState,
): void {
  const f = st.f64;
  const bS = sum_block(0);
  const bT = sum_block(1);
  let sLo = I32_MAX, sHi = -1, tLo = I32_MAX, tHi = -1;
  for (let i = 0; i < len; i++) {
    const c = x[off + i];
    const set = i & 1;
    if (c >= LOW && c < HIGH) {
      const hw = xw[((off + i) << 1) + 1];
      const ec = (hw >>> 20) & 0x7ff;
      // The slot of t from c's exponent and the log's reduction exponent k, before the log.
      const ks = LOGK_SLOT[(((hw - 0x3fe60000) | 0) >> 20) + 1100];
      const L = log_hw_f64(c, hw, 0);
      const t = c * L;
      const js = MAIN + ec;
      if (js < sLo) sLo = js;
      if (js > sHi) sHi = js;
      deposit_f64(f, bS, js, set, c);
      if (t !== 0) {
        const jt = MAIN + (ks !== NO_BOUND ? ec + ks : term_or_exponent(ec, L, t));
        if (jt < tLo) tLo = jt;
        if (jt > tHi) tHi = jt;
        deposit_f64(f, bT, jt, set, t);
      }
    } else {
      shannon_rare_f64(c, i, st);
    }
  }
  // Widen the header's slot ranges. Math.min/max, not comparisons: V8 optimizes this loop on its
  // first long call, before code after the loop has type feedback, and a comparison here would
  // then deoptimize the kernel. Written out, not a helper, to stay within V8's inlining budget.
  const h = st.i32;
  const R = H_RANGE >> 2;
  h[R + 0] = Math.min(h[R + 0], sLo);
  h[R + 1] = Math.max(h[R + 1], sHi);
  h[R + 2] = Math.min(h[R + 2], tLo);
  h[R + 3] = Math.max(h[R + 3], tHi);
}

/** Zero, invalid, tiny (< LOW: scaled up by 2^600) or huge (>= HIGH: scaled down) weights. */
export function shannon_rare_f64(c: number, i: number, st: KernelState): void {
  if (c === 0) return;
  if (!(c > 0 && c < Infinity)) {
    mark_bad(st, 0, i);
    return;
  }
  const set = i & 1;
  const region = c < LOW ? 0 : 2;
  const cs = c < LOW ? c * UP : c * DOWN; // exact: a power-of-two scaling into the normal range
  deposit_any_f64(st, 0, region, set, cs);
  deposit_any_f64(st, 1, region, set, cs * log_f64(c));
}
