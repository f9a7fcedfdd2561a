// The comparator of the agreement suite: NaN equals NaN (payloads may differ), otherwise Object.is
// (so -0 and +0 differ).
export function sameBits(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
}

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);

/** Hex bit pattern, for failure messages. */
export function hex(x: number): string {
  F[0] = x;
  return U[1].toString(16).padStart(8, '0') + U[0].toString(16).padStart(8, '0');
}

/** Index of the first element where the arrays differ bitwise, or -1. */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!sameBits(a[i], b[i])) return i;
  return -1;
}

/** The double `steps` ulps above x (x finite, positive). */
export function nextUp(x: number, steps = 1): number {
  F[0] = x;
  const lo = U[0] + steps;
  U[1] += Math.floor(lo / 4294967296);
  U[0] = lo >>> 0;
  return F[0];
}
