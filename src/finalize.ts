// The measures from their exact sums: the only place where a result is rounded after the sums.
// Shared by both engines, so this part agrees by construction. Natural log throughout (nats);
// another base divides once, in double-double, by ln(base) at the very end.
//
//   entropy        H  = ln S - (K ln2 + U)/S    S = sum c, K = sum k c, U = sum c log_z(c)
//                     = ln2 (kS - K/S) + (log_z(S) - U/S)      where c = z 2^k, S = zS 2^kS
//   cross entropy  CE = ln Q - A/P             P = sum p, Q = sum q, A = sum p ln q
//   KL divergence  KL = D/P + ln(Q/P)          D = sum p ln(p/q), each term with one log: of the
//                                              rounded p/q, or log1p of (p-q)/q near p = q
//                                              (log_ratio_f64; log p - log q if p/q leaves the range)
//
// In the entropy form the large parts k ln2 are exact (K is an exact sum of integers times
// weights), so H loses nothing to the cancellation of ln S against T/S, whatever the scale of
// the weights; scaling them by a power of two changes no bit. Each measure is non-negative;
// rounding can leave a few ulps below zero, so results are clamped at +0.
import { ddAdd, ddDiv, ddMul, ddNeg, ddScale, twoSum, type DD } from './math/dd';
import { LN2_HI, LN2_LO, log1p_near_f64, log_dd, log_f64, log_k, log_z_f64 } from './math/log';
import { highWord, ldexp, pow2 } from './math/bits';
import { extended, fsum, msumAdd, type ExactSum, type Partials } from './exact';

const LN2: DD = [LN2_HI, LN2_LO];

/** ln(m * 2^e) with e * LN2_HI exact. */
function lnParts(m: number, e: number): [number, number] {
  return [e * LN2_HI, log_f64(m) + e * LN2_LO];
}

/** The value of one region's partials as a double-double (both parts correctly rounded). */
function regionDD(p: Partials): DD {
  if (p.length === 0) return [0, 0];
  if (p.length === 1) return [p[0], 0];
  // two non-overlapping partials: one rounding, and TwoSum's error is the exact rest
  if (p.length === 2) return twoSum(p[1], p[0]);
  const hi = fsum(p);
  const rest = p.slice();
  msumAdd(rest, -hi);
  return [hi, fsum(rest)];
}

/** An exact sum as (dd, e): value = dd * 2^e, e in {-600, 0, 600} (the top nonzero region). */
function extendedDD(sum: ExactSum): { v: DD; e: number } {
  const r0 = regionDD(sum[0]);
  const r1 = regionDD(sum[1]);
  const r2 = regionDD(sum[2]);
  if (r2[0] !== 0) return { v: ddAdd(r2, ddAdd(ddScale(r1, pow2(-600)), ddScale(ddScale(r0, pow2(-600)), pow2(-600)))), e: 600 };
  if (r1[0] !== 0) return { v: ddAdd(r1, ddScale(r0, pow2(-600))), e: 0 };
  return { v: r0, e: -600 };
}

/** dd * 2^k for a shift k that may leave the double range in steps (exact unless underflow). */
function ddLdexp(a: DD, k: number): DD {
  return [ldexp(a[0], k), ldexp(a[1], k)];
}

/** Entropy in nats as a double-double, from S (indexed by k), K = sum k c and U; S must be non-zero. */
export function entropyFromSums(S: ExactSum, K: ExactSum, U: ExactSum): DD {
  const s = extendedDD(S);
  const k = extendedDD(K);
  const u = extended(U);
  // S = (sh + sl) 2^s.e and sh = zS 2^k(sh): kS = k(sh) + s.e
  const hw = highWord(s.v[0]);
  const kS = log_k(hw) + s.e;
  // K/S as an average k, in double-double, both in S's scale
  const ratio = ddDiv(ddLdexp(k.v, k.e - s.e), s.v);
  const bits = ddAdd([kS, 0], ddNeg(ratio)); // kS - K/S >= 0: the "bits" part
  // log_z(S) to first order in sl, and U/S
  const lzS = log_z_f64(s.v[0], hw) + s.v[1] / s.v[0];
  const uOverS = ldexp(u.m / s.v[0], u.e - s.e);
  const h = ddAdd(ddMul(LN2, bits), twoSum(lzS, -uOverS));
  return h[0] + h[1] > 0 ? h : [0, 0];
}

/**
 * Convert nats to the requested base (undefined: nats). Entropy arrives as a double-double with
 * its k ln2 parts exact and is divided by ln(base) in double-double, rounding once (so 1.75 bits
 * come out as 1.75). Cross entropy and KL arrive as doubles whose logs were rounded like
 * log_f64(base), so they divide by that rounded log, which keeps e.g. -log2(1/8) at exactly 3.
 */
export function inBase(nats: DD | number, base: number | undefined): number {
  if (typeof nats === 'number') {
    if (nats === 0) return 0;
    return base === undefined ? nats : nats / log_f64(base);
  }
  if (nats[0] === 0) return 0;
  if (base === undefined) return nats[0] + nats[1];
  const q = ddDiv(nats, base === 2 ? LN2 : log_dd(base));
  return q[0] + q[1];
}

/**
 * A base as the row kernels take it (src/kernels/rows.ts): [nobase, dh, dl], where dh + dl is the
 * double-double that inBase divides entropy by, so that the kernels finish rows with inBase's bits.
 */
export function baseDivisor(base: number | undefined): [number, number, number] {
  if (base === undefined) return [1, 0, 0];
  const d = base === 2 ? LN2 : log_dd(base);
  return [0, d[0], d[1]];
}

/** The pair row kernels' form of a base: [nobase, d], d = log_f64(base), the divisor of inBase. */
export function logBase(base: number | undefined): [number, number] {
  return base === undefined ? [1, 0] : [0, log_f64(base)];
}

function nonNegative(x: number): number {
  return x > 0 ? x : 0;
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

/**
 * KL divergence in nats from P, Q, D; P and Q must be non-zero. ln(Q/P) is log1p((Q - P)/P) with
 * Q - P from the exact sums when Q/P is near 1 (as log_ratio_f64 does per term), so that KL of
 * nearly equal histograms, a second-order quantity, is not lost under the rounding of ln Q - ln P.
 * Outside the window it stays ln Q - ln P (unlike the terms, which take the log of the rounded
 * ratio): its absolute error is about ulp(ln Q), which for sums far from 1 (say 2^-470) is the
 * largest error left in KL.
 */
export function klDivergenceFromSums(P: ExactSum, Q: ExactSum, D: ExactSum, infinite: boolean): number {
  if (infinite) return Infinity;
  const p = extendedDD(P);
  const q = extendedDD(Q);
  const d = extended(D);
  const pm = p.v[0] + p.v[1];
  const ratio = ldexp(d.m / pm, d.e - p.e); // D/P
  let lnQP: number;
  const diff = p.e === q.e ? ddAdd(q.v, ddNeg(p.v)) : null; // Q - P, nearly exact
  const r = diff ? (diff[0] + diff[1]) / pm : Infinity;
  if (r >= -0.0625 && r < 0.064697265625) {
    lnQP = log1p_near_f64(r);
  } else {
    const de = q.e - p.e;
    lnQP = de * LN2_HI + ((log_f64(q.v[0] + q.v[1]) - log_f64(pm)) + de * LN2_LO);
  }
  return nonNegative(ratio + lnQP);
}
