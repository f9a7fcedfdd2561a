// shannon_update_f64: accumulate, exactly, S = sum c (indexed by k) and U = sum c*log_z(c), where
// c = z * 2^k is the log's reduction (z in [0x1.6p-1, 0x1.6p0)). The flush forms K = sum k*c from
// S's slots, and src/finalize.ts forms H = ln S - (K ln2 + U)/S with the large k ln2 parts exact,
// which keeps H accurate and invariant under power-of-two scaling of the weights.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: assembly/kernels/shannon.ts (which runs chunks of ordinary weights in f64x2 lanes).
// TS reads the high word of c from `xw`, an Int32Array view of x's buffer, and picks the slot of
// u from c's exponent and log cell (LOGZ_SLOT in ./exact.ts): both exact, neither changes a rounding.
import { highWord } from '../math/bits';
import { log_z_f64 } from '../math/log';
import {
  DOWN, H_RANGE, HIGH, LOGZ_SLOT, LOW, MAIN, NO_BOUND, UP, deposit_any_f64, deposit_f64, exponent_f64,
  k_slot, mark_bad, sum_block, touch, type KernelState,
} from './exact';

const I32_MAX = 0x7fffffff;

export function shannon_update_f64(
  x: Float64Array, xw: Int32Array, off: number, len: number, st: KernelState,
): void {
  const f = st.f64;
  const bS = sum_block(0);
  const bU = sum_block(1);
  let sLo = I32_MAX, sHi = -1, uLo = I32_MAX, uHi = -1;
  for (let i = 0; i < len; i++) {
    const c = x[off + i];
    const set = i & 1;
    if (c >= LOW && c < HIGH) {
      const hw = xw[((off + i) << 1) + 1];
      const th = (hw - 0x3fe60000) | 0; // high word of the log's tmp: k and the table cell
      const ec = (hw >>> 20) & 0x7ff;
      const ez = LOGZ_SLOT[(th >> 13) & 127];
      const u = c * log_z_f64(c, hw);
      const js = MAIN + (th >> 20) + 1023;
      if (js < sLo) sLo = js;
      if (js > sHi) sHi = js;
      deposit_f64(f, bS, js, set, c);
      if (ez !== NO_BOUND) {
        const ju = MAIN + ec + ez;
        if (ju < uLo) uLo = ju;
        if (ju > uHi) uHi = ju;
        deposit_f64(f, bU, ju, set, u);
      } else if (u !== 0) {
        // z near 1 (two of the 128 cells): |log z| has no useful bound, read u's exponent
        const ju = MAIN + exponent_f64(u);
        if (ju < uLo) uLo = ju;
        if (ju > uHi) uHi = ju;
        deposit_f64(f, bU, ju, set, u);
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
  h[R + 2] = Math.min(h[R + 2], uLo);
  h[R + 3] = Math.max(h[R + 3], uHi);
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
  const j = k_slot(region, cs);
  touch(st, 0, j);
  deposit_f64(st.f64, sum_block(0), j, set, cs);
  // cs has c's mantissa, so log_z(cs) = log_z(c)
  deposit_any_f64(st, 1, region, set, cs * log_z_f64(cs, highWord(cs)));
}
