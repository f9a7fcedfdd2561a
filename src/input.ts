// Reading user arrays: type checks, and copying a chunk into a Float64Array (widening). All
// validation of elements happens in the kernels, in index order: an element that is not a number
// is copied as NaN, which the kernel flags like any other bad weight, and the driver then builds
// the error from the original element (badWeight gives 'not-number' for a non-number value).
import { EntropyInputError, show } from './errors';
import type { Histogram } from './api';

/** A checked input: the array, and for Float64Array an Int32Array view of its words. */
export interface Source {
  readonly name: string;
  readonly length: number;
  /** The Float64Array itself, or null if the input needs a widening copy. */
  readonly f64: Float64Array | null;
  /** Int32Array over f64's bytes (the TS kernels read high words from it). */
  readonly words: Int32Array | null;
  readonly any: ArrayLike<unknown>;
}

function isTypedNumberArray(x: object): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) &&
    !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

/**
 * A Float64Array input. The Int32Array view of its words is made on first use (only the TS kernels
 * read it), so that a small call on WebAssembly allocates no view it does not need.
 */
class F64Source implements Source {
  readonly f64: Float64Array;
  readonly any: ArrayLike<unknown>;
  #words: Int32Array | null = null;
  constructor(readonly name: string, x: Float64Array) {
    this.f64 = x;
    this.any = x;
  }
  get length(): number {
    return this.f64.length;
  }
  get words(): Int32Array {
    return (this.#words ??= new Int32Array(this.f64.buffer, this.f64.byteOffset, this.f64.length * 2));
  }
}

/** Check that `x` is an array of numbers (contents are checked later) and wrap it. */
export function source(x: unknown, name: string): Source {
  if (x instanceof Float64Array) return new F64Source(name, x);
  if (x !== null && typeof x === 'object' && (Array.isArray(x) || isTypedNumberArray(x) ||
      (!ArrayBuffer.isView(x) && typeof (x as { length?: unknown }).length === 'number'))) {
    const n = (x as ArrayLike<unknown>).length;
    if (Number.isSafeInteger(n) && n >= 0) return { name, length: n, f64: null, words: null, any: x as ArrayLike<unknown> };
  }
  throw new EntropyInputError('not-array', name,
    `${name} must be a Float64Array or an array of numbers (got ${show(x)})`);
}

/**
 * Copy src[start, start + len) into target[0, len), widening; a non-number element becomes NaN, so
 * that the kernels report the first bad element in index order, whatever its kind (throwing here
 * would report a non-number of p before a bad weight at an earlier index, or one of q).
 */
export function copyChunk(src: Source, start: number, len: number, target: Float64Array): void {
  const a = src.any;
  const f = src.f64;
  if (f) {
    // A short chunk element by element: subarray() allocates a view, which costs more than the copy.
    if (len <= SHORT_COPY) {
      for (let i = 0; i < len; i++) target[i] = f[start + i];
    } else {
      target.set(f.subarray(start, start + len));
    }
  } else if (ArrayBuffer.isView(a)) {
    target.set((a as unknown as Float32Array).subarray(start, start + len));
  } else {
    for (let i = 0; i < len; i++) {
      const v = a[start + i];
      target[i] = typeof v === 'number' ? v : NaN;
    }
  }
}

/**
 * Chunks up to this long are copied element by element: subarray() + set() costs about 30 ns
 * whatever the length, a loop about 1-1.5 ns per element (Node 20, this machine: crossover 16-32).
 */
export const SHORT_COPY = 16;

/** The histogram type, re-exported for modules that only need it. */
export type { Histogram };
