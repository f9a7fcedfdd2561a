// log_f64: THE natural log of entropy-wasm. Every kernel calls this function and nothing else.
// Twin: assembly/math/log.ts (same constants, same operations, same order).
//
// Algorithm: musl src/math/log.c (Szabolcs Nagy, ARM Ltd; MIT), ARM optimized-routines, as
// ported in AssemblyScript 0.28.20 std/assembly/util/math.ts `log_lut` (Apache-2.0): table-driven,
// N = 128, the non-FMA reduction r = (z - chi - clo) * invc, and a separate polynomial near 1.
// Error bound (musl): about 0.52 ULP on the main path, 0.507 ULP in [0x1.ep-1, 0x1.109p0).
// Never Math.log: engines round it differently, and this must equal the WebAssembly build.
//
// The one difference from the twin is how bits are read, and it is exact: AS rebuilds
// z = x * 2^-k by integer surgery on the bit pattern, TS multiplies by the power of two 2^-k.
import { f64FromHex, highWord } from './bits';
import { LOG_TABLE } from './log_table';

// ln 2 split so that k * LN2_HI is exact for |k| < 2^11.
export const LN2_HI = f64FromHex('3FE62E42FEFA3800'); // 0x1.62e42fefa3800p-1
export const LN2_LO = f64FromHex('3D2EF35793C76730'); // 0x1.ef35793c76730p-45
const OX1P52 = 4503599627370496; // 0x1p52
const MIN_NORMAL = f64FromHex('0010000000000000'); // 0x1p-1022, the smallest positive normal

/** P2[k + 1074] = 2^-k for k in [-1074, 1024]: z = x * 2^-k is then exact (2^-1024 is subnormal). */
export const P2: Float64Array = (() => {
  const t = new Float64Array(2100);
  const u = new Uint32Array(t.buffer);
  for (let k = -1074; k <= 1024; k++) {
    const e = -k; // exponent of 2^-k, in [-1024, 1074]
    const j = 2 * (k + 1074);
    if (e >= -1022) u[j + 1] = (e + 1023) << 20; // normal (e <= 1023 always holds here)
    else u[j + 1] = 1 << (e + 1042); // 2^-1023 and 2^-1024: subnormal, bit 51 or 50
  }
  return t;
})();

// TS only, exact (no rounding changes): the three arithmetic paths of the log (the table path, its
// k = 0 form log_z and the near-1 polynomial) are closures built in one scope that holds their
// constants and tables. Why: the bundler (esbuild, under tsup) turns module-level `const` into
// `var`, and V8 then reloads and type-checks every such constant at each use inside a kernel loop
// (about 8 instructions per constant per element); constants and tables captured by a closure are
// compiled in as immediates (entropy fast loop, 10^7 dense: 6.4 -> 5.5 ns/element). Kernel loops
// built as closures capture log_main_fn / log_z_fn / log1p_near_fn; the exported functions below
// call them. The operations are the twin's, in the same order.
const PATHS = (() => {
  const T = LOG_TABLE;
  const P = P2;
  const LN2H = LN2_HI;
  const LN2L = LN2_LO;
  // Near-1 polynomial, |x - 1| < 0x1p-4 (musl B[]).
  const B0 = f64FromHex('BFE0000000000000'); // -0x1p-1
  const B1 = f64FromHex('3FD5555555555577'); //  0x1.5555555555577p-2
  const B2 = f64FromHex('BFCFFFFFFFFFFDCB'); // -0x1.ffffffffffdcbp-3
  const B3 = f64FromHex('3FC999999995DD0C'); //  0x1.999999995dd0cp-3
  const B4 = f64FromHex('BFC55555556745A7'); // -0x1.55555556745a7p-3
  const B5 = f64FromHex('3FC24924A344DE30'); //  0x1.24924a344de3p-3
  const B6 = f64FromHex('BFBFFFFFA4423D65'); // -0x1.fffffa4423d65p-4
  const B7 = f64FromHex('3FBC7184282AD6CA'); //  0x1.c7184282ad6cap-4
  const B8 = f64FromHex('BFB999EB43B068FF'); // -0x1.999eb43b068ffp-4
  const B9 = f64FromHex('3FB78182F7AFD085'); //  0x1.78182f7afd085p-4
  const B10 = f64FromHex('BFB5521375D145CD'); // -0x1.5521375d145cdp-4
  // Main-path polynomial for log1p(r) - r (musl A[]).
  const A0 = f64FromHex('BFE0000000000001'); // -0x1.0000000000001p-1
  const A1 = f64FromHex('3FD555555551305B'); //  0x1.555555551305bp-2
  const A2 = f64FromHex('BFCFFFFFFFEB4590'); // -0x1.fffffffeb459p-3
  const A3 = f64FromHex('3FC999B324F10111'); //  0x1.999b324f10111p-3
  const A4 = f64FromHex('BFC55575E506C89F'); // -0x1.55575e506c89fp-3
  const OX1P27 = 134217728; // 0x1p27

  /** log1p_near_f64. */
  function log1p_near(r: number): number {
    const r2 = r * r;
    const r3 = r2 * r;
    const y =
      r3 * (B1 + r * B2 + r2 * B3 +
      r3 * (B4 + r * B5 + r2 * B6 +
      r3 * (B7 + r * B8 + r2 * B9 + r3 * B10)));
    // rhi = r rounded to 26 bits, so that rhi * rhi is exact.
    let w = r * OX1P27;
    const rhi = r + w - w;
    const rlo = r - rhi;
    w = rhi * rhi * B0;
    const hi = r + w;
    let lo = r - hi + w;
    lo += B0 * rlo * (rhi + r);
    return y + lo + hi;
  }

  /** log_main_f64. */
  function log_main(x: number, hw: number, kbias: number): number {
    const th = (hw - 0x3fe60000) | 0; // high word of tmp = ix - 0x3FE6000000000000 (no borrow)
    const e = ((th >> 13) & 127) << 2; // 4 * table index
    const kx = th >> 20; // arithmetic shift: k of x itself
    const z = x * P[kx + 1074]; // exact: same z as the twin's bit surgery
    const invc = T[e];
    const logc = T[e + 1];
    const chi = T[e + 2];
    const clo = T[e + 3];
    // r ~= z/c - 1, |r| < 1/(2N); non-FMA form, rounding error 0x1p-55/N + 0x1p-66.
    const r = (z - chi - clo) * invc;
    const kd = kx - kbias;
    // hi + lo = r + log(c) + k*ln2
    const w = kd * LN2H + logc;
    const hi = w + r;
    const lo = w - hi + r + kd * LN2L;
    const r2 = r * r;
    return lo + r2 * A0 + r * r2 * (A1 + r * A2 + r2 * (A3 + r * A4)) + hi;
  }

  /** log_z_f64. */
  function log_z(x: number, hw: number): number {
    const th = (hw - 0x3fe60000) | 0;
    const i = (th >> 13) & 127;
    const z = x * P[(th >> 20) + 1074]; // exact
    if ((i - 79) >>> 0 < 2) return log1p_near(z - 1.0); // log_near1_f64(z)
    const e = i << 2;
    const invc = T[e];
    const logc = T[e + 1];
    const chi = T[e + 2];
    const clo = T[e + 3];
    const r = (z - chi - clo) * invc;
    const hi = logc + r;
    const lo = logc - hi + r;
    const r2 = r * r;
    return lo + r2 * A0 + r * r2 * (A1 + r * A2 + r2 * (A3 + r * A4)) + hi;
  }
  return { log1p_near, log_main, log_z };
})();

/** TS only: the closure that computes log_main_f64 (kernel loops capture it; see PATHS). */
export const log_main_fn: (x: number, hw: number, kbias: number) => number = PATHS.log_main;
/** TS only: the closure that computes log_z_f64 (kernel loops capture it; see PATHS). */
export const log_z_fn: (x: number, hw: number) => number = PATHS.log_z;
/** TS only: the closure that computes log1p_near_f64 (kernel loops capture it; see PATHS). */
export const log1p_near_fn: (r: number) => number = PATHS.log1p_near;

/** Natural log, musl algorithm (<= 0.52 ULP). log(0) = -Infinity, log(+Inf) = +Inf, log(x<0) = NaN. */
export function log_f64(x: number): number {
  return log_hw_f64(x, highWord(x), 0);
}

/**
 * log_f64 for a caller that already has the high word `hw` of x (kernels read it from an
 * Int32Array view of the input, which avoids a store-to-load round trip per element).
 * kbias is 0 except in the subnormal path (see the twin's log_main_f64).
 */
export function log_hw_f64(x: number, hw: number, kbias: number): number {
  // x in [0x1.ep-1, 0x1.109p0) (both bounds have a zero low word, so the high word decides).
  if (hw >= 0x3fee0000 && hw < 0x3ff10900) return log_near1_f64(x);
  // Not a positive normal: zero, subnormal, negative, Inf or NaN.
  if (!(hw >= 0x00100000 && hw < 0x7ff00000)) return log_special_f64(x);
  return log_main_f64(x, hw, kbias);
}

/** The table path of log_f64 for a positive normal x with high word hw (kbias: see the twin). */
export function log_main_f64(x: number, hw: number, kbias: number): number {
  return log_main_fn(x, hw, kbias);
}

/**
 * log(z) for the reduced argument z = x * 2^-k of a positive normal x with high word hw (z in
 * [0x1.6p-1, 0x1.6p0)), so that log(x) = k ln2 + log_z_f64(x) up to rounding. It is the table
 * path for k = 0 (with the k ln2 terms left out, not multiplied by 0), except in the two table
 * cells that touch z = 1 (cells 79 and 80, z in [1 - 2^-8, 1 + 2^-7)), where the near-1
 * polynomial keeps the result relatively accurate (the table path's absolute error there is
 * ~1e-19). Outside those cells |log z| > 2^-8 and the table path is accurate to 0.52 ULP. The
 * entropy kernel sums c * log_z_f64(c) and, separately and exactly, c * k.
 */
export function log_z_f64(x: number, hw: number): number {
  return log_z_fn(x, hw);
}

/**
 * TS only, for src/finalize.ts: ln x as a double-double for a positive normal x, from
 * k ln2 (exact in double-double) + log_z(x) (error below 2^-56). Not a kernel: no twin.
 */
export function log_dd(x: number): readonly [number, number] {
  const hw = highWord(x);
  const k = log_k(hw);
  const lz = log_z_f64(x, hw);
  // k * LN2_HI is exact (LN2_HI has 32 trailing zero bits); then add the small parts
  const a = k * LN2_HI;
  const b = k * LN2_LO + lz;
  const s = a + b;
  return [s, b - (s - a)];
}

/** The reduction exponent k of a positive normal x with high word hw (x = z * 2^k). */
export function log_k(hw: number): number {
  return ((hw - 0x3fe60000) | 0) >> 20;
}

/** Zero, subnormal, negative, infinite or NaN x (the twin's special branch of log_f64). */
function log_special_f64(x: number): number {
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  if (!(x > 0)) return NaN;
  // Subnormal: scale by 2^52 (exact) and take 52 back from the exponent.
  const y = x * OX1P52;
  return log_hw_f64(y, highWord(y), 52);
}

/** The near-1 branch of log_f64, for x in [0x1.ep-1, 0x1.109p0) (x - 1 is exact there). */
export function log_near1_f64(x: number): number {
  return log1p_near_fn(x - 1.0);
}

/**
 * log(1 + r) for r in [-0x1p-4, 0x1.09p-4): the near-1 polynomial of log_f64 applied to r itself,
 * so r need not be representable as x - 1. KL uses it for log(p/q) = log1p((p - q)/q) when p ~ q.
 */
export function log1p_near_f64(r: number): number {
  return log1p_near_fn(r);
}

/**
 * log(p/q) for positive finite p, q as KL's term p * log(p/q) needs it, with ONE log of the
 * rounded ratio r = p / q on the common path (the twin's comment has the error analysis):
 *   - r in [0.9375, 1.064697265625) (log_f64's own near-1 window): log1p_near_f64((p - q) / q),
 *     p - q exact there (Sterbenz), so the result is accurate relative to itself for p ~ q;
 *   - else, r a positive normal finite double: log_f64(r), i.e. its table path log_main_f64;
 *   - else (r overflowed to +Infinity or fell below 2^-1022): log_f64(p) - log_f64(q).
 * The window is tested on r, on every engine and path alike (see the twin).
 */
export function log_ratio_f64(p: number, q: number): number {
  const r = p / q;
  if (r >= 0.9375 && r < 1.064697265625) return log1p_near_fn((p - q) / q);
  if (r >= MIN_NORMAL && r < Infinity) return log_main_fn(r, highWord(r), 0);
  return log_f64(p) - log_f64(q);
}
