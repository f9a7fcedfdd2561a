// entropy-wasm/node: entropy, cross entropy and KL divergence of files and streams larger than
// memory (raw f64/f32, NumPy .npy, CSV/TSV). The only part of the package that imports node:*.
export {
  entropyOfStream, entropyOfFile, divergenceOfStreams, divergenceOfFiles, entropyRowsOfFile, entropyRowsOfStream,
  type DivergenceResult,
} from './measures';
export type { StreamOptions, RowsOptions } from './options';
export type { FileFormat } from './reader';
export type { ByteSource } from './sources';
export { EntropyInputError, type EntropyErrorCode } from '../errors';
