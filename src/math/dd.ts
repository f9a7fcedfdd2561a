// Double-double arithmetic (value = hi + lo, |lo| <= ulp(hi)/2) for the final formulas in
// src/finalize.ts, which both engines share. Error-free transformations without FMA (Knuth's
// TwoSum, Dekker's TwoProduct with Veltkamp's split), so results are the same on every engine.

export type DD = readonly [hi: number, lo: number];

const SPLIT = 134217729; // 2^27 + 1

/** a + b = s + e exactly (Knuth). */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

/** a * b = p + e exactly (Dekker), barring overflow and underflow. */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

export function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [u, g] = twoSum(s, e + t);
  return twoSum(u, g + f);
}

export function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

export function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = ddAdd(a, ddNeg(ddMul(b, [q1, 0])));
  const q2 = r[0] / b[0];
  const r2 = ddAdd(r, ddNeg(ddMul(b, [q2, 0])));
  const q3 = r2[0] / b[0];
  return ddAdd(twoSum(q1, q2), [q3, 0]);
}

export function ddNeg(a: DD): DD {
  return [-a[0], -a[1]];
}

/** a * 2^k for both parts (exact unless a part underflows). */
export function ddScale(a: DD, p2: number): DD {
  return [a[0] * p2, a[1] * p2];
}
