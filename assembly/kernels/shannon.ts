// shannon_update_f64: accumulate S = sum c and T = sum c*log(c) of weights c, exactly.
// H = ln S - T/S is formed once, in TS (src/finalize.ts), from the exact sums.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: src/kernels/shannon.ts
import { log_f64 } from '../math/log';
import {
  DOWN, H_RANGE, HIGH, LOW, MAIN, UP, deposit_any_f64, deposit_f64, exponent_f64, mark_bad,
  sum_block, touch,
} from './exact';

export function shannon_update_f64(ptr: usize, len: i32, st: usize): void {
  let bS = sum_block(st, 0);
  let bT = sum_block(st, 1);
  let sLo = i32.MAX_VALUE, sHi = -1, tLo = i32.MAX_VALUE, tHi = -1;
  for (let i = 0; i < len; i++) {
    let c = load<f64>(ptr + (<usize>i << 3));
    let set = i & 1;
    if (c >= LOW && c < HIGH) {
      let t = c * log_f64(c);
      let js = MAIN + exponent_f64(c);
      if (js < sLo) sLo = js;
      if (js > sHi) sHi = js;
      deposit_f64(bS, js, set, c);
      if (t != 0) {
        let jt = MAIN + exponent_f64(t);
        if (jt < tLo) tLo = jt;
        if (jt > tHi) tHi = jt;
        deposit_f64(bT, jt, set, t);
      }
    } else {
      shannon_rare_f64(c, i, st);
    }
  }
  if (sHi >= 0) { touch(st, 0, sLo); touch(st, 0, sHi); }
  if (tHi >= 0) { touch(st, 1, tLo); touch(st, 1, tHi); }
}

/** Zero, invalid, tiny (< LOW: scaled up by 2^600) or huge (>= HIGH: scaled down) weights. */
export function shannon_rare_f64(c: f64, i: i32, st: usize): void {
  if (c == 0) return;
  if (!(c > 0 && c < Infinity)) {
    mark_bad(st, 0, i);
    return;
  }
  let set = i & 1;
  let region = c < LOW ? 0 : 2;
  let cs = c < LOW ? c * UP : c * DOWN; // exact: a power-of-two scaling into the normal range
  deposit_any_f64(st, 0, region, set, cs);
  deposit_any_f64(st, 1, region, set, cs * log_f64(c));
}
