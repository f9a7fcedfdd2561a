// The exact sums against an independent oracle: BigInt arithmetic on the terms, rounded once.
// If a bin ever rounded (a lost bit, a broken split, a missed flush), these would differ.
import { describe, expect, it } from 'vitest';
import { addPair, addShannon } from '../src/driver';
import { emptySum, flushSum, fsum, mergeSum, msumAdd, resetHeader } from '../src/exact';
import { source } from '../src/input';
import { log_f64, log_k, log_ratio_f64, log_z_f64 } from '../src/math/log';
import { highWord } from '../src/math/bits';
import { DOWN, HIGH, H_RANGE, LOW, REGION_SLOTS, SLOT_F64, UP, sum_block } from '../src/kernels/exact';
import { scalarCore, tsCore, wasmCore } from './helpers/engines';
import { KINDS, histogram } from './helpers/gen';
import { Rng } from './helpers/prng';

const DV = new DataView(new ArrayBuffer(8));

/** x as an exact BigInt multiple of 2^-1074. */
function big(x: number): bigint {
  DV.setFloat64(0, x);
  const hi = DV.getUint32(0);
  const lo = DV.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e > 0) m |= 1n << 52n;
  const v = m << BigInt(Math.max(e - 1, 0));
  return hi >>> 31 ? -v : v;
}

/** The double nearest to v * 2^-1074 (ties to even), for results in the normal range. */
function nearest(v: bigint): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  let a = neg ? -v : v;
  const n = a.toString(2).length;
  let sh = 0;
  if (n > 53) {
    sh = n - 53;
    const q = a >> BigInt(sh);
    const rem = a - (q << BigInt(sh));
    const half = 1n << BigInt(sh - 1);
    a = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  let r = Number(a);
  let k = sh - 1074;
  while (k < -1000) { r *= 2 ** -1000; k += 1000; }
  while (k > 1000) { r *= 2 ** 1000; k -= 1000; }
  r *= 2 ** k;
  return neg ? -r : r;
}

function region(x: number): [number, number] {
  return x < LOW ? [0, x * UP] : x < HIGH ? [1, x] : [2, x * DOWN];
}

/** The entropy kernel's S = sum c, K = sum k c and U = sum c log_z(c), exactly, per region. */
function entropyOracle(p: Float64Array): { S: bigint[]; K: bigint[]; U: bigint[] } {
  const S: bigint[] = [0n, 0n, 0n];
  const K: bigint[] = [0n, 0n, 0n];
  const U: bigint[] = [0n, 0n, 0n];
  for (const c of p) {
    if (c === 0) continue;
    const [r, cs] = region(c);
    const hw = highWord(cs);
    S[r] += big(cs);
    K[r] += BigInt(log_k(hw) + [-600, 0, 600][r]) * big(cs);
    U[r] += big(cs * log_z_f64(cs, hw));
  }
  return { S, K, U };
}

describe('exact sums equal the BigInt oracle, rounded once', () => {
  it.each(KINDS)('entropy sums S, K and U, %s', (kind) => {
    const rng = new Rng(31 + kind.length);
    for (const n of [1, 7, 1000, 70000]) {
      const p = histogram(rng, kind, n);
      const { S, K, U } = entropyOracle(p);
      for (const core of [wasmCore, tsCore]) {
        const s = emptySum();
        const k = emptySum();
        const u = emptySum();
        addShannon(core, source(p, 'p'), 0, n, s, k, u);
        for (let r = 0; r < 3; r++) {
          expect(fsum(s[r]), `${core.backend} S region ${r} n=${n}`).toBe(nearest(S[r]));
          expect(fsum(k[r]), `${core.backend} K region ${r} n=${n}`).toBe(nearest(K[r]));
          expect(fsum(u[r]), `${core.backend} U region ${r} n=${n}`).toBe(nearest(U[r]));
        }
      }
    }
  });

  it('leaves every bin zero after each call (no slot outside the flushed range)', () => {
    const rng = new Rng(8);
    for (const core of [wasmCore, tsCore]) {
      for (const kind of KINDS) {
        for (const n of [1, 2, 3, 17, 4000]) {
          const p = histogram(rng, kind, n);
          const q = histogram(rng, KINDS[rng.int(KINDS.length)], n);
          addShannon(core, source(p, 'p'), 0, n, emptySum(), emptySum(), emptySum());
          addPair(core, rng.float() < 0.5, source(p, 'p'), source(q, 'q'), 0, n, emptySum(), emptySum(), emptySum());
          const f = core.state().f64;
          const nonzero = f.findIndex((x, i) => i >= 8 && !Object.is(x, 0));
          expect(nonzero, `${core.backend} ${kind} n=${n}: bin ${nonzero} = ${f[nonzero]}`).toBe(-1);
        }
      }
    }
  });

  it('zeroes a slot whose two sets cancel (+v and -v) when it flushes', () => {
    for (const core of [wasmCore, tsCore]) {
      const st = core.state();
      resetHeader(st);
      const j = REGION_SLOTS + 1000;
      const a = sum_block(1) + j * SLOT_F64;
      st.f64[a] = 2 ** -20; // set 0: hi, lo
      st.f64[a + 1] = 2 ** -56;
      st.f64[a + 2] = -(2 ** -20); // set 1: hi, lo
      st.f64[a + 3] = -(2 ** -56);
      st.i32[(H_RANGE >> 2) + 2] = j;
      st.i32[(H_RANGE >> 2) + 3] = j;
      const into = emptySum();
      flushSum(st, 1, into);
      expect(fsum(into[1]), core.backend).toBe(0);
      expect([0, 1, 2, 3].map((d) => st.f64[a + d]), core.backend).toEqual([0, 0, 0, 0]);
    }
  });

  it('entropy sums and clean bins for widely spread weights in one call (f64x2 slot ranges)', () => {
    // Every binade of [LOW, HIGH) in one chunk, with values next to z = 1 (u's slot read from u,
    // far below c's: |log z| down to 2^-53), powers of two (u = 0), zeros, and the bounds; the
    // SIMD kernel forms its slot ranges after the loop from the weights' range, so a range that
    // missed a deposited slot would leave a bin nonzero and its sum short.
    const rng = new Rng(4711);
    for (let t = 0; t < 30; t++) {
      const n = t < 4 ? [8, 16, 24, 4096][t] : 8 + rng.int(3000);
      const p = new Float64Array(n);
      const e0 = rng.int(1849) - 949;
      const span = t & 1 ? 1849 : 1 + rng.int(60);
      for (let i = 0; i < n; i++) {
        const e = Math.min(899, e0 + rng.int(span));
        const r = rng.int(8);
        p[i] = r === 0 ? 2 ** e * (1 + 2 ** -(1 + rng.int(52)))
          : r === 1 ? 2 ** e * (1 - 2 ** -(1 + rng.int(53)))
          : r === 2 ? 2 ** e
          : r === 3 && t % 3 === 0 ? 0
          : r === 4 && t % 5 === 0 ? [LOW, 2 ** 900 * (1 - 2 ** -53)][rng.int(2)]
          : (0.5 + rng.float()) * 2 ** e;
      }
      const { S, K, U } = entropyOracle(p);
      for (const core of [wasmCore, scalarCore, tsCore]) {
        const s = emptySum();
        const k = emptySum();
        const u = emptySum();
        addShannon(core, source(p, 'p'), 0, n, s, k, u);
        const f = core.state().f64;
        const nonzero = f.findIndex((x, i) => i >= 8 && !Object.is(x, 0));
        expect(nonzero, `${core.backend} t=${t} n=${n}: bin ${nonzero} = ${f[nonzero]}`).toBe(-1);
        for (let r = 0; r < 3; r++) {
          expect(fsum(s[r]), `${core.backend} S region ${r} t=${t}`).toBe(nearest(S[r]));
          expect(fsum(k[r]), `${core.backend} K region ${r} t=${t}`).toBe(nearest(K[r]));
          expect(fsum(u[r]), `${core.backend} U region ${r} t=${t}`).toBe(nearest(U[r]));
        }
      }
    }
  });

  it('entropy sums of 2^22 + 20 equal weights whose low mantissa bits are all set (one flush interval of deposits per slot)', () => {
    // The SIMD kernel splits by clearing the 27 low mantissa bits (its lo parts reach twice
    // Veltkamp's bound): a slot filled for a whole flush interval with maximal lo parts must stay exact.
    const n = (1 << 22) + 20;
    for (const hw of [0x3f3fffff, 0x3fe7ffff, 0x3fefffff, 0x3ff00000, 0x1234ffff, 0x3e5fffff]) {
      DV.setUint32(0, hw);
      DV.setUint32(4, 0xffffffff);
      const c = DV.getFloat64(0);
      const p = new Float64Array(n).fill(c);
      const h = highWord(c);
      const S = BigInt(n) * big(c);
      const K = BigInt(n) * BigInt(log_k(h)) * big(c);
      const U = BigInt(n) * big(c * log_z_f64(c, h));
      for (const core of [wasmCore, scalarCore, tsCore]) {
        const s = emptySum();
        const k = emptySum();
        const u = emptySum();
        addShannon(core, source(p, 'p'), 0, n, s, k, u);
        expect(fsum(s[1]), `${core.backend} S c=${c}`).toBe(nearest(S));
        expect(fsum(k[1]), `${core.backend} K c=${c}`).toBe(nearest(K));
        expect(fsum(u[1]), `${core.backend} U c=${c}`).toBe(nearest(U));
      }
    }
  });

  it('KL sums P, Q and D', () => {
    const rng = new Rng(5);
    for (const kind of KINDS) {
      const p = histogram(rng, kind, 3000);
      const q = histogram(rng, 'dense', 3000);
      const D: bigint[] = [0n, 0n, 0n];
      for (let i = 0; i < p.length; i++) {
        if (p[i] === 0) continue;
        const [r, ps] = region(p[i]);
        D[r] += big(ps * log_ratio_f64(p[i], q[i])); // the kernels' KL term, as the twins define it
      }
      const P = emptySum();
      const Q = emptySum();
      const A = emptySum();
      addPair(wasmCore, true, source(p, 'p'), source(q, 'q'), 0, p.length, P, Q, A);
      for (let r = 0; r < 3; r++) expect(fsum(A[r]), `${kind} D region ${r}`).toBe(nearest(D[r]));
    }
  });

  it('msum/fsum round exactly like math.fsum on cancelling sums', () => {
    const parts: number[] = [];
    for (const x of [1e100, 1, -1e100, 1e-100, 2 ** -60, -(2 ** -60)]) msumAdd(parts, x);
    expect(fsum(parts)).toBe(1 + 1e-100); // = 1
    const p2: number[] = [];
    for (const x of [1, 2 ** -53, 2 ** -106]) msumAdd(p2, x); // just above a tie: rounds up
    expect(fsum(p2)).toBe(1 + 2 ** -52);
    const p3: number[] = [];
    for (const x of [1, 2 ** -53]) msumAdd(p3, x); // exact tie: to even
    expect(fsum(p3)).toBe(1);
    const a = emptySum();
    const b = emptySum();
    msumAdd(a[1], 0.1);
    msumAdd(b[1], 0.2);
    mergeSum(a, b);
    expect(fsum(a[1])).toBe(nearest(big(0.1) + big(0.2)));
  });
});
