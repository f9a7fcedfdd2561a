// The six public measures over a Core. Validation happens here (shapes, options) and in the
// kernels (values, reported through the state header by src/driver.ts).
import { STAGE_LEN, addPair, addShannon, type Core } from './driver';
import { emptySum, isZero } from './exact';
import { baseDivisor, crossEntropyFromSums, entropyFromSums, inBase, klDivergenceFromSums, logBase } from './finalize';
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

/** baseDivisor(2), the common case, made once. */
const BITS = baseDivisor(2);

/**
 * Entropy of rows [0, n) of rowLength elements, in `base`, into out. Rows that fit a stage run
 * through the row kernel, which finishes them itself; the rows it leaves NaN (a rare or invalid
 * weight, an all-zero row) and longer rows take the general path, in row order, which raises the
 * first row's error exactly as a row-by-row loop would. Both give the same bits (see
 * src/kernels/rows.ts). rowLength undefined: a single histogram (messages name no row).
 */
function entropyRows(
  core: Core, src: Source, n: number, rowLength: number, base: number | undefined, out: Float64Array, batch: boolean,
): void {
  if (rowLength <= STAGE_LEN) {
    if (base === undefined) {
      core.rows(src, 0, n, rowLength, out, 0, 1, 0, 0); // baseDivisor(undefined), without the array
    } else {
      const d = base === 2 ? BITS : baseDivisor(base);
      core.rows(src, 0, n, rowLength, out, 0, d[0], d[1], d[2]);
    }
  } else {
    out.fill(NaN);
  }
  for (let r = 0; r < n; r++) {
    if (out[r] === out[r]) continue;
    const nats = entropyOf(core, src, r * rowLength, rowLength, batch ? rowLength : undefined);
    out[r] = inBase(nats, base);
  }
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

/** Cross entropy or KL of row pairs [0, n), like entropyRows (pair_rows_f64, then the general path). */
function divergenceRows(
  core: Core, kl: boolean, p: Source, q: Source, n: number, rowLength: number, base: number | undefined,
  out: Float64Array, batch: boolean,
): void {
  if (rowLength <= STAGE_LEN) {
    if (base === undefined) {
      core.pairRows(kl, p, q, 0, n, rowLength, out, 0, 1, 0); // logBase(undefined), without the array
    } else {
      const d = logBase(base);
      core.pairRows(kl, p, q, 0, n, rowLength, out, 0, d[0], d[1]);
    }
  } else {
    out.fill(NaN);
  }
  for (let r = 0; r < n; r++) {
    if (out[r] === out[r]) continue;
    out[r] = inBase(divergenceOf(core, kl, p, q, r * rowLength, rowLength, batch ? rowLength : undefined), base);
  }
}

/** The six measures on the core that `core()` returns at each call. */
export function createEngine(core: () => Core): Engine {
  // One-shot results go through a one-row buffer (the measures are not reentrant: no callbacks).
  const one = new Float64Array(1);
  const divergence = (kl: boolean, p: Histogram, q: Histogram, options?: MeasureOptions): number => {
    const ps = source(p, 'p');
    const qs = source(q, 'q');
    sameLength(ps, qs);
    const base = readBase(options);
    nonEmpty(ps);
    divergenceRows(core(), kl, ps, qs, 1, ps.length, base, one, false);
    return one[0];
  };
  const divergenceBatch = (
    kl: boolean, p: Histogram, q: Histogram, rowLength: number, options?: MeasureOptions,
  ): Float64Array => {
    const ps = source(p, 'p');
    const qs = source(q, 'q');
    sameLength(ps, qs);
    const rows = rowCount(ps, rowLength);
    const base = readBase(options);
    const out = new Float64Array(rows);
    divergenceRows(core(), kl, ps, qs, rows, rowLength, base, out, true);
    return out;
  };
  return {
    entropy(p, options) {
      const src = source(p, 'p');
      const base = readBase(options);
      nonEmpty(src);
      entropyRows(core(), src, 1, src.length, base, one, false);
      return one[0];
    },
    crossEntropy: (p, q, options) => divergence(false, p, q, options),
    klDivergence: (p, q, options) => divergence(true, p, q, options),
    entropyBatch(rows, rowLength, options) {
      const src = source(rows, 'rows');
      const n = rowCount(src, rowLength);
      const base = readBase(options);
      const out = new Float64Array(n);
      entropyRows(core(), src, n, rowLength, base, out, true);
      return out;
    },
    crossEntropyBatch: (p, q, rowLength, options) => divergenceBatch(false, p, q, rowLength, options),
    klDivergenceBatch: (p, q, rowLength, options) => divergenceBatch(true, p, q, rowLength, options),
  };
}
