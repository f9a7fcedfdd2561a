// log_f64: the exports of both release WebAssembly binaries (SIMD, scalar) against the TS twin, bit for bit, on 10^6 seeded inputs
// and the special values; and its accuracy where the answer is known exactly.
import { describe, expect, it } from 'vitest';
import { log_f64 } from '../../src/math/log';
import { scalarExports, wasmExports } from '../helpers/engines';
import { Rng } from '../helpers/prng';
import { hex, nextUp, sameBits } from '../helpers/bits';

function mismatches(xs: Float64Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < xs.length && out.length < 5; i++) {
    const a = wasmExports.log_f64(xs[i]);
    const s = scalarExports.log_f64(xs[i]);
    const b = log_f64(xs[i]);
    if (!sameBits(a, b)) out.push(`log(${xs[i]} = 0x${hex(xs[i])}): wasm ${a} (0x${hex(a)}) vs ts ${b} (0x${hex(b)})`);
    if (!sameBits(s, b)) out.push(`log(${xs[i]} = 0x${hex(xs[i])}): scalar wasm ${s} (0x${hex(s)}) vs ts ${b} (0x${hex(b)})`);
  }
  return out;
}

describe('log_f64 twin (both release wasm binaries vs TS)', () => {
  it('agrees on 10^6 seeded inputs with random exponents', () => {
    const rng = new Rng(20261122);
    const xs = new Float64Array(1_000_000);
    for (let i = 0; i < xs.length; i++) {
      const r = rng.float();
      // half random bit patterns of positive doubles, half histogram-like probabilities
      xs[i] = i & 1 ? Math.abs(rng.bits()) : r * 2 ** -rng.int(60);
    }
    expect(mismatches(xs)).toEqual([]);
  });

  it('agrees on the special values', () => {
    const specials: number[] = [
      0, -0, 1, -1, Infinity, -Infinity, NaN, Number.MIN_VALUE, 2 * Number.MIN_VALUE, 2.2250738585072014e-308,
      2.225073858507201e-308, Number.MAX_VALUE, 0.5, 2, Math.E, 10, 0.1, 1e-300, 1e300,
    ];
    for (let k = -1074; k <= 1023; k++) specials.push(2 ** k);
    // 1 +- small, the near-1 branch bounds [0x1.ep-1, 0x1.109p0) and their neighbours
    for (let k = 1; k <= 60; k++) specials.push(1 + 2 ** -k, 1 - 2 ** -k);
    for (const b of [0.9375, 1.064697265625]) for (let s = -3; s <= 3; s++) specials.push(s < 0 ? b - 2 ** -52 * -s : nextUp(b, s));
    // table-cell edges: the 128 boundaries of the index bits of z, +-1 ulp, at several exponents
    for (let i = 0; i < 128; i++) {
      const F = new Float64Array(1);
      const U = new Uint32Array(F.buffer);
      U[1] = (0x3fe60000 + (i << 13)) >>> 0;
      U[0] = 0;
      for (const x of [F[0], nextUp(F[0]), F[0] - 2 ** -53]) specials.push(x, x * 2 ** 40, x * 2 ** -1000);
    }
    // subnormals of every magnitude
    for (let k = 0; k < 52; k++) specials.push(5e-324 * 2 ** k * 1.5, 5e-324 * (2 ** k + 1));
    expect(mismatches(Float64Array.from(specials))).toEqual([]);
  });

  it('is exact where the result is exactly known and IEEE-correct at the edges', () => {
    expect(log_f64(1)).toBe(0);
    expect(log_f64(0)).toBe(-Infinity);
    expect(log_f64(Infinity)).toBe(Infinity);
    expect(log_f64(-1)).toBeNaN();
    expect(log_f64(NaN)).toBeNaN();
    expect(log_f64(2)).toBe(0.6931471805599453); // ln 2 correctly rounded
    expect(log_f64(Math.E)).toBe(1);
    expect(log_f64(Number.MIN_VALUE)).toBe(-744.4400719213812); // correctly rounded value
    expect(log_f64(Number.MAX_VALUE)).toBe(709.782712893384);
  });
});
