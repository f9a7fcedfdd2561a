// Fixed memory layout, laid out once above the static data: [state][stage p][stage q][row scratch]
// [row results].
// Above layout_end() lie workspace histograms (src/wasm/heap.ts). Memory grows only when a
// workspace allocates, never during a kernel call, so views never detach mid-computation.
import { STATE_BYTES } from './kernels/exact';
import { ROW_SCRATCH_BYTES } from './kernels/rows';

/** Elements per staging buffer: every kernel call sees at most this many elements. */
export const STAGE_LEN: i32 = 65536;

/** Start of the state block (header + sum blocks), 64-byte aligned above __heap_base. */
export function state_ptr(): usize {
  return (__heap_base + 63) & ~<usize>63;
}

/** Start of staging buffer k (0: p, 1: q). */
export function stage_ptr(k: i32): usize {
  return state_ptr() + <usize>STATE_BYTES + <usize>k * (<usize>STAGE_LEN << 3);
}

/** The scratch of shannon_rows_f64 (partials of S, K and U). */
export function scratch_ptr(): usize {
  return stage_ptr(2);
}

/** Results of the row kernels: ROW_OUT doubles, so a row-kernel call takes at most ROW_OUT rows. */
export const ROW_OUT: i32 = 4096;
export function rows_out_ptr(): usize {
  return scratch_ptr() + <usize>ROW_SCRATCH_BYTES;
}

/** Bytes the layout needs in all; the loader checks it against memory.buffer.byteLength. */
export function layout_end(): usize {
  return rows_out_ptr() + (<usize>ROW_OUT << 3);
}
