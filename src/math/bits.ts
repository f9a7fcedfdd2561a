// Bit-level helpers shared by the TS engine. All targets are little-endian (as is WebAssembly),
// so the high 32-bit word of the double at index i of a Float64Array is Int32Array index 2i + 1.

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const I32 = new Int32Array(F64.buffer);

/** The double whose IEEE-754 bit pattern is the 16-digit hex string `hex`. */
export function f64FromHex(hex: string): number {
  U32[1] = parseInt(hex.slice(0, 8), 16);
  U32[0] = parseInt(hex.slice(8, 16), 16);
  return F64[0];
}

/** The 16-digit hex bit pattern of `x` (lossless; used for JSON state). */
export function f64ToHex(x: number): string {
  F64[0] = x;
  return U32[1].toString(16).padStart(8, '0') + U32[0].toString(16).padStart(8, '0');
}

/** High 32-bit word of `x` as a signed int32 (sign, exponent and top 20 mantissa bits). */
export function highWord(x: number): number {
  F64[0] = x;
  return I32[1];
}

/** 2^k for integer k in [-1074, 1023], exactly (built from bits, not Math.pow). */
export function pow2(k: number): number {
  if (k >= -1022) {
    U32[0] = 0;
    U32[1] = (k + 1023) << 20;
  } else {
    const s = k + 1074; // subnormal: bit s of the 52-bit mantissa
    U32[1] = s >= 32 ? 1 << (s - 32) : 0;
    U32[0] = s >= 32 ? 0 : (1 << s) >>> 0;
  }
  return F64[0];
}

/** x * 2^k, exact unless the result overflows or underflows (k may exceed the double range). */
export function ldexp(x: number, k: number): number {
  while (k > 1023) { x *= pow2(1023); k -= 1023; }
  while (k < -1022) { x *= pow2(-1022); k += 1022; }
  return x * pow2(k);
}
