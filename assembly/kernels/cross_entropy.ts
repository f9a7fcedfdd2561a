// cross_entropy_update_f64: P = sum p, Q = sum q, A = sum p*log(q), exactly; CE = ln Q - A/P.
// Twin: src/kernels/cross_entropy.ts. The loop lives in ./pair.ts (shared with KL).
import { pair_update_f64 } from './pair';

export function cross_entropy_update_f64(pPtr: usize, qPtr: usize, len: i32, st: usize): void {
  pair_update_f64(pPtr, qPtr, len, st, false);
}
