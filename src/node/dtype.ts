// Element decoding of binary data: raw f64/f32 and the .npy dtypes, widened to doubles.
import type { Dtype } from './npy';

/** True on little-endian hosts (all usual ones): f64 in host order can be used in place. */
export const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Raw f64 and f32 files: little-endian. */
export const F64: Dtype = { kind: 'f', size: 8, littleEndian: true, descr: 'f64 (little-endian)' };
export const F32: Dtype = { kind: 'f', size: 4, littleEndian: true, descr: 'f32 (little-endian)' };

/** Copy `m` elements of dtype `t` from src[off...] into out[at...], widened to doubles (exactly, except int64/uint64 beyond 2^53, which round as Number(x) does). */
export function decode(t: Dtype, src: Uint8Array, off: number, m: number, out: Float64Array, at: number): void {
  const le = t.littleEndian;
  if (t.kind === 'f' && t.size === 8 && le === HOST_LE) {
    new Uint8Array(out.buffer, out.byteOffset + at * 8, m * 8).set(src.subarray(off, off + m * 8));
    return;
  }
  if (t.kind === 'f' && t.size === 4 && le === HOST_LE && (src.byteOffset + off) % 4 === 0) {
    out.set(new Float32Array(src.buffer, src.byteOffset + off, m), at);
    return;
  }
  if (t.size === 1) {
    if (t.kind === 'u') for (let i = 0; i < m; i++) out[at + i] = src[off + i];
    else for (let i = 0; i < m; i++) out[at + i] = (src[off + i] << 24) >> 24;
    return;
  }
  const dv = new DataView(src.buffer, src.byteOffset + off, m * t.size);
  switch (`${t.kind}${t.size}`) {
    case 'f8': for (let i = 0; i < m; i++) out[at + i] = dv.getFloat64(i * 8, le); break;
    case 'f4': for (let i = 0; i < m; i++) out[at + i] = dv.getFloat32(i * 4, le); break;
    case 'u2': for (let i = 0; i < m; i++) out[at + i] = dv.getUint16(i * 2, le); break;
    case 'i2': for (let i = 0; i < m; i++) out[at + i] = dv.getInt16(i * 2, le); break;
    case 'u4': for (let i = 0; i < m; i++) out[at + i] = dv.getUint32(i * 4, le); break;
    case 'i4': for (let i = 0; i < m; i++) out[at + i] = dv.getInt32(i * 4, le); break;
    case 'u8': case 'i8': {
      // hi * 2^32 is exact (|hi| < 2^32), and adding lo rounds once: the value of Number(x).
      const signed = t.kind === 'i';
      const hiAt = le ? 4 : 0;
      const loAt = le ? 0 : 4;
      for (let i = 0; i < m; i++) {
        const hi = signed ? dv.getInt32(i * 8 + hiAt, le) : dv.getUint32(i * 8 + hiAt, le);
        out[at + i] = hi * 4294967296 + dv.getUint32(i * 8 + loAt, le);
      }
      break;
    }
  }
}
