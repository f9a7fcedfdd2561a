// kl_divergence_update_f64: P = sum p, Q = sum q, D = sum p*log_ratio(p, q), exactly;
// KL = D/P + ln(Q/P). log_ratio (../math/log.ts log_ratio_f64) is one log per element: log of
// the rounded ratio p/q, log1p((p - q)/q) when that ratio is in the near-1 window, log p - log q
// only when it overflows or underflows. Twin: assembly/kernels/kl_divergence.ts. The loop lives in ./pair.ts.
import type { KernelState } from './exact';
import { pair_update_f64 } from './pair';

export function kl_divergence_update_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number,
  st: KernelState,
): void {
  pair_update_f64(px, pw, qx, qw, off, len, st, true);
}
