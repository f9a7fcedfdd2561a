// shannon_update_f64: accumulate, exactly, S = sum c (indexed by k) and U = sum c*log_z(c), where
// c = z * 2^k is the log's reduction (z in [0x1.6p-1, 0x1.6p0)). The flush forms K = sum k*c from
// S's slots, and src/finalize.ts forms H = ln S - (K ln2 + U)/S with the large k ln2 parts exact,
// which keeps H accurate and invariant under power-of-two scaling of the weights.
// Conventions: c == 0 contributes nothing (0 log 0 = 0); an invalid c (negative, NaN, Inf) is
// recorded in the header (first index) and skipped. Element i uses bin set i & 1.
// Twin: assembly/kernels/shannon.ts (which runs chunks of ordinary weights in f64x2 lanes).
// TS reads the high word of c from `xw`, an Int32Array view of x's buffer, and picks the slot of
// u from c's exponent and log cell (LOGZ_SLOT in ./exact.ts): both exact, neither changes a rounding.
// Bookkeeping that differs from the twin, all exact (the sums cannot tell): the fast loop (weights
// in [LOW, HIGH)) deposits into private bins with four sets, folded into the state's two sets
// after the loop; its slot ranges are formed after the loop from the range of its weights' high
// words (a superset of the touched slots: extra empty slots only cost a flush a look); every other
// nonzero weight is left to shannon_one_f64, after the loop, in index order (so the first invalid
// index is still found).
import { highWord } from '../math/bits';
import { log_z_f64, log_z_fn } from '../math/log';
import {
  DOWN, H_RANGE, HIGH, LOGZ_SLOT, LOW, MAIN, NO_BOUND, REGION_SLOTS, SLOT_F64, UP, deposit_any_f64, deposit_f64,
  exponent_f64, fold_private_f64, k_slot, mark_bad, sum_block, touch, type KernelState,
} from './exact';

/** The smallest and largest LOGZ_SLOT entry (over the cells that have a bound). */
const EZ_MIN = (() => {
  let m = 0;
  for (let i = 0; i < 128; i++) if (LOGZ_SLOT[i] !== NO_BOUND && LOGZ_SLOT[i] < m) m = LOGZ_SLOT[i];
  return m;
})();
const EZ_MAX = (() => {
  let m = -9999;
  for (let i = 0; i < 128; i++) if (LOGZ_SLOT[i] !== NO_BOUND && LOGZ_SLOT[i] > m) m = LOGZ_SLOT[i];
  return m;
})();
const BS = sum_block(0);
const BU = sum_block(1);

// The fast loop deposits into private bins of region 1 (PS for S by k, PU for U): slot j at 8j,
// four sets of [hi, lo], used in turn, so that equal slots in a row (repeated weights) make four
// store-to-load chains, not two. shannon_update_f64 folds the touched slots into the state's
// region 1 after the loop (private sets 0 and 2 into set 0, 1 and 3 into set 1) and zeroes them.
// Exact: a state slot then holds the same deposits it would have received directly, only grouped
// differently, and never more than a slot holds exactly (see src/exact.ts flushSum). Why: V8
// compiles deposits into module-level arrays to tighter code than into the state's view
// (measured 2.7 vs 3.5 ns per deposit), and a fold costs a few slots per call. Calls are never
// reentrant and leave the private bins zero.
const PS = new Float64Array(REGION_SLOTS * 8);
const PU = new Float64Array(REGION_SLOTS * 8);
/** Private deposit: x into the [hi, lo] pair at f[a], f[a + 1] (deposit_f64 with the address given). */
function put(f: Float64Array, a: number, x: number): void {
  const c = x * 134217729; // SPLIT, as in deposit_f64
  const hi = c - (c - x);
  const lo = x - hi;
  f[a] = f[a] + hi;
  f[a + 1] = f[a + 1] + lo;
}
// Results of shannon_loop_f64: the range of the high words of the weights that took the fast
// path (hwHi < 0: none).
let hwLo = 0;
let hwHi = -1;
// and the range of the U slots read from u's exponent (nearHi < 0: none)
let nearLo = 0;
let nearHi = -1;

export function shannon_update_f64(
  x: Float64Array, xw: Int32Array, off: number, len: number, st: KernelState,
): void {
  if (len < SHORT) {
    shannon_short_f64(x, xw, off, len, st);
    return;
  }
  if (len > LEFT.length) LEFT = new Int32Array(len);
  shannon_loop_f64(x, xw, off, len);
  if (hwHi >= 0) {
    // S by k (monotone in the high word); U by ec + LOGZ_SLOT, within [EZ_MIN, EZ_MAX] of ec
    fold_private_f64(st, 0, PS, ((((hwLo - 0x3fe60000) | 0) >> 20) + 1023), ((((hwHi - 0x3fe60000) | 0) >> 20) + 1023));
    // U's slots from the weights' exponents, and those read from u in the cells next to z = 1
    const uLo = (hwLo >> 20) + EZ_MIN;
    const uHi = (hwHi >> 20) + EZ_MAX;
    fold_private_f64(st, 1, PU, nearHi >= 0 ? Math.min(uLo, nearLo) : uLo, nearHi >= 0 ? Math.max(uHi, nearHi) : uHi);
  }
  // the nonzero weights the fast loop left (outside [LOW, HIGH), or invalid), in index order
  for (let k = 0; k < NLEFT; k++) {
    const j = LEFT[k];
    shannon_one_f64(x[off + j], j, st);
  }
}

/**
 * Calls shorter than this (batch rows, small histograms) take shannon_short_f64: the fold's fixed
 * cost (a few hundred ns) would dominate them, and their slot ranges stay exact, which keeps the
 * row kernel's finish short (measured, entropyBatch rows of 16: 86 ns/element through the fast
 * loop, 70 here).
 */
const SHORT = 512;

/** shannon_update_f64 for a short call: element by element, straight into the state. */
function shannon_short_f64(x: Float64Array, xw: Int32Array, off: number, len: number, st: KernelState): void {
  const f = st.f64;
  let sLo = 0x7fffffff, sHi = -1, uLo = 0x7fffffff, uHi = -1;
  for (let i = 0; i < len; i++) {
    const c = x[off + i];
    const set = i & 1;
    if (c >= LOW && c < HIGH) {
      const hw = xw[((off + i) << 1) + 1];
      const th = (hw - 0x3fe60000) | 0; // high word of the log's tmp: k and the table cell
      const ec = (hw >>> 20) & 0x7ff;
      const ez = LOGZ_SLOT[(th >> 13) & 127];
      const u = c * log_z_f64(c, hw);
      const js = MAIN + (th >> 20) + 1023;
      if (js < sLo) sLo = js;
      if (js > sHi) sHi = js;
      deposit_f64(f, BS, js, set, c);
      if (ez !== NO_BOUND) {
        const ju = MAIN + ec + ez;
        if (ju < uLo) uLo = ju;
        if (ju > uHi) uHi = ju;
        deposit_f64(f, BU, ju, set, u);
      } else if (u !== 0) {
        // z near 1 (two of the 128 cells): |log z| has no useful bound, read u's exponent
        const ju = MAIN + exponent_f64(u);
        if (ju < uLo) uLo = ju;
        if (ju > uHi) uHi = ju;
        deposit_f64(f, BU, ju, set, u);
      }
    } else {
      shannon_rare_f64(c, i, st);
    }
  }
  // Math.min/max: see the twin's ranges; a comparison here could lack type feedback when V8
  // first optimizes this loop (on-stack replacement) and then deoptimize it
  const h = st.i32;
  const R = H_RANGE >> 2;
  h[R + 0] = Math.min(h[R + 0], sLo);
  h[R + 1] = Math.max(h[R + 1], sHi);
  h[R + 2] = Math.min(h[R + 2], uLo);
  h[R + 3] = Math.max(h[R + 3], uHi);
}

/** Where the fast loop puts its reads before the loop (kept, so that no tool drops them). */
let PRE = 0;

/** Indices (relative to off) of the elements the fast loop left to shannon_one_f64, in order. */
let LEFT = new Int32Array(65536);
let NLEFT = 0;

/**
 * The fast loop. It has no call in it (other weights are left to the caller through LEFT) and
 * ends right after the loop, with no comparison or call there: V8 compiles the loop on its first
 * long call (on-stack replacement), before code after the loop has type feedback, and an
 * operation there without feedback deoptimizes the cached loop code again at every later call.
 * It is built as a closure over the log (log_z_fn, itself a closure over the log's tables and
 * constants), LOGZ_SLOT and the private bins, which V8 then compiles in as constants: measured
 * 8.7 -> 6.7 ns/element against module-level arrays, and 6.4 -> 5.5 once the log's polynomial
 * constants were closure constants too (module-level ones are reloaded and checked per use).
 */
const shannon_loop_f64 = ((): ((x: Float64Array, xw: Int32Array, off: number, len: number) => void) => {
  const LZ = log_z_fn;
  const Z = LOGZ_SLOT;
  const S_ = PS;
  const U_ = PU;
  const PUT = put; // a captured function is called without the per-call identity check
  return function shannon_loop(x: Float64Array, xw: Int32Array, off: number, len: number): void {
    let lo = 0x7fffffff, hi = -1, nlo = 0x7fffffff, nhi = -1, n = 0, q = 0;
    const end = off + len;
    // Reads of x and xw before the loop (len >= SHORT > 0): V8 then drops the type and map
    // checks of x and xw inside the loop as redundant (measured 5.4 -> 5.1 ns/element, dense)
    PRE = x[off] + xw[(off << 1) | 1];
    for (let i = off; i < end; i++) {
      const c = x[i];
      const h = xw[(i << 1) | 1];
      // c in [LOW, HIGH): LOW and HIGH have zero low words, so the high word decides (a negative
      // or NaN c fails: its word is negative as an int32, or at least 0x7ff00000)
      if (((h - 0x04900000) >>> 0) < 0x73a00000) {
        const t = (h - 0x3fe60000) | 0;
        const j = (t >> 13) & 127;
        if (h < lo) lo = h;
        if (h > hi) hi = h;
        const u = c * LZ(c, h);
        // S by k; U by ec + LOGZ_SLOT of the cell, or, in the two cells next to z = 1 where
        // |log z| has no useful bound, by u's own exponent (u = 0 there for a power of two: no
        // deposit); private sets 0, 1, 2, 3 in turn
        PUT(S_, ((((t >> 20) + 1023) << 3) | q), c);
        if (((j - 79) >>> 0) >= 2) {
          PUT(U_, ((((h >> 20) + Z[j]) << 3) | q), u);
        } else if (u !== 0) {
          const e = exponent_f64(u);
          if (e < nlo) nlo = e;
          if (e > nhi) nhi = e;
          PUT(U_, (e << 3) | q, u);
        }
        q = (q + 2) & 6;
      } else if (c !== 0) {
        LEFT[n++] = i - off;
      }
    }
    hwLo = lo;
    hwHi = hi;
    nearLo = nlo;
    nearHi = nhi;
    NLEFT = n;
  };
})();

/** One element, any weight (the fast loop's fallback; the twin's scalar loop body). */
function shannon_one_f64(c: number, i: number, st: KernelState): void {
  if (c >= LOW && c < HIGH) {
    const hw = highWord(c);
    const th = (hw - 0x3fe60000) | 0;
    const ez = LOGZ_SLOT[(th >> 13) & 127];
    const u = c * log_z_f64(c, hw);
    const js = MAIN + (th >> 20) + 1023;
    touch(st, 0, js);
    deposit_f64(st.f64, BS, js, i & 1, c);
    if (ez !== NO_BOUND) {
      const ju = MAIN + ((hw >>> 20) & 0x7ff) + ez;
      touch(st, 1, ju);
      deposit_f64(st.f64, BU, ju, i & 1, u);
    } else if (u !== 0) {
      // z near 1 (two of the 128 cells): |log z| has no useful bound, read u's exponent
      const ju = MAIN + exponent_f64(u);
      touch(st, 1, ju);
      deposit_f64(st.f64, BU, ju, i & 1, u);
    }
  } else {
    shannon_rare_f64(c, i, st);
  }
}

/** Zero, invalid, tiny (< LOW: scaled up by 2^600) or huge (>= HIGH: scaled down) weights. */
export function shannon_rare_f64(c: number, i: number, st: KernelState): void {
  if (c === 0) return;
  if (!(c > 0 && c < Infinity)) {
    mark_bad(st, 0, i);
    return;
  }
  const set = i & 1;
  const region = c < LOW ? 0 : 2;
  const cs = c < LOW ? c * UP : c * DOWN; // exact: a power-of-two scaling into the normal range
  const j = k_slot(region, cs);
  touch(st, 0, j);
  deposit_f64(st.f64, sum_block(0), j, set, cs);
  // cs has c's mantissa, so log_z(cs) = log_z(c)
  deposit_any_f64(st, 1, region, set, cs * log_z_f64(cs, highWord(cs)));
}
