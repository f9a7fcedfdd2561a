// The documented semantics, on both engines: 0 log 0 = 0, q = 0 where p > 0 gives +Infinity,
// p = 0 contributes nothing, normalization by the sum, bases, non-negativity.
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines';
import { Rng } from '../helpers/prng';
import { histogram, KINDS } from '../helpers/gen';

describe.each(ENGINES)('semantics on %s', (_name, e) => {
  it('0 log 0 = 0: zeros change nothing', () => {
    expect(e.entropy([0, 1, 0, 3, 0])).toBe(e.entropy([1, 3]));
    expect(e.entropy([5])).toBe(0);
    expect(e.entropy([0, 0, 2])).toBe(0);
  });

  it('uniform histograms have entropy ln n', () => {
    for (const n of [2, 3, 10, 1000, 65536, 100003]) {
      expect(e.entropy(new Float64Array(n).fill(7))).toBeCloseTo(Math.log(n), 13);
    }
    expect(e.entropy(new Float64Array(1024).fill(1), { base: 2 })).toBeCloseTo(10, 13);
  });

  it('q = 0 where p > 0 gives +Infinity; p = 0 contributes nothing whatever q is', () => {
    expect(e.crossEntropy([1, 1], [1, 0])).toBe(Infinity);
    expect(e.klDivergence([1, 1], [1, 0])).toBe(Infinity);
    expect(e.klDivergence([1, 1], [1, 0], { base: 2 })).toBe(Infinity);
    expect(e.crossEntropy([1, 0], [1, 0])).toBe(0);
    expect(e.klDivergence([1, 0], [1, 0])).toBe(0);
    // q's bins where p = 0 still count in q's normalization
    expect(e.crossEntropy([1, 0], [1, 1])).toBe(0.6931471805599453);
    expect(e.crossEntropy([1], [0.5])).toBe(0);
  });

  it('normalizes each histogram by its own sum', () => {
    expect(e.entropy([2, 2])).toBe(e.entropy([0.5, 0.5]));
    // scaling is exact in the sums; the formula ln S - T/S keeps the accuracy contract:
    // |error| <= 1e-14 * (1 + |ln S|) (here |ln S| = 459)
    expect(Math.abs(e.entropy([1, 3]) - e.entropy([1e-200, 3e-200]))).toBeLessThanOrEqual(1e-14 * 460);
    expect(e.crossEntropy([1, 3], [2, 2])).toBeCloseTo(e.crossEntropy([0.25, 0.75], [0.5, 0.5]), 15);
  });

  it('entropy does not depend on the scale of the weights: powers of two change no bit', () => {
    const rng = new Rng(17);
    for (const kind of ['dense', 'zipf', 'counts', 'near1'] as const) {
      const p = histogram(rng, kind, 3000);
      const h = e.entropy(p);
      for (const j of [-900, -500, -37, -1, 1, 64, 300, 800]) {
        const scaled = p.map((x) => x * 2 ** j);
        expect(Object.is(e.entropy(scaled), h), `${kind} * 2^${j}`).toBe(true);
      }
      // and other scales stay within a few ulps
      expect(Math.abs(e.entropy(p.map((x) => x * 1e-200)) - h)).toBeLessThanOrEqual(4 * Number.EPSILON * h);
    }
    expect(e.entropy([40, 40], { base: 2 })).toBe(1);
    expect(e.entropy([3, 3, 3], { base: 3 })).toBe(1);
  });

  it('KL(p, p) = 0 exactly, KL >= 0, CE = H + KL', () => {
    const rng = new Rng(3);
    for (const kind of KINDS) {
      const p = histogram(rng, kind, 500);
      const q = histogram(rng, 'dense', 500);
      expect(e.klDivergence(p, p)).toBe(0);
      expect(e.klDivergence(p, p.map((x) => x * (kind === 'huge' ? 0.25 : 4)))).toBeLessThanOrEqual(1e-14 * (1 + Math.log(4)));
      const kl = e.klDivergence(p, q);
      expect(kl).toBeGreaterThanOrEqual(0);
      expect(e.entropy(p)).toBeGreaterThanOrEqual(0);
      const ce = e.crossEntropy(p, q);
      expect(Math.abs(ce - (e.entropy(p) + kl))).toBeLessThanOrEqual(1e-12 * Math.max(1, ce) * 8);
    }
  });

  it('never returns -0 or a tiny negative where the true value is 0 or tiny', () => {
    expect(Object.is(e.entropy([1, 0]), 0)).toBe(true);
    expect(e.entropy([1e6, 1e-300])).toBeGreaterThanOrEqual(0);
    expect(Object.is(e.klDivergence([1, 1], [1, 1]), 0)).toBe(true);
    expect(e.klDivergence([0.5 + 1e-12, 0.5 - 1e-12], [0.5, 0.5])).toBeGreaterThanOrEqual(0);
  });

  it('bases: bits, bans, any base > 0 other than 1', () => {
    const p = [0.1, 0.2, 0.7];
    const nats = e.entropy(p);
    expect(e.entropy(p, { base: Math.E })).toBe(nats);
    expect(e.entropy(p, {})).toBe(nats);
    expect(e.entropy(p, { base: 2 })).toBeCloseTo(nats / Math.LN2, 14);
    expect(e.entropy(p, { base: 10 })).toBeCloseTo(nats / Math.LN10, 14);
    expect(e.entropy(p, { base: 0.5 })).toBeCloseTo(-nats / Math.LN2, 14);
    expect(e.klDivergence([1, 2], [2, 1], { base: 2 })).toBeCloseTo(e.klDivergence([1, 2], [2, 1]) / Math.LN2, 14);
  });

  it('weights across the whole double range, including sums that overflow a double', () => {
    expect(e.entropy([Number.MAX_VALUE, Number.MAX_VALUE])).toBeCloseTo(Math.LN2, 13);
    expect(e.entropy([Number.MIN_VALUE, Number.MIN_VALUE])).toBeCloseTo(Math.LN2, 12);
    expect(e.entropy([Number.MIN_VALUE, 3 * Number.MIN_VALUE], { base: 2 })).toBeCloseTo(0.8112781244591328, 12);
    expect(e.entropy([1e300, 1e-300])).toBe(0);
    expect(e.klDivergence([Number.MAX_VALUE, Number.MAX_VALUE], [1, 1])).toBe(0);
    expect(e.crossEntropy([1e-310, 1e-310], [1e300, 1e300])).toBeCloseTo(Math.LN2, 12);
  });
});
