// Options of the parallel functions: MeasureOptions plus workers and signal, checked like readBase.
import { EntropyInputError, show } from '../errors';
import { readBase } from '../validate';
import type { MeasureOptions } from '../api';

/** Options of the parallel functions. */
export interface ParallelOptions extends MeasureOptions {
  /** Worker threads to use: a positive integer; default the available cores. */
  workers?: number;
  /** Abort the computation: the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

export interface ReadOptions {
  /** The base as readBase returns it (undefined: nats). */
  readonly base: number | undefined;
  /** The options to pass to the single-threaded function (base only). */
  readonly measure: MeasureOptions | undefined;
  readonly workers: number | undefined;
  readonly signal: AbortSignal | undefined;
}

const KEYS = ['base', 'workers', 'signal'];

function isSignal(s: unknown): s is AbortSignal {
  if (typeof AbortSignal === 'function' && s instanceof AbortSignal) return true;
  // an AbortSignal of another realm (an iframe, a test environment)
  const x = s as { aborted?: unknown; addEventListener?: unknown } | null;
  return typeof x === 'object' && x !== null && typeof x.aborted === 'boolean' && typeof x.addEventListener === 'function';
}

/** Check the options: the object and base exactly as readBase does, then workers and signal. */
export function readParallelOptions(options: unknown): ReadOptions {
  if (options === undefined) return { base: undefined, measure: undefined, workers: undefined, signal: undefined };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) readBase(options); // throws readBase's error
  for (const key of Object.keys(options as object)) {
    if (!KEYS.includes(key)) {
      throw new EntropyInputError('option', `options.${key}`,
        `options.${key} is not an option (the options are base, workers and signal)`);
    }
  }
  const o = options as ParallelOptions;
  const base = readBase(o.base === undefined ? undefined : { base: o.base });
  const workers: unknown = o.workers;
  if (workers !== undefined && (typeof workers !== 'number' || !Number.isSafeInteger(workers) || workers < 1)) {
    throw new EntropyInputError('option', 'options.workers',
      `options.workers is ${show(workers)}; workers must be a positive integer`);
  }
  const signal: unknown = o.signal;
  if (signal !== undefined && !isSignal(signal)) {
    throw new EntropyInputError('option', 'options.signal', `options.signal must be an AbortSignal (got ${show(signal)})`);
  }
  return { base, measure: o.base === undefined ? undefined : { base: o.base }, workers, signal };
}
