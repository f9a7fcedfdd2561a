// entropy-wasm: exact, bit-reproducible entropy, cross entropy and KL divergence.
// The functions are synchronous and always work: they run on the TS engine until init() has
// loaded WebAssembly (or forever, where WebAssembly is missing or blocked), with the same bits.
import { createEngine } from './engine';
import { currentCore, setCurrentCore } from './runtime';
import { createWasmCore, flavorBackend, instantiateModule, loadWasm } from './wasm/instance';
import type { Backend, Engine } from './api';

const auto: Engine = createEngine(currentCore);

/**
 * Shannon entropy H(p) = -sum p_i log p_i of the histogram normalized by its sum.
 * 0 log 0 = 0. Default unit nats; `{ base: 2 }` for bits. Power-of-two scaling of the weights
 * changes no bit (see README, "Entropy without cancellation").
 * @param p non-negative finite weights (any scale; at least one positive)
 * @returns H(p) >= 0
 * @throws EntropyInputError for a non-array, an empty or all-zero histogram, a negative, NaN or
 *   infinite weight, or bad options
 * @example entropy([0.5, 0.25, 0.125, 0.125], { base: 2 }) // 1.75
 */
export const entropy: Engine['entropy'] = auto.entropy;

/**
 * Cross entropy H(p, q) = -sum p_i log q_i of the histograms normalized by their sums.
 * Bins with p_i = 0 contribute nothing; p_i > 0 with q_i = 0 gives +Infinity.
 * @param p the reference distribution (weights), @param q the model distribution (weights), same length
 * @throws EntropyInputError for bad weights, lengths or options
 * @example crossEntropy([1, 0, 0], [0.7, 0.1, 0.2]) // 0.35667494393873245
 */
export const crossEntropy: Engine['crossEntropy'] = auto.crossEntropy;

/**
 * Kullback-Leibler divergence D(p || q) = sum p_i log(p_i / q_i) >= 0, histograms normalized.
 * Bins with p_i = 0 contribute nothing; p_i > 0 with q_i = 0 gives +Infinity.
 * @throws EntropyInputError for bad weights, lengths or options
 * @example klDivergence([0.5, 0.5], [0.9, 0.1]) // 0.51082562376599 (ln 5/3)
 */
export const klDivergence: Engine['klDivergence'] = auto.klDivergence;

/**
 * Entropy of every row of a row-major matrix: one value per row, each equal to entropy(row).
 * @param rows the matrix, length a multiple of rowLength @param rowLength columns per row
 * @throws EntropyInputError for a bad rowLength, a bad weight (message gives row and column) or an all-zero row
 */
export const entropyBatch: Engine['entropyBatch'] = auto.entropyBatch;

/** Cross entropy of every row pair: one value per row, each equal to crossEntropy(pRow, qRow). */
export const crossEntropyBatch: Engine['crossEntropyBatch'] = auto.crossEntropyBatch;

/** KL divergence of every row pair: one value per row, each equal to klDivergence(pRow, qRow). */
export const klDivergenceBatch: Engine['klDivergenceBatch'] = auto.klDivergenceBatch;

let initialized: Promise<Backend> | null = null;

/**
 * Load the WebAssembly engine: the SIMD build where the engine validates WebAssembly SIMD, else
 * the scalar build (same bits). Resolves to the backend that serves calls from then on:
 * 'wasm-simd', 'wasm', or 'ts' (it never rejects) where WebAssembly is missing or blocked.
 * Idempotent.
 */
export function init(): Promise<Backend> {
  initialized ??= loadWasm().then(async ({ module, flavor }) => {
    setCurrentCore(createWasmCore(await instantiateModule(module), flavorBackend(flavor)));
    return backend();
  }).catch(() => backend());
  return initialized;
}

/** The backend serving calls now: 'wasm-simd', 'wasm' or 'ts' ('ts' before init() has resolved). */
export function backend(): Backend {
  return currentCore().backend;
}

export {
  entropyParallel, crossEntropyParallel, klDivergenceParallel,
  entropyBatchParallel, crossEntropyBatchParallel, klDivergenceBatchParallel,
  terminatePool, type ParallelOptions,
} from './parallel';
export { createWorkspace, type Workspace, type WorkspaceHistogram } from './workspace';
export { tsEngine } from './ts';
export { EntropyAccumulator, DivergenceAccumulator } from './accumulator';
export { LiveHistogram, type LiveHistogramJSON } from './live/histogram';
export { SlidingWindowEntropy } from './live/window';
export { EntropyInputError, type EntropyErrorCode } from './errors';
export type { Backend, Engine, Histogram, MeasureOptions } from './api';
