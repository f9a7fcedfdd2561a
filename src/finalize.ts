// The measures from their exact sums: the only place where a result is rounded after the sums.
// Shared by both engines, so this part agrees by construction. Natural log throughout (nats);
// another base divides once by log_f64(base) at the very end.
//
//   entropy        H  = ln S - T/S            S = sum c, T = sum c ln c
//   cross entropy  CE = ln Q - A/P            P = sum p, Q = sum q, A = sum p ln q
//   KL divergence  KL = D/P + ln Q - ln P     D = sum p (ln p - ln q)
//
// Each is a non-negative quantity; rounding can leave a difference of a few ulps below zero
// (e.g. H of a one-hot histogram with a 1e-300 neighbour), so results are clamped at +0.
import { ldexp } from './math/bits';
import { LN2_HI, LN2_LO, log_f64 } from './math/log';
import { extended, type ExactSum } from './exact';

/** ln(m * 2^e) with e * LN2_HI exact. */
function lnParts(m: number, e: number): [number, number] {
  return [e * LN2_HI, log_f64(m) + e * LN2_LO];
}

function nonNegative(x: number): number {
  return x > 0 ? x : 0;
}

/** Convert nats to the requested base (undefined: nats). */
export function inBase(nats: number, base: number | undefined): number {
  return base === undefined ? nats : nats / log_f64(base);
}

/** Entropy in nats from S and T; S must be non-zero. */
export function entropyFromSums(S: ExactSum, T: ExactSum): number {
  const s = extended(S);
  const t = extended(T);
  const ratio = ldexp(t.m / s.m, t.e - s.e); // T/S
  const [lnHi, lnLo] = lnParts(s.m, s.e);
  return nonNegative((lnHi - ratio) + lnLo);
}

/** Cross entropy in nats from P, Q, A; P and Q must be non-zero. */
export function crossEntropyFromSums(P: ExactSum, Q: ExactSum, A: ExactSum, infinite: boolean): number {
  if (infinite) return Infinity;
  const p = extended(P);
  const q = extended(Q);
  const a = extended(A);
  const ratio = ldexp(a.m / p.m, a.e - p.e); // A/P
  const [lnHi, lnLo] = lnParts(q.m, q.e);
  return nonNegative((lnHi - ratio) + lnLo);
}

/** KL divergence in nats from P, Q, D; P and Q must be non-zero. */
export function klDivergenceFromSums(P: ExactSum, Q: ExactSum, D: ExactSum, infinite: boolean): number {
  if (infinite) return Infinity;
  const p = extended(P);
  const q = extended(Q);
  const d = extended(D);
  const ratio = ldexp(d.m / p.m, d.e - p.e); // D/P
  const de = q.e - p.e;
  return nonNegative(ratio + (de * LN2_HI + ((log_f64(q.m) - log_f64(p.m)) + de * LN2_LO)));
}
