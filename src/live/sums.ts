// The exact state behind a live histogram: S = sum c (indexed by k), K = sum k c and
// U = sum c log_z(c) over the current counts (see src/finalize.ts), kept so that a count's terms
// can be put in and taken out exactly. Each term is the one the entropy kernel computes for that
// weight (src/kernels/shannon.ts: the same log_z_f64 call on the same double, the same product,
// the same region conventions for tiny and huge weights); taking a term out deposits its exact
// negation. The sums are exact, so after any sequence of updates they hold exactly the sums of
// the current counts, and entropyFromSums gives the bits of entropy(counts) on either engine.
//
// Terms are deposited into exponent slots laid out as the kernels' state (src/kernels/exact.ts)
// and moved into fsum partials by the kernels' own flushSum, which also forms K from S's slots.
// A slot holds 2^23 deposits exactly (term_slot's bound is on magnitudes, so signs do not matter);
// an update deposits at most two values into any one slot of a sum, and the slots are flushed on
// every query and at least every FLUSH_EVERY updates. Each value goes into the slot of its own
// magnitude: depositing b - a once for a change a -> b within one k slot (exact by Sterbenz) would
// break that, since a slot's hi accumulator is exact only for values near the slot's magnitude.
import { emptySum, flushSum, fsum, msumAdd, resetHeader, type ExactSum } from '../exact';
import { entropyFromSums } from '../finalize';
import {
  DOWN, H_RANGE, HEADER_BYTES, HIGH, LOGZ_SLOT, LOW, MAIN, NO_BOUND, SUM_BYTES, UP, deposit_any_f64,
  deposit_f64, exponent_f64, k_slot, sum_block, touch, type KernelState,
} from '../kernels/exact';
import { highWord, ldexp } from '../math/bits';
import { log_z_f64 } from '../math/log';
import type { DD } from '../math/dd';

/** Updates between forced flushes: 2^20 updates put at most 2^21 values into a slot (< 2^23). */
const FLUSH_EVERY = 1 << 20;
const I32_MAX = 0x7fffffff;
const R = H_RANGE >> 2;
const BS = sum_block(0);
const BU = sum_block(1);

/** The exact S, K, U of a multiset of weights that changes one weight at a time. */
export class LiveSums {
  readonly S: ExactSum = emptySum();
  readonly K: ExactSum = emptySum();
  readonly U: ExactSum = emptySum();
  // Two sum blocks (S, U) of the kernel layout: 393 KiB of address space, of which only the
  // pages of touched slots are ever written (a few for typical counts).
  readonly #st: KernelState;
  readonly #f: Float64Array;
  #pending = 0;
  // Touched slot ranges of the fast path, kept in fields and merged into the header at a flush.
  #sLo = I32_MAX;
  #sHi = -1;
  #uLo = I32_MAX;
  #uHi = -1;

  constructor() {
    const buf = new ArrayBuffer(HEADER_BYTES + 2 * SUM_BYTES);
    this.#f = new Float64Array(buf);
    this.#st = { i32: new Int32Array(buf), f64: this.#f };
    resetHeader(this.#st);
  }

  /**
   * Put in (sign = 1) or take out (sign = -1) the terms of a weight c > 0, finite, whose high word
   * is hw. The term computation is shannon_update_f64's, line for line; only the sign is added.
   */
  term(c: number, hw: number, sign: number): void {
    if (!(c >= LOW && c < HIGH)) {
      this.#rareTerm(c, sign);
      return;
    }
    const f = this.#f;
    const th = (hw - 0x3fe60000) | 0; // high word of the log's tmp: k and the table cell
    const ec = (hw >>> 20) & 0x7ff;
    const ez = LOGZ_SLOT[(th >> 13) & 127];
    const u = c * log_z_f64(c, hw);
    const js = MAIN + (th >> 20) + 1023;
    if (js < this.#sLo) this.#sLo = js;
    if (js > this.#sHi) this.#sHi = js;
    deposit_f64(f, BS, js, 0, sign * c);
    let ju: number;
    if (ez !== NO_BOUND) ju = MAIN + ec + ez;
    else if (u !== 0) ju = MAIN + exponent_f64(u); // z near 1: read u's exponent
    else return;
    if (ju < this.#uLo) this.#uLo = ju;
    if (ju > this.#uHi) this.#uHi = ju;
    deposit_f64(f, BU, ju, 0, sign * u);
  }

  /** shannon_rare_f64's terms for a tiny (< LOW) or huge (>= HIGH) weight, times sign. */
  #rareTerm(c: number, sign: number): void {
    const st = this.#st;
    const region = c < LOW ? 0 : 2;
    const cs = c < LOW ? c * UP : c * DOWN; // exact: a power-of-two scaling into the normal range
    const j = k_slot(region, cs);
    touch(st, 0, j);
    deposit_f64(this.#f, BS, j, 0, sign * cs);
    deposit_any_f64(st, 1, region, 0, sign * (cs * log_z_f64(cs, highWord(cs))));
  }

  /** Count one update; flush before any slot could hold too many deposits. */
  tick(): void {
    if (++this.#pending >= FLUSH_EVERY) this.flush();
  }

  /** Move every pending deposit into the exact sums S, K, U. */
  flush(): void {
    const h = this.#st.i32;
    h[R + 0] = Math.min(h[R + 0], this.#sLo);
    h[R + 1] = Math.max(h[R + 1], this.#sHi);
    h[R + 2] = Math.min(h[R + 2], this.#uLo);
    h[R + 3] = Math.max(h[R + 3], this.#uHi);
    this.#sLo = I32_MAX;
    this.#sHi = -1;
    this.#uLo = I32_MAX;
    this.#uHi = -1;
    flushSum(this.#st, 0, this.S, this.K);
    flushSum(this.#st, 1, this.U);
    this.#pending = 0;
  }

  /** Is the weight sum zero (all counts zero)? Flushes first. */
  isEmpty(): boolean {
    this.flush();
    return fsum(this.S[0]) === 0 && fsum(this.S[1]) === 0 && fsum(this.S[2]) === 0;
  }

  /** Entropy in nats as a double-double; the sum must be non-zero (check isEmpty first). */
  entropy(): DD {
    this.flush();
    return entropyFromSums(this.S, this.K, this.U);
  }

  /**
   * The sum of the weights, rounded once: S's regions (scaled by 2^600, 1, 2^-600) are added
   * exactly in the scale of the top non-zero region and rounded there; +Infinity if it overflows.
   * Moving a lower region into the top one's scale is exact except for bits below 2^-1074 of that
   * scale, which only a weight >= 2^900 together with one < 2^-474 can produce; those bits could
   * then decide an exact tie of the rounding.
   */
  total(): number {
    this.flush();
    const S = this.S;
    const top = fsum(S[2]) !== 0 ? 2 : fsum(S[1]) !== 0 ? 1 : 0;
    const acc: number[] = [];
    for (let r = top; r >= 0; r--) for (const v of S[r]) msumAdd(acc, ldexp(v, 600 * (r - top)));
    return ldexp(fsum(acc), 600 * (top - 1));
  }
}
