// entropy-wasm/ts: the pure-TS engine, with no WebAssembly bytes in it. Same API, same bits.
import { createEngine } from './engine';
import { getTsCore } from './runtime';
import type { Engine } from './api';

/** The six measures on the pure-TS engine: no init needed, bit-identical to WebAssembly. */
export const tsEngine: Engine = createEngine(getTsCore);

export const { entropy, crossEntropy, klDivergence, entropyBatch, crossEntropyBatch, klDivergenceBatch } = tsEngine;
export { EntropyAccumulator, DivergenceAccumulator } from './accumulator';
export { LiveHistogram, type LiveHistogramJSON } from './live/histogram';
export { SlidingWindowEntropy } from './live/window';
export { EntropyInputError, type EntropyErrorCode } from './errors';
export type { Backend, Engine, Histogram, MeasureOptions } from './api';
