// Live histograms against from-scratch recomputation: after long random sequences of add, remove
// and set (integer, fractional, near-1, tiny, huge weights; counts returning to zero), the live
// entropy must have exactly the bits of entropy(counts) on each engine, where counts is a mirror
// kept by the test with the same floating-point operations. Also: total against an exact BigInt
// sum, sliding windows against the entropy of the last `window` observations, errors (the
// histogram unchanged), and the JSON state.
import { describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/engines';
import { hex } from './helpers/bits';
import { Rng } from './helpers/prng';
import { LiveHistogram } from '../src/live/histogram';
import { SlidingWindowEntropy } from '../src/live/window';
import { EntropyInputError } from '../src/errors';
import * as tsEntry from '../src/ts';
import * as mainEntry from '../src/index';
import type { Engine } from '../src/api';

type Kind = 'counts' | 'pow2' | 'fraction' | 'near1' | 'tiny' | 'huge' | 'mixed';
const KINDS: Kind[] = ['counts', 'pow2', 'fraction', 'near1', 'tiny', 'huge', 'mixed'];

/** A positive weight of the given kind (near1: fractional, in the log's near-1 cells, at any power of two). */
function weight(rng: Rng, kind: Kind): number {
  const u = rng.float();
  switch (kind) {
    case 'counts': return 1 + rng.int(rng.float() < 0.9 ? 3 : 1000);
    case 'pow2': return 2 ** (1 + rng.int(45)) + rng.int(5) - 2; // integers at and next to 2^j: log z = 0 and near-1 cells
    case 'fraction': return u * 10 + 1e-3;
    case 'near1': return (1 + (u - 0.5) * 2 ** -6) * 2 ** (rng.int(40) - 20);
    case 'tiny': return rng.float() < 0.5 ? (1 + rng.int(1 << 20)) * 5e-324 : (u + 0.5) * 2 ** (-1000 + rng.int(60));
    case 'huge': return (u + 0.5) * 2 ** (890 + rng.int(132));
    case 'mixed': return weight(rng, KINDS[rng.int(6)]);
  }
}

/** The exact sum of the doubles, correctly rounded (half to even), via BigInt in units of 2^-1074. */
function exactTotal(xs: Float64Array): number {
  const f = new Float64Array(1);
  const w = new BigUint64Array(f.buffer);
  let X = 0n;
  for (const x of xs) {
    f[0] = x;
    const bits = w[0];
    const e = Number(bits >> 52n);
    const m = bits & ((1n << 52n) - 1n);
    X += e === 0 ? m : (m | (1n << 52n)) << BigInt(e - 1);
  }
  const L = X.toString(2).length;
  if (L <= 53) return Number(X) * 5e-324; // exact: below 2^-1021
  // keep 60 leading bits with a sticky bit (round-to-odd), so Number() rounds correctly once
  const s = L - 60;
  let q = X >> BigInt(s);
  if ((q << BigInt(s)) !== X) q |= 1n;
  let r = Number(q); // the one rounding (Number of a BigInt rounds to nearest, ties to even)
  let k = s - 1074; // then scale by 2^k: exact, the value being normal (X >= 2^53)
  while (k > 0) { const step = Math.min(k, 1000); r *= 2 ** step; k -= step; }
  while (k < 0) { const step = Math.max(k, -1000); r *= 2 ** step; k -= step; }
  return r;
}

/** Run `steps` random updates; every `every` steps, compare with the from-scratch recomputation. */
function randomRun(e: Engine, seed: number, kind: Kind, bins: number, steps: number, every: number): number {
  const rng = new Rng(seed);
  const h = new LiveHistogram(bins);
  const ref = new Float64Array(bins); // the counts as the test computes them
  let checks = 0;
  for (let step = 1; step <= steps; step++) {
    const b = rng.int(bins);
    const r = rng.float();
    if (r < 0.45) {
      const x = weight(rng, kind);
      h.add(b, x);
      ref[b] = ref[b] + x;
    } else if (r < 0.75) {
      const c = ref[b];
      if (c > 0) {
        // all of it (back to exactly 0), or part of it, or a kind-sized weight if it fits
        const v = rng.float();
        const x = v < 0.3 ? c : v < 0.6 ? c * rng.float() : Math.min(c, weight(rng, kind));
        if (rng.float() < 0.5) h.remove(b, x);
        else h.add(b, -x);
        ref[b] = ref[b] - x;
      }
    } else if (r < 0.9) {
      const x = weight(rng, kind);
      h.set(b, x);
      ref[b] = x;
    } else {
      h.set(b, 0);
      ref[b] = 0;
    }
    if (step % every === 0) {
      checks++;
      expect(h.get(b)).toBe(ref[b]);
      if (ref.every((x) => x === 0)) {
        expect(() => h.entropy()).toThrow(expect.objectContaining({ code: 'zero-sum' }));
        expect(h.total).toBe(0);
        continue;
      }
      const live = h.entropy();
      const want = e.entropy(ref);
      if (!Object.is(live, want)) {
        throw new Error(`${kind} seed ${seed} step ${step}: live ${hex(live)} (${live}) != from scratch ${hex(want)} (${want})`);
      }
      expect(Object.is(h.entropy({ base: 2 }), e.entropy(ref, { base: 2 }))).toBe(true);
      expect(Object.is(h.total, exactTotal(ref))).toBe(true);
    }
  }
  expect(Array.from(h.counts())).toEqual(Array.from(ref));
  return checks;
}

describe('exactTotal (the test oracle)', () => {
  it('rounds like a plain sum where that is exact, and correctly at ties and overflow', () => {
    expect(exactTotal(new Float64Array([1, 2, 3.5]))).toBe(6.5);
    expect(exactTotal(new Float64Array([2 ** 53, 1]))).toBe(2 ** 53); // tie, to even
    expect(exactTotal(new Float64Array([2 ** 53, 1, 2 ** -1074]))).toBe(2 ** 53 + 2); // above the tie
    expect(exactTotal(new Float64Array([5e-324, 5e-324]))).toBe(1e-323);
    expect(exactTotal(new Float64Array([1.7e308, 1.7e308]))).toBe(Infinity);
    expect(exactTotal(new Float64Array([0.1, 0.2]))).toBe(0.30000000000000004);
  });
});

describe.each(ENGINES)('LiveHistogram against from-scratch entropy on %s', (_name, e) => {
  it.each(KINDS)('long random update sequences with removals, %s weights', (kind) => {
    let checks = 0;
    checks += randomRun(e, 11, kind, 7, 6000, 13); // few bins: many collisions, counts often 0
    checks += randomRun(e, 12, kind, 300, 20000, 97);
    expect(checks).toBeGreaterThan(600);
  });

  it('counts that go back to zero contribute nothing; a lone count gives 0', () => {
    const h = new LiveHistogram(5);
    h.add(1, 3).add(4, 2).remove(4, 2).add(0, 0.5).set(0, 0);
    expect(h.get(4)).toBe(0);
    expect(Object.is(h.entropy(), e.entropy([0, 3, 0, 0, 0]))).toBe(true);
    expect(h.entropy()).toBe(0);
    h.add(2, 1);
    expect(Object.is(h.entropy(), e.entropy([3, 1]))).toBe(true);
  });

  it('counts follow floating point: 0.1 + 0.2 - 0.2 is not 0.1, and the entropy follows the stored count', () => {
    const h = new LiveHistogram(2);
    h.add(0, 0.1).add(0, 0.2).remove(0, 0.2).add(1, 0.1);
    expect(h.get(0)).toBe(0.1 + 0.2 - 0.2);
    expect(h.get(0)).not.toBe(0.1);
    expect(Object.is(h.entropy(), e.entropy([0.1 + 0.2 - 0.2, 0.1]))).toBe(true);
  });

  it('stays exact past the forced flush (2^20 updates without a query), counts near 2^52', () => {
    const rng = new Rng(5);
    const h = new LiveHistogram(3);
    const ref = new Float64Array(3);
    for (let i = 0; i < (1 << 20) + 12345; i++) {
      const b = rng.int(3);
      const x = 2 ** 51 + rng.int(2 ** 30) * 2 ** 21 + rng.int(2 ** 21); // integers in [2^51, 2^52)
      h.set(b, x);
      ref[b] = x;
    }
    expect(Object.is(h.entropy(), e.entropy(ref))).toBe(true);
    expect(h.total).toBe(exactTotal(ref));
  });

  it('huge counts whose sum overflows a double; tiny and subnormal counts', () => {
    const h = new LiveHistogram(4);
    h.set(0, 1.5e308).set(1, 1.7e308).set(2, 1).set(3, 5e-324);
    expect(Object.is(h.entropy(), e.entropy([1.5e308, 1.7e308, 1, 5e-324]))).toBe(true);
    expect(h.total).toBe(Infinity);
    h.set(0, 0).set(1, 0).set(2, 0).add(3, 5e-324).add(0, 2 ** -1000);
    expect(Object.is(h.entropy(), e.entropy([2 ** -1000, 0, 0, 1e-323]))).toBe(true);
    expect(h.total).toBe(2 ** -1000 + 1e-323);
  });
});

describe('LiveHistogram API', () => {
  it('total is the exact sum rounded once, independent of the update order', () => {
    const h = new LiveHistogram(3);
    h.add(0, 1e16).add(1, 1).add(2, 1).add(1, 1).remove(0, 1e16);
    expect(h.total).toBe(3);
    h.add(0, 1e16);
    // 1e16 + 3 is exact in the sum and rounds once (to 1e16 + 4, even): not (1e16 + 1) + 1 + 1
    expect(h.total).toBe(exactTotal(new Float64Array([1e16, 2, 1])));
    expect(new LiveHistogram(1).total).toBe(0);
  });

  it('all-zero histograms throw like entropy() does', () => {
    const h = new LiveHistogram(3);
    expect(() => h.entropy()).toThrow(expect.objectContaining({ code: 'zero-sum' }));
    h.add(1).remove(1);
    expect(() => h.entropy()).toThrow(EntropyInputError);
  });

  it('rejects bad bins, weights and resulting counts, and leaves the histogram unchanged', () => {
    const h = new LiveHistogram(4);
    h.add(0, 2).add(1, 0.5).add(3, 1e308);
    const before = JSON.stringify(h);
    const H0 = h.entropy();
    const cases: [() => unknown, string, string, number | undefined][] = [
      [() => h.add(4), 'bin', 'bin', undefined],
      [() => h.add(-1), 'bin', 'bin', undefined],
      [() => h.add(1.5), 'bin', 'bin', undefined],
      [() => h.get(NaN), 'bin', 'bin', undefined],
      [() => h.set('1' as unknown as number, 1), 'bin', 'bin', undefined],
      [() => h.add(1, NaN), 'nan', 'weight', 1],
      [() => h.add(1, Infinity), 'infinite', 'weight', 1],
      [() => h.remove(1, -Infinity), 'infinite', 'weight', 1],
      [() => h.add(1, '2' as unknown as number), 'not-number', 'weight', 1],
      [() => h.remove(1, 0.75), 'negative', 'weight', 1],
      [() => h.add(0, -2.000001), 'negative', 'weight', 0],
      [() => h.remove(2), 'negative', 'weight', 2],
      [() => h.add(3, 1.7e308), 'infinite', 'weight', 3],
      [() => h.set(0, -1), 'negative', 'weight', 0],
      [() => h.set(0, NaN), 'nan', 'weight', 0],
      [() => h.entropy({ base: 1 }), 'option', 'options.base', undefined],
    ];
    for (const [f, code, argument, index] of cases) {
      let err: unknown;
      try {
        f();
      } catch (x) {
        err = x;
      }
      expect(err, String(f)).toBeInstanceOf(EntropyInputError);
      const ee = err as EntropyInputError;
      expect([ee.code, ee.argument, ee.index], ee.message).toEqual([code, argument, index]);
      expect(JSON.stringify(h)).toBe(before);
      expect(Object.is(h.entropy(), H0)).toBe(true);
    }
    // the messages name the argument, the bin and the value
    expect(() => h.remove(1, 0.75)).toThrow(/remove\(1, 0\.75\).*bin 1.*-0\.25.*>= 0/);
    expect(() => h.add(9)).toThrow(/bin is 9; bins are integers in \[0, 4\)/);
    expect(() => h.add(1, NaN)).toThrow(/weight for bin 1 is NaN/);
  });

  it('validates bins', () => {
    for (const bad of [0, -1, 2.5, NaN, Infinity, 2 ** 31, '3', undefined]) {
      expect(() => new LiveHistogram(bad as number)).toThrow(expect.objectContaining({ code: 'size', argument: 'bins' }));
    }
    expect(new LiveHistogram(1).bins).toBe(1);
  });

  it('-0 weights and set(bin, -0) store +0', () => {
    const h = new LiveHistogram(2);
    h.set(0, -0).add(1, -0).add(1, 1).remove(1, 1);
    expect(Object.is(h.get(0), 0)).toBe(true);
    expect(Object.is(h.get(1), 0)).toBe(true);
  });

  it('toJSON/fromJSON is lossless and versioned; fromJSON is strict', () => {
    const rng = new Rng(9);
    const h = new LiveHistogram(50);
    for (let i = 0; i < 2000; i++) h.add(rng.int(50), weight(rng, 'mixed'));
    for (let i = 0; i < 20; i++) h.set(rng.int(50), 0);
    const json = JSON.parse(JSON.stringify(h));
    expect(json.format).toBe('entropy-wasm/LiveHistogram');
    expect(json.version).toBe(1);
    const back = LiveHistogram.fromJSON(json);
    expect(Array.from(back.counts())).toEqual(Array.from(h.counts()));
    expect(Object.is(back.entropy(), h.entropy())).toBe(true);
    expect(Object.is(back.total, h.total)).toBe(true);
    // the rebuilt histogram keeps working like the original
    back.add(3, 0.25);
    h.add(3, 0.25);
    expect(Object.is(back.entropy(), h.entropy())).toBe(true);

    const good = { format: 'entropy-wasm/LiveHistogram', version: 1, bins: 3, counts: [[0, '3ff0000000000000'], [2, '4000000000000000']] };
    expect(LiveHistogram.fromJSON(good).entropy()).toBe(new LiveHistogram(3).add(0, 1).add(2, 2).entropy());
    const bad: unknown[] = [
      null, [], 'x',
      { ...good, format: 'entropy-wasm/EntropyAccumulator' },
      { ...good, version: 2 },
      { ...good, extra: 1 },
      { ...good, bins: 0 },
      { ...good, bins: 2 }, // bin 2 out of range
      { ...good, counts: [[2, '4000000000000000'], [0, '3ff0000000000000']] }, // not increasing
      { ...good, counts: [[0, '3ff0000000000000'], [0, '3ff0000000000000']] }, // repeated
      { ...good, counts: [[0, '0000000000000000']] }, // zero is not stored
      { ...good, counts: [[0, 'bff0000000000000']] }, // negative
      { ...good, counts: [[0, '7ff0000000000000']] }, // Infinity
      { ...good, counts: [[0, '7ff8000000000000']] }, // NaN
      { ...good, counts: [[0, '3ff00000']] },
      { ...good, counts: [[0.5, '3ff0000000000000']] },
      { ...good, counts: [[0, 1]] },
      { ...good, counts: {} },
    ];
    for (const j of bad) expect(() => LiveHistogram.fromJSON(j), JSON.stringify(j)).toThrow(expect.objectContaining({ code: 'json' }));
  });

  it('is exported from the main and the pure-TS entries', () => {
    expect(mainEntry.LiveHistogram).toBe(LiveHistogram);
    expect(tsEntry.LiveHistogram).toBe(LiveHistogram);
    expect(mainEntry.SlidingWindowEntropy).toBe(SlidingWindowEntropy);
    expect(tsEntry.SlidingWindowEntropy).toBe(SlidingWindowEntropy);
  });

  it('the built package exports them by name, from "." and "./ts" (npm test builds first)', async () => {
    for (const m of [await import('entropy-wasm'), await import('entropy-wasm/ts')]) {
      const h = new m.LiveHistogram(3).add(0, 2).add(2);
      expect(Object.is(h.entropy(), m.entropy([2, 0, 1]))).toBe(true);
      expect(new m.SlidingWindowEntropy(2, 2).pushMany([0, 1, 1])[1]).toBe(m.entropy([1, 1]));
    }
  });
});

/** Entropy of the last `window` observations of obs[0..i], counted from scratch. */
function windowEntropy(e: Engine, obs: ArrayLike<number>, i: number, bins: number, window: number, base?: number): number {
  const counts = new Float64Array(bins);
  for (let j = Math.max(0, i - window + 1); j <= i; j++) counts[obs[j]]++;
  return e.entropy(counts, base === undefined ? undefined : { base });
}

describe.each(ENGINES)('SlidingWindowEntropy against from-scratch windows on %s', (_name, e) => {
  it('push and pushMany give the entropy of the last `window` observations (fewer while filling)', () => {
    const rng = new Rng(21);
    for (const [bins, window] of [[1, 3], [5, 1], [16, 50], [300, 257]]) {
      const obs = new Uint32Array(3000);
      for (let i = 0; i < obs.length; i++) obs[i] = rng.float() < 0.2 ? 0 : rng.int(bins); // bin 0 floods at times
      const w = new SlidingWindowEntropy(bins, window);
      const many = new SlidingWindowEntropy(bins, window);
      const fromMany = many.pushMany(obs.subarray(0, 1000));
      const rest = many.pushMany(Array.from(obs.subarray(1000)));
      for (let i = 0; i < obs.length; i++) {
        const want = windowEntropy(e, obs, i, bins, window);
        const got = w.push(obs[i]);
        if (!Object.is(got, want)) throw new Error(`bins ${bins} window ${window} step ${i}: ${hex(got)} != ${hex(want)}`);
        expect(Object.is(i < 1000 ? fromMany[i] : rest[i - 1000], want)).toBe(true);
        expect(w.size).toBe(Math.min(i + 1, window));
      }
      expect(w.get(0)).toBe(obs.subarray(obs.length - window).filter((x) => x === 0).length);
    }
  });

  it('returns values in the base given to the constructor', () => {
    const rng = new Rng(4);
    const obs = Array.from({ length: 500 }, () => rng.int(8));
    const w = new SlidingWindowEntropy(8, 64, { base: 2 });
    const out = w.pushMany(obs);
    for (let i = 0; i < obs.length; i += 7) expect(Object.is(out[i], windowEntropy(e, obs, i, 8, 64, 2))).toBe(true);
    expect(new SlidingWindowEntropy(4, 4, { base: 2 }).pushMany([0, 1, 2, 3])[3]).toBe(2);
  });
});

describe('SlidingWindowEntropy errors', () => {
  it('rejects bad sizes, options and bins; a rejected push or pushMany changes nothing', () => {
    expect(() => new SlidingWindowEntropy(0, 5)).toThrow(expect.objectContaining({ code: 'size', argument: 'bins' }));
    expect(() => new SlidingWindowEntropy(5, 1.5)).toThrow(expect.objectContaining({ code: 'size', argument: 'window' }));
    expect(() => new SlidingWindowEntropy(5, 5, { base: -1 })).toThrow(expect.objectContaining({ code: 'option' }));
    const w = new SlidingWindowEntropy(4, 3);
    w.pushMany([0, 1, 1]);
    expect(() => w.push(4)).toThrow(expect.objectContaining({ code: 'bin', argument: 'bin' }));
    expect(() => w.pushMany([2, 3, 7, 1])).toThrow(expect.objectContaining({ code: 'bin', argument: 'bins[2]', index: 2 }));
    expect(() => w.pushMany(5 as unknown as number[])).toThrow(expect.objectContaining({ code: 'not-array' }));
    expect(w.size).toBe(3);
    expect([w.get(0), w.get(1), w.get(2), w.get(3)]).toEqual([1, 2, 0, 0]);
    expect(w.push(2)).toBe(new LiveHistogram(3).add(1, 2).add(2).entropy());
  });
});
