// Messages between the calling thread (src/parallel/pool.ts, run.ts) and a pool worker
// (src/parallel/worker.ts). Everything here is structured-clonable; Float64Array pieces are either
// transferred (copies made by the calling thread, sent back for reuse) or views of a
// SharedArrayBuffer (the caller's own memory, read in place).
import type { ExactSum } from '../exact';
import type { Backend } from '../api';

/** Which measure a task computes. */
export type Op = 'entropy' | 'cross' | 'kl';

/** Start the worker: the compiled module of the binary the calling thread selected (null: TS engine). */
export interface InitMessage {
  readonly t: 'init';
  readonly module: WebAssembly.Module | null;
  readonly backend: Exclude<Backend, 'ts'> | null;
}

/**
 * One piece of work.
 * - mode 'sums': the exact sums of p[0, len) (and q) for one histogram or one batch row, with the
 *   driver's addShannon / addPair; the calling thread merges the pieces and finalizes once.
 * - mode 'rows': the values of whole rows of rowLength, with the single-threaded batch function.
 */
export interface TaskMessage {
  readonly t: 'task';
  readonly id: number;
  readonly op: Op;
  readonly mode: 'sums' | 'rows';
  readonly p: Float64Array;
  readonly q: Float64Array | null;
  /** Argument names, as the single-threaded call names them ('p', 'q' or 'rows'). */
  readonly pName: string;
  readonly qName: string;
  readonly rowLength: number;
  readonly base: number | undefined;
}

/** Internal test hook: make the worker die when its next task arrives. */
export interface CrashMessage {
  readonly t: 'crash';
  readonly how: 'exit' | 'throw';
}

export type ToWorker = InitMessage | TaskMessage | CrashMessage;

export interface ReadyMessage {
  readonly t: 'ready';
  readonly backend: Backend;
}

/** A task's outcome. Exactly one of sums, values, bad, zero is set. */
export interface DoneMessage {
  readonly t: 'done';
  readonly id: number;
  /** mode 'sums': [S, K, U] (entropy) or [P, Q, A] (cross entropy, KL), exact. */
  readonly sums?: ExactSum[];
  /** mode 'sums', pairs: some p > 0 met q == 0. */
  readonly infinite?: boolean;
  /** mode 'rows': one value per row. */
  readonly values?: Float64Array;
  /** The first invalid weight: its argument and its index in the piece. */
  readonly bad?: { readonly arg: string; readonly index: number };
  /** mode 'rows': the first row (in the piece) whose named histogram sums to 0. */
  readonly zero?: { readonly arg: string; readonly row: number };
  /** The pieces the calling thread copied, given back (transferred) for reuse as later pieces. */
  readonly p?: Float64Array;
  readonly q?: Float64Array | null;
}

/** A task failed for a reason other than its input (a bug, out of memory): the call rejects. */
export interface FailMessage {
  readonly t: 'fail';
  readonly id: number;
  readonly message: string;
}

export type FromWorker = ReadyMessage | DoneMessage | FailMessage;

/** What the worker script needs from its host (set up by the prologue the pool prepends). */
export interface WorkerPort {
  post(message: FromWorker, transfer: Transferable[]): void;
  listen(handler: (message: ToWorker) => void): void;
  exit(code: number): void;
}
