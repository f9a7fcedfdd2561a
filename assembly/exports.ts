// Non-inlined entry points of inline helpers, for the bitwise twin tests.
import { log_f64 } from './math/log';

export function log_f64_export(x: f64): f64 {
  return log_f64(x);
}
