// The six public measures over a Core. Validation happens here (shapes, options) and in the
// kernels (values, reported through the state header by src/driver.ts).
import { addPair, addShannon, type Core } from './driver';
import { emptySum, isZero } from './exact';
import { crossEntropyFromSums, entropyFromSums, inBase, klDivergenceFromSums } from './finalize';
import { source, type Source } from './input';
import { nonEmpty, readBase, rowCount, sameLength, zeroSum } from './validate';
import type { Engine, Histogram, MeasureOptions } from './api';
import type { DD } from './math/dd';

/** Entropy (nats, double-double) of src[from, from + count). */
export function entropyOf(core: Core, src: Source, from: number, count: number, rowLength?: number): DD {
  const S = emptySum();
  const K = emptySum();
  const U = emptySum();
  addShannon(core, src, from, count, S, K, U, rowLength);
  if (isZero(S)) throw zeroSum(src.name, rowLength ? from / rowLength : undefined);
  return entropyFromSums(S, K, U);
}

/** Cross entropy (kl = false) or KL divergence (kl = true), nats, of [from, from + count). */
export function divergenceOf(
  core: Core, kl: boolean, p: Source, q: Source, from: number, count: number, rowLength?: number,
): number {
  const P = emptySum();
  const Q = emptySum();
  const A = emptySum();
  const infinite = addPair(core, kl, p, q, from, count, P, Q, A, rowLength);
  const row = rowLength ? from / rowLength : undefined;
  if (isZero(P)) throw zeroSum(p.name, row);
  if (isZero(Q)) throw zeroSum(q.name, row);
  return kl ? klDivergenceFromSums(P, Q, A, infinite) : crossEntropyFromSums(P, Q, A, infinite);
}

function pairSources(p: unknown, q: unknown): [Source, Source] {
  const ps = source(p, 'p');
  const qs = source(q, 'q');
  sameLength(ps, qs);
  return [ps, qs];
}

/** The six measures on the core that `core()` returns at each call. */
export function createEngine(core: () => Core): Engine {
  const divergence = (kl: boolean, p: Histogram, q: Histogram, options?: MeasureOptions): number => {
    const [ps, qs] = pairSources(p, q);
    const base = readBase(options);
    nonEmpty(ps);
    return inBase(divergenceOf(core(), kl, ps, qs, 0, ps.length), base);
  };
  const divergenceBatch = (
    kl: boolean, p: Histogram, q: Histogram, rowLength: number, options?: MeasureOptions,
  ): Float64Array => {
    const [ps, qs] = pairSources(p, q);
    const rows = rowCount(ps, rowLength);
    const base = readBase(options);
    const out = new Float64Array(rows);
    const c = core();
    for (let r = 0; r < rows; r++) {
      out[r] = inBase(divergenceOf(c, kl, ps, qs, r * rowLength, rowLength, rowLength), base);
    }
    return out;
  };
  return {
    entropy(p, options) {
      const src = source(p, 'p');
      const base = readBase(options);
      nonEmpty(src);
      return inBase(entropyOf(core(), src, 0, src.length), base);
    },
    crossEntropy: (p, q, options) => divergence(false, p, q, options),
    klDivergence: (p, q, options) => divergence(true, p, q, options),
    entropyBatch(rows, rowLength, options) {
      const src = source(rows, 'rows');
      const n = rowCount(src, rowLength);
      const base = readBase(options);
      const out = new Float64Array(n);
      const c = core();
      for (let r = 0; r < n; r++) out[r] = inBase(entropyOf(c, src, r * rowLength, rowLength, rowLength), base);
      return out;
    },
    crossEntropyBatch: (p, q, rowLength, options) => divergenceBatch(false, p, q, rowLength, options),
    klDivergenceBatch: (p, q, rowLength, options) => divergenceBatch(true, p, q, rowLength, options),
  };
}
