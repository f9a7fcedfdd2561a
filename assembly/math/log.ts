// log_f64: THE natural log of entropy-wasm. Every kernel calls this function and nothing else.
// Twin: src/math/log.ts (same constants, same operations, same order).
//
// Algorithm: musl src/math/log.c (Szabolcs Nagy, ARM Ltd; MIT), ARM optimized-routines, as
// ported in AssemblyScript 0.28.20 std/assembly/util/math.ts `log_lut` (Apache-2.0): table-driven,
// N = 128, the non-FMA reduction r = (z - chi - clo) * invc, and a separate polynomial near 1.
// Error bound (musl): about 0.52 ULP on the main path, 0.507 ULP in [0x1.ep-1, 0x1.109p0).
// We vendor it instead of calling Math.log because (a) AS switches Math.log to another algorithm
// when shrinkLevel > 0 and (b) the TS twin must be able to reproduce it bit for bit.
//
//   x = 2^k z,  log(x) = k ln2 + log(c) + log1p(z/c - 1)
import { LOG_TABLE } from './log_table';

// Near-1 polynomial, |x - 1| < 0x1p-4 (musl B[]).
const B0  = reinterpret<f64>(0xBFE0000000000000); // -0x1p-1
const B1  = reinterpret<f64>(0x3FD5555555555577); //  0x1.5555555555577p-2
const B2  = reinterpret<f64>(0xBFCFFFFFFFFFFDCB); // -0x1.ffffffffffdcbp-3
const B3  = reinterpret<f64>(0x3FC999999995DD0C); //  0x1.999999995dd0cp-3
const B4  = reinterpret<f64>(0xBFC55555556745A7); // -0x1.55555556745a7p-3
const B5  = reinterpret<f64>(0x3FC24924A344DE30); //  0x1.24924a344de3p-3
const B6  = reinterpret<f64>(0xBFBFFFFFA4423D65); // -0x1.fffffa4423d65p-4
const B7  = reinterpret<f64>(0x3FBC7184282AD6CA); //  0x1.c7184282ad6cap-4
const B8  = reinterpret<f64>(0xBFB999EB43B068FF); // -0x1.999eb43b068ffp-4
const B9  = reinterpret<f64>(0x3FB78182F7AFD085); //  0x1.78182f7afd085p-4
const B10 = reinterpret<f64>(0xBFB5521375D145CD); // -0x1.5521375d145cdp-4
// Main-path polynomial for log1p(r) - r (musl A[]).
const A0 = reinterpret<f64>(0xBFE0000000000001); // -0x1.0000000000001p-1
const A1 = reinterpret<f64>(0x3FD555555551305B); //  0x1.555555551305bp-2
const A2 = reinterpret<f64>(0xBFCFFFFFFFEB4590); // -0x1.fffffffeb459p-3
const A3 = reinterpret<f64>(0x3FC999B324F10111); //  0x1.999b324f10111p-3
const A4 = reinterpret<f64>(0xBFC55575E506C89F); // -0x1.55575e506c89fp-3
// ln 2 split so that k * LN2_HI is exact for |k| < 2^11.
export const LN2_HI = reinterpret<f64>(0x3FE62E42FEFA3800); // 0x1.62e42fefa3800p-1
export const LN2_LO = reinterpret<f64>(0x3D2EF35793C76730); // 0x1.ef35793c76730p-45
const OX1P27 = reinterpret<f64>(0x41A0000000000000); // 0x1p27
const OX1P52 = reinterpret<f64>(0x4330000000000000); // 0x1p52
export const MIN_NORMAL = reinterpret<f64>(0x0010000000000000); // 0x1p-1022, the smallest positive normal

/** Natural log, musl algorithm (<= 0.52 ULP). log(0) = -Infinity, log(+Inf) = +Inf, log(x<0) = NaN. */
@inline
export function log_f64(x: f64): f64 {
  let ix = reinterpret<u64>(x);
  // x in [0x1.ep-1, 0x1.109p0): the table path would lose relative accuracy near log(x) = 0.
  if (ix - 0x3FEE000000000000 < 0x3FF1090000000000 - 0x3FEE000000000000) {
    return log_near1_f64(x);
  }
  let kbias: i64 = 0;
  let top = <u32>(ix >> 48);
  if (top - 0x0010 >= 0x7FF0 - 0x0010) {
    // x < 0x1p-1022, or x is Inf or NaN, or x is negative.
    if ((ix << 1) == 0) return -Infinity;
    if (ix == 0x7FF0000000000000) return x;
    if ((top & 0x8000) != 0 || (top & 0x7FF0) == 0x7FF0) return NaN;
    // Subnormal: scale by 2^52 (exact) and take 52 back from the exponent.
    ix = reinterpret<u64>(x * OX1P52);
    kbias = 52;
  }
  return log_main_f64(ix, kbias);
}

/** The near-1 branch of log_f64, for x in [0x1.ep-1, 0x1.109p0) (x - 1 is exact there). */
@inline
export function log_near1_f64(x: f64): f64 {
  return log1p_near_f64(x - 1.0);
}

/**
 * log(1 + r) for r in [-0x1p-4, 0x1.09p-4): the near-1 polynomial of log_f64 applied to r itself,
 * so r need not be representable as x - 1. KL uses it for log(p/q) = log1p((p - q)/q) when p ~ q.
 */
@inline
export function log1p_near_f64(r: f64): f64 {
  let r2 = r * r;
  let r3 = r2 * r;
  let y =
    r3 * (B1 + r * B2 + r2 * B3 +
    r3 * (B4 + r * B5 + r2 * B6 +
    r3 * (B7 + r * B8 + r2 * B9 + r3 * B10)));
  // rhi = r rounded to 26 bits, so that rhi * rhi is exact.
  let w   = r * OX1P27;
  let rhi = r + w - w;
  let rlo = r - rhi;
  w = rhi * rhi * B0;
  let hi = r + w;
  let lo = r - hi + w;
  lo += B0 * rlo * (rhi + r);
  return y + lo + hi;
}

/**
 * log(z) for the reduced argument z = x * 2^-k of a positive normal x (z in [0x1.6p-1, 0x1.6p0)),
 * so that log(x) = k ln2 + log_z_f64(x) up to rounding. It is the table path for k = 0 (with the
 * k ln2 terms left out, not multiplied by 0), except in the two table cells that touch z = 1
 * (cells 79 and 80, z in [1 - 2^-8, 1 + 2^-7)), where the near-1 polynomial keeps the result
 * relatively accurate (the table path's absolute error there is ~1e-19). Outside those cells
 * |log z| > 2^-8 and the table path is accurate to 0.52 ULP. The entropy kernel sums
 * c * log_z_f64(c) and, separately and exactly, c * k.
 */
@inline
export function log_z_f64(x: f64): f64 {
  let ix = reinterpret<u64>(x);
  let tmp = ix - 0x3FE6000000000000;
  let i = <usize>((tmp >> 45) & 127);
  let z = reinterpret<f64>(ix - (tmp & (<u64>0xFFF << 52)));
  if (<u32>i - 79 < 2) return log_near1_f64(z);
  let e = LOG_TABLE + (i << 5);
  let invc = load<f64>(e);
  let logc = load<f64>(e, 8);
  let chi  = load<f64>(e, 16);
  let clo  = load<f64>(e, 24);
  let r  = (z - chi - clo) * invc;
  let hi = logc + r;
  let lo = logc - hi + r;
  let r2 = r * r;
  return lo + r2 * A0 + r * r2 * (A1 + r * A2 + r2 * (A3 + r * A4)) + hi;
}

/** The reduction exponent k of a positive normal x (x = z * 2^k, z in [0x1.6p-1, 0x1.6p0)). */
@inline
export function log_k(x: f64): i32 {
  return <i32>(<i64>(reinterpret<u64>(x) - 0x3FE6000000000000) >> 52);
}

/** The table path of log_f64 for the bit pattern ix of a positive normal double (kbias: see above). */
@inline
export function log_main_f64(ix: u64, kbias: i64): f64 {
  let tmp = ix - 0x3FE6000000000000;
  let i   = <usize>((tmp >> 45) & 127);
  let k   = (<i64>tmp >> 52) - kbias;
  let z   = reinterpret<f64>(ix - (tmp & (<u64>0xFFF << 52)));
  let e   = LOG_TABLE + (i << 5);
  let invc = load<f64>(e);
  let logc = load<f64>(e, 8);
  let chi  = load<f64>(e, 16);
  let clo  = load<f64>(e, 24);
  // r ~= z/c - 1, |r| < 1/(2N); non-FMA form, rounding error 0x1p-55/N + 0x1p-66.
  let r  = (z - chi - clo) * invc;
  let kd = <f64>k;
  // hi + lo = r + log(c) + k*ln2
  let w  = kd * LN2_HI + logc;
  let hi = w + r;
  let lo = w - hi + r + kd * LN2_LO;
  let r2 = r * r;
  return lo + r2 * A0 + r * r2 * (A1 + r * A2 + r2 * (A3 + r * A4)) + hi;
}

/**
 * log_main_f64 on both lanes of v at once: each lane performs exactly the scalar sequence
 * (same constants, same operations, same order; f64x2 arithmetic is IEEE per lane), so the
 * lanes equal log_main_f64 bit for bit. Lanes must be positive normals (kbias = 0); callers
 * patch lanes in the near-1 range with log_near1_f64. The table gather is two scalar index
 * extractions and two 16-byte loads per half-entry, then shuffles (as in ARM's vector log).
 * TS has no twin of this function: the TS kernels call the scalar path once per lane.
 */
@inline
export function log_main_f64x2(v: v128): v128 {
  let tmp = i64x2.sub(v, i64x2.splat(0x3FE6000000000000));
  let i0 = <usize>((<u64>i64x2.extract_lane(tmp, 0) >> 45) & 127);
  let i1 = <usize>((<u64>i64x2.extract_lane(tmp, 1) >> 45) & 127);
  let z  = i64x2.sub(v, v128.and(tmp, i64x2.splat(<i64>0xFFF << 52)));
  let e0 = LOG_TABLE + (i0 << 5);
  let e1 = LOG_TABLE + (i1 << 5);
  let a0 = v128.load(e0);      // [invc, logc] of lane 0
  let a1 = v128.load(e1);      // [invc, logc] of lane 1
  let b0 = v128.load(e0, 16);  // [chi, clo] of lane 0
  let b1 = v128.load(e1, 16);  // [chi, clo] of lane 1
  let invc = f64x2.shuffle(a0, a1, 0, 2);
  let logc = f64x2.shuffle(a0, a1, 1, 3);
  let chi  = f64x2.shuffle(b0, b1, 0, 2);
  let clo  = f64x2.shuffle(b0, b1, 1, 3);
  let r  = f64x2.mul(f64x2.sub(f64x2.sub(z, chi), clo), invc);
  // k = tmp >> 52 (arithmetic) is the high 32-bit half of tmp shifted by 20: a native i32x4 shift,
  // where i64x2.shr_s has no x86 instruction to map to. Converting k to f64 is exact.
  let kd = f64x2.convert_low_i32x4_s(i32x4.shr_s(i32x4.shuffle(tmp, tmp, 1, 3, 1, 3), 20));
  let w  = f64x2.add(f64x2.mul(kd, f64x2.splat(LN2_HI)), logc);
  let hi = f64x2.add(w, r);
  let lo = f64x2.add(f64x2.add(f64x2.sub(w, hi), r), f64x2.mul(kd, f64x2.splat(LN2_LO)));
  let r2 = f64x2.mul(r, r);
  // lo + r2*A0 + r*r2*(A1 + r*A2 + r2*(A3 + r*A4)) + hi, left to right as in the scalar path
  let p = f64x2.add(f64x2.splat(A3), f64x2.mul(r, f64x2.splat(A4)));
  p = f64x2.add(f64x2.add(f64x2.splat(A1), f64x2.mul(r, f64x2.splat(A2))), f64x2.mul(r2, p));
  let s = f64x2.add(lo, f64x2.mul(r2, f64x2.splat(A0)));
  s = f64x2.add(s, f64x2.mul(f64x2.mul(r, r2), p));
  return f64x2.add(s, hi);
}

/**
 * log_z_f64 on both lanes of a positive normal v, bit for bit; tmp = v - 0x3FE6000000000000
 * (i64x2) and the lanes' table cells i0, i1 (bits 45..51 of tmp), which the caller also needs.
 */
@inline
export function log_z_f64x2(v: v128, tmp: v128, i0: usize, i1: usize): v128 {
  let z  = i64x2.sub(v, v128.and(tmp, i64x2.splat(<i64>0xFFF << 52)));
  let e0 = LOG_TABLE + (i0 << 5);
  let e1 = LOG_TABLE + (i1 << 5);
  let a0 = v128.load(e0);
  let a1 = v128.load(e1);
  let b0 = v128.load(e0, 16);
  let b1 = v128.load(e1, 16);
  let invc = f64x2.shuffle(a0, a1, 0, 2);
  let logc = f64x2.shuffle(a0, a1, 1, 3);
  let chi  = f64x2.shuffle(b0, b1, 0, 2);
  let clo  = f64x2.shuffle(b0, b1, 1, 3);
  let r  = f64x2.mul(f64x2.sub(f64x2.sub(z, chi), clo), invc);
  let hi = f64x2.add(logc, r);
  let lo = f64x2.add(f64x2.sub(logc, hi), r);
  let r2 = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(A3), f64x2.mul(r, f64x2.splat(A4)));
  p = f64x2.add(f64x2.add(f64x2.splat(A1), f64x2.mul(r, f64x2.splat(A2))), f64x2.mul(r2, p));
  let s = f64x2.add(lo, f64x2.mul(r2, f64x2.splat(A0)));
  s = f64x2.add(s, f64x2.mul(f64x2.mul(r, r2), p));
  let L = f64x2.add(s, hi);
  // lanes in the two cells next to z = 1 take the near-1 polynomial, as log_z_f64 does
  let c0 = <u32>i0 - 79 < 2;
  let c1 = <u32>i1 - 79 < 2;
  if (c0 | c1) {
    if (c0) L = f64x2.replace_lane(L, 0, log_near1_f64(f64x2.extract_lane(z, 0)));
    if (c1) L = f64x2.replace_lane(L, 1, log_near1_f64(f64x2.extract_lane(z, 1)));
  }
  return L;
}

/**
 * log_f64 on both lanes of a positive normal v: log_main_f64x2, then, if `near1` and a lane is in
 * [0x1.ep-1, 0x1.109p0), that lane recomputed by log_near1_f64, exactly as log_f64 branches.
 */
@inline
export function log_lanes_f64x2(v: v128, near1: bool): v128 {
  let L = log_main_f64x2(v);
  if (near1) {
    let near = v128.and(f64x2.ge(v, f64x2.splat(0.9375)), f64x2.lt(v, f64x2.splat(1.064697265625)));
    if (v128.any_true(near)) {
      if (i64x2.extract_lane(near, 0) != 0) L = f64x2.replace_lane(L, 0, log_near1_f64(f64x2.extract_lane(v, 0)));
      if (i64x2.extract_lane(near, 1) != 0) L = f64x2.replace_lane(L, 1, log_near1_f64(f64x2.extract_lane(v, 1)));
    }
  }
  return L;
}

/** log1p_near_f64 on both lanes, bit for bit (the same operations in f64x2). */
@inline
export function log1p_near_f64x2(r: v128): v128 {
  let r2 = f64x2.mul(r, r);
  let r3 = f64x2.mul(r2, r);
  // B7 + r*B8 + r2*B9 + r3*B10, then the two outer levels, left to right as in the scalar code
  let y = f64x2.add(f64x2.add(f64x2.add(f64x2.splat(B7), f64x2.mul(r, f64x2.splat(B8))), f64x2.mul(r2, f64x2.splat(B9))), f64x2.mul(r3, f64x2.splat(B10)));
  y = f64x2.add(f64x2.add(f64x2.add(f64x2.splat(B4), f64x2.mul(r, f64x2.splat(B5))), f64x2.mul(r2, f64x2.splat(B6))), f64x2.mul(r3, y));
  y = f64x2.add(f64x2.add(f64x2.add(f64x2.splat(B1), f64x2.mul(r, f64x2.splat(B2))), f64x2.mul(r2, f64x2.splat(B3))), f64x2.mul(r3, y));
  y = f64x2.mul(r3, y);
  let w   = f64x2.mul(r, f64x2.splat(OX1P27));
  let rhi = f64x2.sub(f64x2.add(r, w), w);
  let rlo = f64x2.sub(r, rhi);
  w = f64x2.mul(f64x2.mul(rhi, rhi), f64x2.splat(B0));
  let hi = f64x2.add(r, w);
  let lo = f64x2.add(f64x2.sub(r, hi), w);
  lo = f64x2.add(lo, f64x2.mul(f64x2.mul(f64x2.splat(B0), rlo), f64x2.add(rhi, r)));
  return f64x2.add(f64x2.add(y, lo), hi);
}

/**
 * log(p/q) for positive finite p, q as KL's term p * log(p/q) needs it, with ONE log of the
 * rounded ratio r = p / q on the common path:
 *   - r in [0.9375, 1.064697265625) (log_f64's own near-1 window): log1p_near_f64((p - q) / q).
 *     p - q is exact there (Sterbenz: q/2 <= p <= 2q), so the result is accurate relative to
 *     itself even for p ~ q, where KL's terms are tiny (log(fl(p/q)) would carry the division's
 *     2^-53 as an absolute error, all of the result when p/q - 1 ~ 2^-40).
 *   - else, r a positive normal finite double: log_f64(r), which outside the window is always its
 *     table path log_main_f64 (kbias 0), called directly.
 *   - else (r = +Infinity or below 2^-1022, i.e. r overflowed or underflowed: only for extreme
 *     pairs such as 2^-900 / 2^800, or a subnormal p or q): log_f64(p) - log_f64(q).
 * The window is tested on r (not on d = (p - q)/q): r is needed anyway, so the far path costs one
 * division, and the second one is paid only inside the window. Every engine and path (scalar AS,
 * the f64x2 lanes of pair_term_f64x2, the TS twin and its fast loop) makes this same test on this
 * same r, so they choose the same branch for every pair.
 *
 * Error (far path): fl(p/q) = (p/q)(1 + e), |e| <= 2^-53, so log(fl(p/q)) is off log(p/q) by at
 * most 2^-53 absolute, plus log_f64's 0.52 ulp of the result. Outside the window |log r| >= 0.0627
 * (> 2^-4, ulp 2^-56), so the relative error is at most ~8.5 ulp at the window's edges and shrinks
 * as |log r| grows (~4.5 ulp from 0.125, ~2.5 from 0.25, ~1 from 2). The form it replaced,
 * log p - log q, has an absolute error of about ulp(log p) + ulp(log q) (each log 0.52 ulp, then
 * the subtraction): for typical probabilities (p ~ 1e-7, |log p| ~ 16) about 2^-48, i.e. tens to
 * hundreds of ulp of a log ratio of order 1 to 0.06. So the ratio form is as accurate or more,
 * except when |log p| and |log q| are both << 1 (p and q near 1 but p/q outside the window, which
 * a normalized histogram allows for at most a pair or two), where it is within the ~8.5 ulp above.
 */
@inline
export function log_ratio_f64(p: f64, q: f64): f64 {
  let r = p / q;
  if (r >= 0.9375 && r < 1.064697265625) return log1p_near_f64((p - q) / q);
  if (r >= MIN_NORMAL && r < Infinity) return log_main_f64(reinterpret<u64>(r), 0);
  return log_f64(p) - log_f64(q);
}
