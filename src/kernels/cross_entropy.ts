// cross_entropy_update_f64: P = sum p, Q = sum q, A = sum p*log(q), exactly; CE = ln Q - A/P.
// Twin: assembly/kernels/cross_entropy.ts. The loop lives in ./pair.ts (shared with KL).
import type { KernelState } from './exact';
import { pair_update_f64 } from './pair';

export function cross_entropy_update_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, len: number,
  st: KernelState,
): void {
  pair_update_f64(px, pw, qx, qw, off, len, st, false);
}
