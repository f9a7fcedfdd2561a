// Public types.

/**
 * A histogram: non-negative finite weights, normalized internally by their sum. A Float64Array is
 * read in place; any other array of numbers (number[], Float32Array, Uint32Array counts, ...) is
 * widened to doubles first, so the same values give the same result whatever the container.
 */
export type Histogram = Float64Array | ArrayLike<number>;

/** Options of every measure. */
export interface MeasureOptions {
  /** Logarithm base of the result: e (default, nats), 2 (bits), 10 (bans), or any finite base > 0, != 1. */
  base?: number;
}

/** Which engine serves the calls: WebAssembly with SIMD, WebAssembly, or the pure-TS engine. */
export type Backend = 'wasm-simd' | 'wasm' | 'ts';

/** The six measures. Every engine returns the same bits for the same input. */
export interface Engine {
  /** Shannon entropy H(p) = -sum p_i log p_i of the normalized histogram. */
  entropy(p: Histogram, options?: MeasureOptions): number;
  /** Cross entropy H(p, q) = -sum p_i log q_i of the normalized histograms. */
  crossEntropy(p: Histogram, q: Histogram, options?: MeasureOptions): number;
  /** Kullback-Leibler divergence D(p || q) = sum p_i log(p_i / q_i) of the normalized histograms. */
  klDivergence(p: Histogram, q: Histogram, options?: MeasureOptions): number;
  /** Entropy of each row of a row-major matrix with `rowLength` columns. */
  entropyBatch(rows: Histogram, rowLength: number, options?: MeasureOptions): Float64Array;
  /** Cross entropy of each row pair. */
  crossEntropyBatch(p: Histogram, q: Histogram, rowLength: number, options?: MeasureOptions): Float64Array;
  /** KL divergence of each row pair. */
  klDivergenceBatch(p: Histogram, q: Histogram, rowLength: number, options?: MeasureOptions): Float64Array;
}
