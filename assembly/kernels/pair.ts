// The two-histogram kernel behind cross_entropy_update_f64 and kl_divergence_update_f64.
// It accumulates P = sum p, Q = sum q and A = sum term(p, q) exactly, where
//   cross entropy: term = p*log(q)                 (CE = ln Q - A/P)
//   KL:            term = p*(log(p) - log(q))      (KL = A/P + ln Q - ln P)
// Two logs for KL, not log(p/q): terms stay functions of (p, q) alone (see perf-techniques.md).
// The results are formed once, in TS (src/finalize.ts), from the exact sums.
// Conventions: p == 0 contributes nothing to A whatever q is; p > 0 with q == 0 sets the
// infinity flag (the result is +Infinity); invalid values are recorded (first index) and skipped.
// Element i uses bin set i & 1. `kl` is a constant at each (inlined) call site.
// Twin: src/kernels/pair.ts
import { log_f64 } from '../math/log';
import {
  DOWN, H_INF, H_RANGE, HIGH, LOW, MAIN, UP, deposit_any_f64, deposit_f64, exponent_f64,
  mark_bad, sum_block, touch,
} from './exact';

@inline
export function pair_update_f64(pPtr: usize, qPtr: usize, len: i32, st: usize, kl: bool): void {
  let bP = sum_block(st, 0);
  let bQ = sum_block(st, 1);
  let bA = sum_block(st, 2);
  let pLo = i32.MAX_VALUE, pHi = -1, qLo = i32.MAX_VALUE, qHi = -1, aLo = i32.MAX_VALUE, aHi = -1;
  for (let i = 0; i < len; i++) {
    let p = load<f64>(pPtr + (<usize>i << 3));
    let q = load<f64>(qPtr + (<usize>i << 3));
    let set = i & 1;
    if (p >= LOW && p < HIGH && q >= LOW && q < HIGH) {
      let a = pair_term_f64(p, p, q, kl);
      let jp = MAIN + exponent_f64(p);
      if (jp < pLo) pLo = jp;
      if (jp > pHi) pHi = jp;
      deposit_f64(bP, jp, set, p);
      let jq = MAIN + exponent_f64(q);
      if (jq < qLo) qLo = jq;
      if (jq > qHi) qHi = jq;
      deposit_f64(bQ, jq, set, q);
      if (a != 0) {
        let ja = MAIN + exponent_f64(a);
        if (ja < aLo) aLo = ja;
        if (ja > aHi) aHi = ja;
        deposit_f64(bA, ja, set, a);
      }
    } else {
      pair_rare_f64(p, q, i, st, kl);
    }
  }
  if (pHi >= 0) { touch(st, 0, pLo); touch(st, 0, pHi); }
  if (qHi >= 0) { touch(st, 1, qLo); touch(st, 1, qHi); }
  if (aHi >= 0) { touch(st, 2, aLo); touch(st, 2, aHi); }
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
  return kl ? ps * (log_f64(p) - log_f64(q)) : ps * log_f64(q);
}
