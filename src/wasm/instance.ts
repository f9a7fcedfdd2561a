// Loading the WebAssembly core: decode the embedded release binary, compile it once (memoized),
// instantiate with no imports, and wrap the exports as a Core. One code path for Node and browsers.
import { WASM_BASE64 } from './binary';
import { ROW_OUT, STAGE_LEN, type Core } from '../driver';
import { copyChunk } from '../input';
import { STATE_BYTES, type KernelState } from '../kernels/exact';

/** The raw exports of build/release.wasm. */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  log_f64(x: number): number;
  shannon_update_f64(ptr: number, len: number, st: number): void;
  cross_entropy_update_f64(pPtr: number, qPtr: number, len: number, st: number): void;
  kl_divergence_update_f64(pPtr: number, qPtr: number, len: number, st: number): void;
  shannon_rows_f64(ptr: number, rows: number, rowLength: number, st: number, scratch: number, out: number,
    nobase: number, dh: number, dl: number): void;
  pair_rows_f64(pPtr: number, qPtr: number, rows: number, rowLength: number, st: number, scratch: number,
    out: number, kl: number, nobase: number, d: number): void;
  scratch_ptr(): number;
  rows_out_ptr(): number;
  state_ptr(): number;
  stage_ptr(k: number): number;
  layout_end(): number;
}

/** The embedded release binary. */
export function wasmBytes(): Uint8Array {
  const s = atob(WASM_BASE64);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/** Compile the binary once; later calls share the promise. Rejects where WebAssembly is unavailable. */
export function compileWasm(): Promise<WebAssembly.Module> {
  if (!compiled) {
    compiled = (async () => {
      if (typeof WebAssembly !== 'object' || typeof WebAssembly.compile !== 'function') {
        throw new Error('WebAssembly is not available');
      }
      return WebAssembly.compile(wasmBytes() as Uint8Array<ArrayBuffer>);
    })();
  }
  return compiled;
}

/** A fresh instance's exports (each instance has its own memory, state and staging). */
export async function instantiateWasm(): Promise<WasmExports> {
  const instance = await WebAssembly.instantiate(await compileWasm(), {});
  return instance.exports as unknown as WasmExports;
}

/** Wrap an instance's exports as a Core. */
export function createWasmCore(x: WasmExports): Core {
  const statePtr = x.state_ptr();
  const stageP = x.stage_ptr(0);
  const stageQ = x.stage_ptr(1);
  const scratch = x.scratch_ptr();
  const rowsOut = x.rows_out_ptr();
  if (x.layout_end() > x.memory.buffer.byteLength) throw new Error('entropy-wasm: wasm memory too small');
  // Memory never grows (initial = maximum), but views are re-created if the buffer ever changes,
  // because growth detaches the old ArrayBuffer.
  let buffer: ArrayBuffer | null = null;
  let state!: KernelState;
  let viewP!: Float64Array;
  let viewQ!: Float64Array;
  let viewOut!: Float64Array;
  const refresh = (): void => {
    if (buffer === x.memory.buffer) return;
    buffer = x.memory.buffer;
    state = { i32: new Int32Array(buffer, statePtr, STATE_BYTES >> 2), f64: new Float64Array(buffer, statePtr, STATE_BYTES >> 3) };
    viewP = new Float64Array(buffer, stageP, STAGE_LEN);
    viewQ = new Float64Array(buffer, stageQ, STAGE_LEN);
    viewOut = new Float64Array(buffer, rowsOut, ROW_OUT);
  };
  refresh();
  return {
    backend: 'wasm-simd', // the one binary uses f64x2; engines without SIMD fail to compile it and stay on 'ts'
    state() {
      refresh();
      return state;
    },
    shannon(src, start, len) {
      refresh();
      copyChunk(src, start, len, viewP);
      x.shannon_update_f64(stageP, len, statePtr);
    },
    pair(kl, p, q, start, len) {
      refresh();
      copyChunk(p, start, len, viewP);
      copyChunk(q, start, len, viewQ);
      (kl ? x.kl_divergence_update_f64 : x.cross_entropy_update_f64)(stageP, stageQ, len, statePtr);
    },
    rows(src, start, rows, rowLength, out, at, nobase, dh, dl) {
      // Rows in blocks that fit stage p and the results buffer.
      const per = Math.min(ROW_OUT, Math.floor(STAGE_LEN / rowLength));
      for (let done = 0; done < rows; done += per) {
        const n = Math.min(per, rows - done);
        refresh();
        copyChunk(src, start + done * rowLength, n * rowLength, viewP);
        x.shannon_rows_f64(stageP, n, rowLength, statePtr, scratch, rowsOut, nobase, dh, dl);
        out.set(viewOut.subarray(0, n), at + done);
      }
    },
    pairRows(kl, p, q, start, rows, rowLength, out, at, nobase, d) {
      const per = Math.min(ROW_OUT, Math.floor(STAGE_LEN / rowLength));
      for (let done = 0; done < rows; done += per) {
        const n = Math.min(per, rows - done);
        refresh();
        copyChunk(p, start + done * rowLength, n * rowLength, viewP);
        copyChunk(q, start + done * rowLength, n * rowLength, viewQ);
        x.pair_rows_f64(stageP, stageQ, n, rowLength, statePtr, scratch, rowsOut, kl ? 1 : 0, nobase, d);
        out.set(viewOut.subarray(0, n), at + done);
      }
    },
  };
}
