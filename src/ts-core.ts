// The pure-TS core: the twin kernels of src/kernels on a state laid out as in WebAssembly memory.
import { STAGE_LEN, type Core } from './driver';
import { copyChunk, type Source } from './input';
import { STATE_BYTES, type KernelState } from './kernels/exact';
import { shannon_update_f64 } from './kernels/shannon';
import { cross_entropy_update_f64 } from './kernels/cross_entropy';
import { kl_divergence_update_f64 } from './kernels/kl_divergence';
import { ROW_SCRATCH_F64, ROW_SLOTS, pair_rows_f64, shannon_rows_f64, type RowScratch } from './kernels/rows';

function stage(): { x: Float64Array; w: Int32Array } {
  const x = new Float64Array(STAGE_LEN);
  return { x, w: new Int32Array(x.buffer) };
}

/** A new TS core (its own state and staging; cores are cheap but not free: ~1.6 MB). */
export function createTsCore(): Core {
  let state: KernelState | null = null;
  let stages: [{ x: Float64Array; w: Int32Array }, { x: Float64Array; w: Int32Array }] | null = null;
  const getState = (): KernelState => {
    if (!state) {
      const buf = new ArrayBuffer(STATE_BYTES);
      state = { i32: new Int32Array(buf), f64: new Float64Array(buf) };
    }
    return state;
  };
  // Float64Array inputs are read in place; anything else is widened into a staging buffer.
  const staged = (src: Source, start: number, len: number, k: 0 | 1): { x: Float64Array; w: Int32Array } => {
    stages ??= [stage(), stage()];
    copyChunk(src, start, len, stages[k].x);
    return stages[k];
  };
  const scratch: RowScratch = { f64: new Float64Array(ROW_SCRATCH_F64), slots: new Int32Array(3 * ROW_SLOTS) };
  return {
    backend: 'ts',
    state: getState,
    shannon(src, start, len) {
      if (src.f64 && src.words) {
        shannon_update_f64(src.f64, src.words, start, len, getState());
        return;
      }
      const sx = staged(src, start, len, 0);
      shannon_update_f64(sx.x, sx.w, 0, len, getState());
    },
    pair(kl, p, q, start, len) {
      const kernel = kl ? kl_divergence_update_f64 : cross_entropy_update_f64;
      if (p.f64 && p.words && q.f64 && q.words) {
        kernel(p.f64, p.words, q.f64, q.words, start, len, getState());
        return;
      }
      // The kernel takes one offset for both, so stage both when either needs widening.
      const sp = staged(p, start, len, 0);
      const sq = staged(q, start, len, 1);
      kernel(sp.x, sp.w, sq.x, sq.w, 0, len, getState());
    },
    rows(src, start, rows, rowLength, out, at, nobase, dh, dl) {
      if (src.f64 && src.words) {
        const o = out.subarray(at, at + rows);
        shannon_rows_f64(src.f64, src.words, start, rows, rowLength, getState(), scratch, o, nobase, dh, dl);
        return;
      }
      const per = Math.floor(STAGE_LEN / rowLength);
      for (let done = 0; done < rows; done += per) {
        const n = Math.min(per, rows - done);
        const sx = staged(src, start + done * rowLength, n * rowLength, 0);
        const o = out.subarray(at + done, at + done + n);
        shannon_rows_f64(sx.x, sx.w, 0, n, rowLength, getState(), scratch, o, nobase, dh, dl);
      }
    },
    pairRows(kl, p, q, start, rows, rowLength, out, at, nobase, d) {
      const k = kl ? 1 : 0;
      if (p.f64 && p.words && q.f64 && q.words) {
        const o = out.subarray(at, at + rows);
        pair_rows_f64(p.f64, p.words, q.f64, q.words, start, rows, rowLength, getState(), scratch, o, k, nobase, d);
        return;
      }
      const per = Math.floor(STAGE_LEN / rowLength);
      for (let done = 0; done < rows; done += per) {
        const n = Math.min(per, rows - done);
        const sp = staged(p, start + done * rowLength, n * rowLength, 0);
        const sq = staged(q, start + done * rowLength, n * rowLength, 1);
        const o = out.subarray(at + done, at + done + n);
        pair_rows_f64(sp.x, sp.w, sq.x, sq.w, 0, n, rowLength, getState(), scratch, o, k, nobase, d);
      }
    },
  };
}
