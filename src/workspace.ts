// Zero-copy workspaces: histograms allocated directly in a WebAssembly instance's memory, which the
// user fills through a Float64Array view and the kernels read in place (no staging copy). Each
// workspace owns one instance of the binary init() selects, so its memory grows only with its own
// histograms and is released as a whole by dispose().
import { createEngine } from './engine';
import { EntropyInputError, show } from './errors';
import { Heap } from './wasm/heap';
import { createWasmCore, flavorBackend, instantiateModule, loadWasm, type WasmExports } from './wasm/instance';
import type { Backend, Engine, MeasureOptions } from './api';

/**
 * A histogram that lives in a workspace's WebAssembly memory.
 *
 * `array` is a Float64Array view of it: fill it, then pass the histogram (not the array) to the
 * workspace's measures. Growing the memory (when the workspace allocates another histogram)
 * detaches every earlier view, which then has length 0; read `h.array` again after each
 * `ws.histogram(n)` rather than keeping the view. The getter always returns a live view, and the
 * contents survive growth.
 */
export interface WorkspaceHistogram {
  /** A live Float64Array view of the histogram (renewed after memory growth). */
  readonly array: Float64Array;
  /** Number of bins. */
  readonly length: number;
  /** True once this histogram or its workspace has been disposed. */
  readonly disposed: boolean;
  /** Free the histogram's memory for reuse by the workspace. Idempotent. */
  dispose(): void;
}

/** Histograms in WebAssembly memory and the six measures computed on them in place. */
export interface Workspace {
  /** The binary this workspace runs: 'wasm-simd' or 'wasm' (scalar); the same bits either way. */
  readonly backend: Exclude<Backend, 'ts'>;
  /** True once dispose() has been called. */
  readonly disposed: boolean;
  /** Bytes of WebAssembly memory this workspace holds now (it never shrinks; dispose() drops it). */
  readonly memoryBytes: number;
  /**
   * Allocate a zero-filled histogram of `length` bins in this workspace's memory.
   * May grow the memory, which detaches the views of earlier histograms (read `h.array` again).
   * @throws EntropyInputError (code 'workspace') for a bad length or a disposed workspace;
   *   RangeError if the memory cannot grow that far
   */
  histogram(length: number): WorkspaceHistogram;
  /** entropy(p.array, options), computed in place. @throws EntropyInputError like entropy() */
  entropy(p: WorkspaceHistogram, options?: MeasureOptions): number;
  /** crossEntropy(p.array, q.array, options), in place. */
  crossEntropy(p: WorkspaceHistogram, q: WorkspaceHistogram, options?: MeasureOptions): number;
  /** klDivergence(p.array, q.array, options), in place. */
  klDivergence(p: WorkspaceHistogram, q: WorkspaceHistogram, options?: MeasureOptions): number;
  /** entropyBatch(rows.array, rowLength, options), in place. */
  entropyBatch(rows: WorkspaceHistogram, rowLength: number, options?: MeasureOptions): Float64Array;
  /** crossEntropyBatch(p.array, q.array, rowLength, options), in place. */
  crossEntropyBatch(p: WorkspaceHistogram, q: WorkspaceHistogram, rowLength: number, options?: MeasureOptions): Float64Array;
  /** klDivergenceBatch(p.array, q.array, rowLength, options), in place. */
  klDivergenceBatch(p: WorkspaceHistogram, q: WorkspaceHistogram, rowLength: number, options?: MeasureOptions): Float64Array;
  /** Dispose every histogram and release the WebAssembly instance and its memory. Idempotent. */
  dispose(): void;
}

function misuse(argument: string, message: string): EntropyInputError {
  return new EntropyInputError('workspace', argument, message);
}

/** Largest histogram: the 4 GiB of wasm32 memory, less the layout (the engine may allow less). */
const MAX_LENGTH = 536_608_768; // 2^29 - 2^18 doubles

class WsHistogram implements WorkspaceHistogram {
  private view: Float64Array | null = null;
  private freed = false;

  constructor(readonly owner: WsImpl, readonly ptr: number, readonly length: number) {}

  get disposed(): boolean {
    return this.freed || this.owner.disposed;
  }

  get array(): Float64Array {
    if (this.disposed) throw misuse('histogram', 'this workspace histogram has been disposed; its memory is no longer valid');
    const buffer = this.owner.buffer();
    // a view on an older buffer was detached by memory growth: make a new one
    if (!this.view || this.view.buffer !== buffer) this.view = new Float64Array(buffer, this.ptr, this.length);
    return this.view;
  }

  dispose(): void {
    if (this.disposed) return;
    this.freed = true;
    this.view = null;
    this.owner.release(this);
  }
}

class WsImpl implements Workspace {
  private x: WasmExports | null;
  private heap: Heap | null;
  private readonly engine: Engine;
  private readonly live = new Set<WsHistogram>();

  constructor(x: WasmExports, readonly backend: Exclude<Backend, 'ts'>) {
    this.x = x;
    this.heap = new Heap(x.memory, x.layout_end());
    const core = createWasmCore(x, backend);
    this.engine = createEngine(() => core);
  }

  get disposed(): boolean {
    return this.x === null;
  }

  get memoryBytes(): number {
    return this.x ? this.x.memory.buffer.byteLength : 0;
  }

  buffer(): ArrayBuffer {
    return this.exports().memory.buffer;
  }

  release(h: WsHistogram): void {
    this.live.delete(h);
    this.heap?.release(h.ptr);
  }

  histogram(length: number): WorkspaceHistogram {
    const x = this.exports();
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || length > MAX_LENGTH) {
      throw misuse('length', `length must be an integer from 0 to ${MAX_LENGTH} (got ${show(length)})`);
    }
    const ptr = this.heap!.alloc(length * 8);
    const h = new WsHistogram(this, ptr, length);
    // a reused block holds an earlier histogram's values
    new Float64Array(x.memory.buffer, ptr, length).fill(0);
    this.live.add(h);
    return h;
  }

  entropy(p: WorkspaceHistogram, options?: MeasureOptions): number {
    return this.engine.entropy(this.arrayOf(p, 'p'), options);
  }

  crossEntropy(p: WorkspaceHistogram, q: WorkspaceHistogram, options?: MeasureOptions): number {
    return this.engine.crossEntropy(this.arrayOf(p, 'p'), this.arrayOf(q, 'q'), options);
  }

  klDivergence(p: WorkspaceHistogram, q: WorkspaceHistogram, options?: MeasureOptions): number {
    return this.engine.klDivergence(this.arrayOf(p, 'p'), this.arrayOf(q, 'q'), options);
  }

  entropyBatch(rows: WorkspaceHistogram, rowLength: number, options?: MeasureOptions): Float64Array {
    return this.engine.entropyBatch(this.arrayOf(rows, 'rows'), rowLength, options);
  }

  crossEntropyBatch(p: WorkspaceHistogram, q: WorkspaceHistogram, rowLength: number, options?: MeasureOptions): Float64Array {
    return this.engine.crossEntropyBatch(this.arrayOf(p, 'p'), this.arrayOf(q, 'q'), rowLength, options);
  }

  klDivergenceBatch(p: WorkspaceHistogram, q: WorkspaceHistogram, rowLength: number, options?: MeasureOptions): Float64Array {
    return this.engine.klDivergenceBatch(this.arrayOf(p, 'p'), this.arrayOf(q, 'q'), rowLength, options);
  }

  dispose(): void {
    if (!this.x) return;
    // histograms report disposed through their owner from now on
    this.live.clear();
    this.heap = null;
    this.x = null;
  }

  private exports(): WasmExports {
    if (!this.x) throw misuse('workspace', 'this workspace has been disposed');
    return this.x;
  }

  /** The live view of a histogram of this workspace (the kernels read it at its address). */
  private arrayOf(h: unknown, name: string): Float64Array {
    this.exports();
    if (!(h instanceof WsHistogram) || h.owner !== this) {
      throw misuse(name, `${name} must be a histogram of this workspace, from ws.histogram(length) (got ${show(h)})`);
    }
    if (h.disposed) throw misuse(name, `${name} is a disposed workspace histogram`);
    return h.array;
  }
}

/**
 * A new workspace: its own instance of the WebAssembly binary that init() selects (SIMD where
 * supported, else scalar), so results have the bits of the top-level functions.
 * @returns a promise that rejects where WebAssembly is unavailable (there is no TS workspace)
 * @example
 * const ws = await createWorkspace();
 * const h = ws.histogram(4);
 * h.array.set([1, 2, 3, 4]);
 * ws.entropy(h, { base: 2 }) === entropy([1, 2, 3, 4], { base: 2 }); // true
 * ws.dispose();
 */
export async function createWorkspace(): Promise<Workspace> {
  let loaded;
  try {
    loaded = await loadWasm();
  } catch (cause) {
    throw new Error('entropy-wasm: createWorkspace() needs WebAssembly, which is unavailable here', { cause });
  }
  return new WsImpl(await instantiateModule(loaded.module), flavorBackend(loaded.flavor));
}
