// Loading the WebAssembly core: pick the SIMD or the scalar release binary by feature detection,
// decode it from the embedded base64, compile it once (memoized), instantiate with no imports, and
// wrap the exports as a Core. One code path for Node and browsers.
import { WASM_SCALAR_BASE64, WASM_SIMD_BASE64 } from './binary';
import { ROW_OUT, STAGE_LEN, type Core } from '../driver';
import { SHORT_COPY, copyChunk, type Source } from '../input';
import { STATE_BYTES, type KernelState } from '../kernels/exact';
import type { Backend } from '../api';

/** The two release binaries: build/release.wasm (f64x2 kernels) and build/release-scalar.wasm. */
export type WasmFlavor = 'simd' | 'scalar';

/** The raw exports of either release binary (both export the same interface). */
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

/** The backend a flavor reports. */
export function flavorBackend(flavor: WasmFlavor): Exclude<Backend, 'ts'> {
  return flavor === 'simd' ? 'wasm-simd' : 'wasm';
}

/** The embedded release binary of a flavor. */
export function wasmBytes(flavor: WasmFlavor = 'simd'): Uint8Array {
  const s = atob(flavor === 'simd' ? WASM_SIMD_BASE64 : WASM_SCALAR_BASE64);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/**
 * The smallest module that uses SIMD (the wasm-feature-detect pattern): one function
 * `(func i32.const 0 i8x16.splat drop)`. Engines without SIMD reject it in validation.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: one type, () -> ()
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x09, 0x01, 0x07, 0x00, // code section: one body of 7 bytes, no locals
  0x41, 0x00, 0xfd, 0x0f, 0x1a, 0x0b, // i32.const 0; i8x16.splat; drop; end
]);

type Validator = (bytes: Uint8Array<ArrayBuffer>) => boolean;

const defaultValidator: Validator = (bytes) => WebAssembly.validate(bytes);
let validator: Validator = defaultValidator;

/** Whether this engine supports WebAssembly SIMD (false where WebAssembly itself is missing). */
export function simdSupported(): boolean {
  try {
    return validator(SIMD_PROBE);
  } catch {
    return false;
  }
}

const compiled: Partial<Record<WasmFlavor, Promise<WebAssembly.Module>>> = {};

/** Compile a flavor's binary once; later calls share the promise. Rejects where WebAssembly is unavailable. */
export function compileWasm(flavor: WasmFlavor = 'simd'): Promise<WebAssembly.Module> {
  return (compiled[flavor] ??= (async () => {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.compile !== 'function') {
      throw new Error('WebAssembly is not available');
    }
    return WebAssembly.compile(wasmBytes(flavor) as Uint8Array<ArrayBuffer>);
  })());
}

/** A compiled module and the flavor it is. */
export interface LoadedWasm {
  readonly module: WebAssembly.Module;
  readonly flavor: WasmFlavor;
}

let loaded: Promise<LoadedWasm> | null = null;

/**
 * The binary this engine should run, compiled: the SIMD one where SIMD validates, else the scalar
 * one (also if the SIMD one fails to compile). Memoized. Rejects where WebAssembly is unavailable.
 */
export function loadWasm(): Promise<LoadedWasm> {
  loaded ??= (async () => {
    if (simdSupported()) {
      try {
        return { module: await compileWasm('simd'), flavor: 'simd' as const };
      } catch {
        // a SIMD engine that still refuses this binary: the scalar one may compile
      }
    }
    return { module: await compileWasm('scalar'), flavor: 'scalar' as const };
  })();
  return loaded;
}

/**
 * Internal test hook (not exported by the package): replace the SIMD validator (null restores
 * WebAssembly.validate) and forget the memoized choice, so that the next loadWasm() detects again.
 */
export function setSimdValidatorForTests(v: Validator | null): void {
  validator = v ?? defaultValidator;
  loaded = null;
}

/** A fresh instance's exports (each instance has its own memory, state and staging). */
export async function instantiateWasm(flavor: WasmFlavor = 'simd'): Promise<WasmExports> {
  return instantiateModule(await compileWasm(flavor));
}

/** A fresh instance of a compiled module. */
export async function instantiateModule(module: WebAssembly.Module): Promise<WasmExports> {
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as WasmExports;
}

/**
 * Wrap an instance's exports as a Core reporting `backend`. A Float64Array input that is a view of
 * this instance's memory above the fixed layout (a workspace histogram) is passed to the kernels
 * at its address, with no copy; any other input is copied into the staging buffers chunk by chunk.
 */
export function createWasmCore(x: WasmExports, backend: Exclude<Backend, 'ts'> = 'wasm-simd'): Core {
  const statePtr = x.state_ptr();
  const stageP = x.stage_ptr(0);
  const stageQ = x.stage_ptr(1);
  const scratch = x.scratch_ptr();
  const rowsOut = x.rows_out_ptr();
  const heapStart = x.layout_end();
  if (heapStart > x.memory.buffer.byteLength) throw new Error('entropy-wasm: wasm memory too small');
  // Memory grows only when a workspace allocates, never during a computation; growth detaches the
  // old ArrayBuffer, so the views are re-created whenever the buffer has changed.
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
  // The address of src[start] if src already lives in this memory, above the layout (so it can
  // overlap neither the state nor the staging buffers); else copy the chunk to `stage` and return it.
  const place = (src: Source, start: number, len: number, stage: number, view: Float64Array): number => {
    const a = src.f64;
    if (a && a.buffer === buffer && a.byteOffset >= heapStart) return a.byteOffset + start * 8;
    copyChunk(src, start, len, view);
    return stage;
  };
  // The row kernels' results into out[at, at + n): a few element by element (a subarray view
  // costs more than copying them), more with one set().
  const results = (out: Float64Array, at: number, n: number): void => {
    if (n <= SHORT_COPY) {
      for (let i = 0; i < n; i++) out[at + i] = viewOut[i];
    } else {
      out.set(viewOut.subarray(0, n), at);
    }
  };
  refresh();
  return {
    backend,
    state() {
      refresh();
      return state;
    },
    shannon(src, start, len) {
      refresh();
      x.shannon_update_f64(place(src, start, len, stageP, viewP), len, statePtr);
    },
    pair(kl, p, q, start, len) {
      refresh();
      const pp = place(p, start, len, stageP, viewP);
      const qp = place(q, start, len, stageQ, viewQ);
      (kl ? x.kl_divergence_update_f64 : x.cross_entropy_update_f64)(pp, qp, len, statePtr);
    },
    rows(src, start, rows, rowLength, out, at, nobase, dh, dl) {
      // Rows in blocks that fit stage p and the results buffer.
      const per = Math.min(ROW_OUT, Math.floor(STAGE_LEN / rowLength));
      for (let done = 0; done < rows; done += per) {
        const n = Math.min(per, rows - done);
        refresh();
        const pp = place(src, start + done * rowLength, n * rowLength, stageP, viewP);
        x.shannon_rows_f64(pp, n, rowLength, statePtr, scratch, rowsOut, nobase, dh, dl);
        results(out, at + done, n);
      }
    },
    pairRows(kl, p, q, start, rows, rowLength, out, at, nobase, d) {
      const per = Math.min(ROW_OUT, Math.floor(STAGE_LEN / rowLength));
      for (let done = 0; done < rows; done += per) {
        const n = Math.min(per, rows - done);
        refresh();
        const pp = place(p, start + done * rowLength, n * rowLength, stageP, viewP);
        const qp = place(q, start + done * rowLength, n * rowLength, stageQ, viewQ);
        x.pair_rows_f64(pp, qp, n, rowLength, statePtr, scratch, rowsOut, kl ? 1 : 0, nobase, d);
        results(out, at + done, n);
      }
    },
  };
}
