// Property-based checks (fast-check, seeded): for arbitrary valid histograms, the engines agree
// bit for bit, any split into accumulator chunks gives the one-shot bits, and the measures keep
// their mathematical properties.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { EntropyAccumulator, DivergenceAccumulator } from '../../src/accumulator';
import { setCurrentCore } from '../../src/runtime';
import { tsEngineUnderTest as ts, wasmBoth as wasm, wasmCore } from '../helpers/engines';

const weight = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e-300, noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 << 20 }) },
);
const histogram = fc.array(weight, { minLength: 1, maxLength: 300 }).filter((a) => a.some((x) => x > 0));
const pair = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.tuple(fc.array(weight, { minLength: n, maxLength: n }), fc.array(weight, { minLength: n, maxLength: n })))
  .filter(([p, q]) => p.some((x) => x > 0) && q.some((x) => x > 0));
const OPTS = { seed: 20261122, numRuns: 300 };

describe('properties', () => {
  it('wasm (SIMD and scalar) and TS agree bit for bit on arbitrary histograms', () => {
    fc.assert(fc.property(histogram, (p) => Object.is(wasm.entropy(p), ts.entropy(p))), OPTS);
    fc.assert(fc.property(pair, ([p, q]) =>
      Object.is(wasm.crossEntropy(p, q), ts.crossEntropy(p, q)) &&
      Object.is(wasm.klDivergence(p, q), ts.klDivergence(p, q))), OPTS);
  });

  it('any split into chunks, merged in reverse, gives the one-shot bits', () => {
    setCurrentCore(wasmCore);
    fc.assert(fc.property(pair, fc.array(fc.nat(), { maxLength: 6 }), ([p, q], cuts) => {
      const at = [...new Set(cuts.map((c) => c % (p.length + 1)))].sort((a, b) => a - b);
      const bounds = [0, ...at, p.length];
      const es: EntropyAccumulator[] = [];
      const ds: DivergenceAccumulator[] = [];
      for (let i = 0; i + 1 < bounds.length; i++) {
        es.push(new EntropyAccumulator().update(p.slice(bounds[i], bounds[i + 1])));
        ds.push(new DivergenceAccumulator().update(p.slice(bounds[i], bounds[i + 1]), q.slice(bounds[i], bounds[i + 1])));
      }
      const e = es.reverse().reduce((a, b) => a.merge(b));
      const d = ds.reverse().reduce((a, b) => a.merge(b));
      return Object.is(e.entropy(), ts.entropy(p)) &&
        Object.is(d.crossEntropy(), ts.crossEntropy(p, q)) && Object.is(d.klDivergence(), ts.klDivergence(p, q));
    }), { ...OPTS, numRuns: 150 });
  });

  it('0 <= H(p) <= ln n, KL(p, p) = 0, H(p, p) = H(p) within the accuracy contract', () => {
    fc.assert(fc.property(histogram, (p) => {
      const h = ts.entropy(p);
      const n = p.filter((x) => x > 0).length;
      // the contract's absolute bound for cross entropy: 1e-14 (1 + |ln sum p| + |ln sum q|)
      const sum = p.reduce((a, b) => a + b, 0);
      const lnSum = Number.isFinite(sum) ? Math.abs(Math.log(sum)) : Math.log(p.reduce((a, b) => a + b / 1024, 0)) + Math.log(1024);
      return h >= 0 && h <= Math.log(n) * (1 + 1e-15) + 1e-15 && ts.klDivergence(p, p) === 0 &&
        Math.abs(ts.crossEntropy(p, p) - h) <= Math.max(1e-12 * h, 1e-14 * (1 + 2 * lnSum));
    }), OPTS);
    fc.assert(fc.property(pair, ([p, q]) => ts.klDivergence(p, q) >= 0), OPTS);
  });
});
