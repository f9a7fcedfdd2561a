// Runs the kernels over inputs of any length, STAGE_LEN elements at a time, and moves the bins
// into exact sums every FLUSH_EVERY elements and at the end. One-shot calls, batch rows and
// accumulator updates all go through these two functions, so they cannot disagree.
import { badWeight } from './errors';
import { flushSum, resetHeader, type ExactSum } from './exact';
import type { Source } from './input';
import type { Backend } from './api';
import type { KernelState } from './kernels/exact';

/** Elements per kernel call (the WebAssembly staging buffers hold this many). */
export const STAGE_LEN = 65536;
/** Rows per row-kernel call at most (the WebAssembly results buffer holds this many). */
export const ROW_OUT = 4096;

/**
 * Elements between flushes of the bins into the exact sums. Each element adds at most one value
 * to a slot of each sum, and every slot stays exact for 2^23 of them (see term_slot in
 * src/kernels/exact.ts), so flushing every 2^22 elements, and at the end of each call, keeps all
 * sums exact while the flush's cost (a few hundred fsum steps) is paid rarely.
 */
const FLUSH_EVERY = 1 << 22;

/** Clear the header's status words (first invalid index of p and q, infinity flag). */
function resetFlags(st: KernelState): void {
  st.i32[0] = -1;
  st.i32[1] = -1;
  st.i32[2] = 0;
}

/** A kernel engine: the WebAssembly exports or the TS twins, behind one interface. */
export interface Core {
  readonly backend: Backend;
  /** The kernel state (header and bins) as views; bins are all zero between calls. */
  state(): KernelState;
  /** shannon_update_f64 over src[start, start + len), len <= STAGE_LEN. */
  shannon(src: Source, start: number, len: number): void;
  /** cross_entropy_update_f64 (kl = false) or kl_divergence_update_f64 (kl = true). */
  pair(kl: boolean, p: Source, q: Source, start: number, len: number): void;
  /**
   * shannon_rows_f64 over `rows` rows of rowLength <= STAGE_LEN elements from src[start]: out[at + r]
   * is the entropy of row r in the base that (nobase, dh, dl) describes (see baseDivisor), or NaN
   * where the row must take the general path (addShannon, which raises any error).
   */
  rows(src: Source, start: number, rows: number, rowLength: number, out: Float64Array, at: number,
    nobase: number, dh: number, dl: number): void;
  /**
   * pair_rows_f64, cross entropy (kl = false) or KL, likewise: out[at + r] in the base that
   * (nobase, d) describes (d = log_f64(base)), or NaN where the row must take the general path.
   */
  pairRows(kl: boolean, p: Source, q: Source, start: number, rows: number, rowLength: number, out: Float64Array,
    at: number, nobase: number, d: number): void;
}

function valueAt(src: Source, i: number): unknown {
  return src.any[i];
}

/**
 * S += sum c, K += sum k c, U += sum c log_z(c) over src[from, from + count) (see
 * src/finalize.ts). Throws EntropyInputError at the first invalid weight, leaving the kernel
 * state clean (S, K and U may then hold part of the input).
 */
export function addShannon(
  core: Core, src: Source, from: number, count: number, S: ExactSum, K: ExactSum, U: ExactSum,
  rowLength?: number,
): void {
  const st = core.state();
  resetHeader(st);
  let pending = 0;
  for (let done = 0; done < count; done += STAGE_LEN) {
    const len = Math.min(STAGE_LEN, count - done);
    resetFlags(st);
    core.shannon(src, from + done, len);
    const bad = st.i32[0];
    const ok = bad < 0;
    pending += len;
    if (!ok || pending >= FLUSH_EVERY || done + len >= count) {
      flushSum(st, 0, ok ? S : null, K);
      flushSum(st, 1, ok ? U : null);
      pending = 0;
    }
    if (!ok) throw badWeight(src.name, from + done + bad, valueAt(src, from + done + bad), rowLength);
  }
}

/**
 * P += sum p, Q += sum q, A += sum term(p, q) over [from, from + count). Returns true if some
 * p > 0 met q == 0 (the measure is +Infinity). Throws like addShannon; p is checked before q.
 */
export function addPair(
  core: Core, kl: boolean, p: Source, q: Source, from: number, count: number,
  P: ExactSum, Q: ExactSum, A: ExactSum, rowLength?: number,
): boolean {
  const st = core.state();
  resetHeader(st);
  let infinite = false;
  let pending = 0;
  for (let done = 0; done < count; done += STAGE_LEN) {
    const len = Math.min(STAGE_LEN, count - done);
    resetFlags(st);
    core.pair(kl, p, q, from + done, len);
    const badP = st.i32[0];
    const badQ = st.i32[1];
    const ok = badP < 0 && badQ < 0;
    pending += len;
    if (!ok || pending >= FLUSH_EVERY || done + len >= count) {
      flushSum(st, 0, ok ? P : null);
      flushSum(st, 1, ok ? Q : null);
      flushSum(st, 2, ok ? A : null);
      pending = 0;
    }
    if (!ok) {
      // Report the earlier position; at the same position, p first.
      const inP = badP >= 0 && (badQ < 0 || badP <= badQ);
      const src = inP ? p : q;
      const i = from + done + (inP ? badP : badQ);
      throw badWeight(src.name, i, valueAt(src, i), rowLength);
    }
    if (st.i32[2] !== 0) infinite = true;
  }
  return infinite;
}
