// The parallel measures: the same bits and the same errors as the single-threaded functions, with
// the work spread over a pool of workers (src/parallel/pool.ts). Each worker accumulates exact
// partial sums of its pieces (or computes whole batch rows); this thread merges them exactly and
// rounds once, so the number of workers and the order in which pieces finish change no bit.
import { entropy, crossEntropy, klDivergence, entropyBatch, crossEntropyBatch, klDivergenceBatch, init } from '../index';
import { source, type Source } from '../input';
import { nonEmpty, rowCount, sameLength } from '../validate';
import { readParallelOptions, type ParallelOptions, type ReadOptions } from './options';
import { defaultWorkers } from './pool';
import { runJob, type Job } from './run';
import type { Histogram } from '../api';
import type { Op } from './protocol';

export { terminatePool } from './pool';
export type { ParallelOptions } from './options';

/**
 * Inputs with fewer elements than this run the single-threaded function on the calling thread
 * (same bits): below it, handing pieces to workers costs more than it saves (bench/parallel-quick.mjs).
 */
export const PARALLEL_MIN = 1 << 18;
let parallelMin = PARALLEL_MIN;

/** Internal test hook (not exported by the package): the size below which calls stay on the calling thread. */
export function setParallelMinForTests(n: number | null): void {
  parallelMin = n ?? PARALLEL_MIN;
}

function rejectIfAborted(o: ReadOptions): void {
  if (o.signal?.aborted) throw o.signal.reason;
}

async function run(job: Job, o: ReadOptions, single: () => number | Float64Array): Promise<number | Float64Array> {
  rejectIfAborted(o);
  await init(); // the calling thread's own work (small inputs, merging) runs on WebAssembly too
  rejectIfAborted(o);
  const n = job.rows * job.rowLength;
  if (n === 0 || n < parallelMin) return single();
  const k = o.workers ?? (await defaultWorkers());
  return runJob(job, k, o.signal, single);
}

function pairSources(p: unknown, q: unknown): [Source, Source] {
  const ps = source(p, 'p');
  const qs = source(q, 'q');
  sameLength(ps, qs);
  return [ps, qs];
}

async function divergence(op: Op, p: Histogram, q: Histogram, options: ParallelOptions | undefined): Promise<number> {
  const [ps, qs] = pairSources(p, q);
  const o = readParallelOptions(options);
  nonEmpty(ps);
  const f = op === 'kl' ? klDivergence : crossEntropy;
  const job: Job = { op, batch: false, p: ps, q: qs, rows: 1, rowLength: ps.length, base: o.base };
  return (await run(job, o, () => f(p, q, o.measure))) as number;
}

async function divergenceBatch(
  op: Op, p: Histogram, q: Histogram, rowLength: number, options: ParallelOptions | undefined,
): Promise<Float64Array> {
  const [ps, qs] = pairSources(p, q);
  const rows = rowCount(ps, rowLength);
  const o = readParallelOptions(options);
  const f = op === 'kl' ? klDivergenceBatch : crossEntropyBatch;
  const job: Job = { op, batch: true, p: ps, q: qs, rows, rowLength, base: o.base };
  return (await run(job, o, () => f(p, q, rowLength, o.measure))) as Float64Array;
}

/**
 * entropy(p, options) on worker threads: the same bits and the same errors, as a promise.
 * A Float64Array on a SharedArrayBuffer is read by the workers in place; any other input is
 * copied to them in pieces of up to 2^19 elements, a few in flight per worker.
 * @param options base as in entropy; workers (default: the available cores); signal (an AbortSignal)
 * @returns a promise of H(p), bit-identical to entropy(p, options)
 * @throws (rejects) EntropyInputError as entropy does; signal.reason when aborted; an Error when
 *   a worker dies or terminatePool() ends the pool during the call
 * @example await entropyParallel(counts, { base: 2, workers: 4 })
 */
export async function entropyParallel(p: Histogram, options?: ParallelOptions): Promise<number> {
  const src = source(p, 'p');
  const o = readParallelOptions(options);
  nonEmpty(src);
  const job: Job = { op: 'entropy', batch: false, p: src, q: null, rows: 1, rowLength: src.length, base: o.base };
  return (await run(job, o, () => entropy(p, o.measure))) as number;
}

/** crossEntropy(p, q, options) on worker threads: the same bits and errors (see entropyParallel). */
export function crossEntropyParallel(p: Histogram, q: Histogram, options?: ParallelOptions): Promise<number> {
  return divergence('cross', p, q, options);
}

/** klDivergence(p, q, options) on worker threads: the same bits and errors (see entropyParallel). */
export function klDivergenceParallel(p: Histogram, q: Histogram, options?: ParallelOptions): Promise<number> {
  return divergence('kl', p, q, options);
}

/**
 * entropyBatch(rows, rowLength, options) on worker threads: contiguous blocks of rows per piece
 * (rows longer than a piece are split and their exact sums merged); each value has the bits of
 * the single-threaded batch, and errors are the same.
 */
export async function entropyBatchParallel(rows: Histogram, rowLength: number, options?: ParallelOptions): Promise<Float64Array> {
  const src = source(rows, 'rows');
  const n = rowCount(src, rowLength);
  const o = readParallelOptions(options);
  const job: Job = { op: 'entropy', batch: true, p: src, q: null, rows: n, rowLength, base: o.base };
  return (await run(job, o, () => entropyBatch(rows, rowLength, o.measure))) as Float64Array;
}

/** crossEntropyBatch on worker threads (see entropyBatchParallel). */
export function crossEntropyBatchParallel(p: Histogram, q: Histogram, rowLength: number, options?: ParallelOptions): Promise<Float64Array> {
  return divergenceBatch('cross', p, q, rowLength, options);
}

/** klDivergenceBatch on worker threads (see entropyBatchParallel). */
export function klDivergenceBatchParallel(p: Histogram, q: Histogram, rowLength: number, options?: ParallelOptions): Promise<Float64Array> {
  return divergenceBatch('kl', p, q, rowLength, options);
}
