// LiveHistogram: counts that change one bin at a time, with the entropy of the current counts
// available at any moment, bit-identical to entropy(counts) computed from scratch. Each change of
// a bin from a to b takes a's terms out of the exact sums and puts b's in (src/live/sums.ts).
import { EntropyInputError, show } from '../errors';
import { inBase } from '../finalize';
import { f64FromHex, f64ToHex } from '../math/bits';
import { readBase, zeroSum } from '../validate';
import { LiveSums } from './sums';
import type { MeasureOptions } from '../api';

const VERSION = 1;
const FORMAT = 'entropy-wasm/LiveHistogram';
/** Largest number of bins (the high words of the counts are read from an Int32Array view). */
export const MAX_BINS = 0x7fffffff;

/** The JSON form of a {@link LiveHistogram}: the non-zero counts as [bin, hex double] pairs. */
export interface LiveHistogramJSON {
  format: string;
  version: number;
  bins: number;
  counts: [number, string][];
}

/** Check a size argument (bins, window): an integer in [1, MAX_BINS]. */
export function checkSize(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_BINS) {
    throw new EntropyInputError('size', name, `${name} is ${show(value)}; it must be an integer in [1, ${MAX_BINS}]`);
  }
  return value;
}

/** The error for a bin index that is not an integer in [0, bins). */
export function badBin(argument: string, value: unknown, bins: number, index?: number): EntropyInputError {
  return new EntropyInputError('bin', argument,
    `${argument} is ${show(value)}; bins are integers in [0, ${bins})`, index);
}

function badWeightFor(bin: number, weight: unknown, what: string): EntropyInputError {
  if (typeof weight !== 'number') {
    return new EntropyInputError('not-number', 'weight', `weight for bin ${bin} is ${show(weight)}, not a number`, bin);
  }
  const code = Number.isNaN(weight) ? 'nan' : weight === Infinity || weight === -Infinity ? 'infinite' : 'negative';
  return new EntropyInputError(code, 'weight', `weight for bin ${bin} is ${show(weight)}; ${what}`, bin);
}

function jsonError(what: string): EntropyInputError {
  return new EntropyInputError('json', 'json', `invalid LiveHistogram state: ${what}`);
}

/**
 * A histogram over bins 0 .. bins-1 whose counts change one at a time, with its entropy
 * available after every change. Updates cost O(1) (two logarithms and a few exact deposits);
 * a query costs about a microsecond (it rounds the exact sums).
 *
 * Counts are doubles and weights may be any finite number, as long as no count becomes negative.
 * A count follows floating-point addition: integer counts are exact below 2^53, but a count that
 * was given 0.1, then 0.2, then -0.2 holds 0.1 + 0.2 - 0.2 = 0.10000000000000003, and the entropy
 * is that of the counts as stored (which {@link LiveHistogram.get} returns). A count that returns
 * to exactly 0 contributes nothing.
 *
 * @example
 * const h = new LiveHistogram(4);
 * h.add(0).add(1, 3).add(2).remove(2);
 * h.entropy() === entropy([1, 3, 0, 0]); // true, bit for bit
 */
export class LiveHistogram {
  /** Number of bins. */
  readonly bins: number;
  readonly #counts: Float64Array;
  readonly #words: Int32Array; // view of #counts: the high word of count i is at 2i + 1
  readonly #sums = new LiveSums();

  /**
   * @param bins number of bins, an integer in [1, 2^31 - 1] (8 bytes of memory per bin)
   * @throws EntropyInputError (code 'size') for any other value
   */
  constructor(bins: number) {
    this.bins = checkSize(bins, 'bins');
    this.#counts = new Float64Array(this.bins);
    this.#words = new Int32Array(this.#counts.buffer);
  }

  #bin(bin: number): number {
    if (!((bin >>> 0) === bin && bin < this.bins)) throw badBin('bin', bin, this.bins);
    return bin;
  }

  /** Change bin from its current count a to b (b finite, >= 0, not -0). O(1). */
  #change(bin: number, a: number, b: number): void {
    if (a === b) return;
    const sums = this.#sums;
    const hw = 2 * bin + 1;
    if (a !== 0) sums.term(a, this.#words[hw], -1);
    this.#counts[bin] = b;
    if (b !== 0) sums.term(b, this.#words[hw], 1);
    sums.tick();
  }

  #addChecked(bin: number, weight: number, name: 'add' | 'remove'): this {
    this.#bin(bin);
    if (!(typeof weight === 'number' && weight - weight === 0)) {
      throw badWeightFor(bin, weight, 'weights must be finite numbers');
    }
    const a = this.#counts[bin];
    const b = name === 'add' ? a + weight : a - weight;
    if (b < 0) {
      throw new EntropyInputError('negative', 'weight',
        `${name}(${bin}, ${show(weight)}) would make the count of bin ${bin} ${show(b)} (it is ${show(a)}); counts must stay >= 0`, bin);
    }
    if (b === Infinity) {
      throw new EntropyInputError('infinite', 'weight',
        `${name}(${bin}, ${show(weight)}) would make the count of bin ${bin} overflow to Infinity (it is ${show(a)})`, bin);
    }
    this.#change(bin, a, b + 0); // + 0 turns a -0 result into +0
    return this;
  }

  /**
   * Add `weight` to the count of `bin`. O(1).
   * @param bin an integer in [0, bins) @param weight any finite number (default 1)
   * @returns this
   * @throws EntropyInputError for a bad bin ('bin'), a non-finite weight ('nan', 'infinite',
   *   'not-number') or a count that would become negative ('negative') or overflow ('infinite');
   *   the histogram is then unchanged
   */
  add(bin: number, weight = 1): this {
    return this.#addChecked(bin, weight, 'add');
  }

  /**
   * Subtract `weight` from the count of `bin`: `add(bin, -weight)`. O(1).
   * @returns this
   * @throws EntropyInputError as {@link LiveHistogram.add} does; the histogram is then unchanged
   */
  remove(bin: number, weight = 1): this {
    return this.#addChecked(bin, weight, 'remove');
  }

  /**
   * Set the count of `bin` to `weight`. O(1).
   * @param weight a finite number >= 0
   * @returns this
   * @throws EntropyInputError for a bad bin or weight; the histogram is then unchanged
   */
  set(bin: number, weight: number): this {
    this.#bin(bin);
    if (!(typeof weight === 'number' && weight >= 0 && weight < Infinity)) {
      throw badWeightFor(bin, weight, 'counts must be finite and non-negative');
    }
    this.#change(bin, this.#counts[bin], weight + 0);
    return this;
  }

  /** The current count of `bin`. @throws EntropyInputError for a bad bin */
  get(bin: number): number {
    return this.#counts[this.#bin(bin)];
  }

  /**
   * The sum of the counts, from the exact sum rounded once (so it does not drift with the order
   * of updates); +Infinity if that overflows a double.
   */
  get total(): number {
    return this.#sums.total();
  }

  /**
   * Entropy of the current counts: exactly the bits of `entropy(counts)` (either engine).
   * @param options `{ base }` as for entropy (default e: nats)
   * @throws EntropyInputError 'zero-sum' if every count is 0, or 'option' for bad options
   */
  entropy(options?: MeasureOptions): number {
    const base = readBase(options);
    if (this.#sums.isEmpty()) throw zeroSum('the live histogram');
    return inBase(this.#sums.entropy(), base);
  }

  /** A copy of the current counts. */
  counts(): Float64Array {
    return this.#counts.slice();
  }

  /** Lossless, versioned state: the non-zero counts as [bin, 16-digit hex of the double] pairs. */
  toJSON(): LiveHistogramJSON {
    const counts: [number, string][] = [];
    const c = this.#counts;
    for (let i = 0; i < c.length; i++) if (c[i] !== 0) counts.push([i, f64ToHex(c[i])]);
    return { format: FORMAT, version: VERSION, bins: this.bins, counts };
  }

  /**
   * Rebuild from {@link LiveHistogram.toJSON} output (the object, or its JSON string parsed).
   * Strict: exact keys, bins increasing, counts finite and > 0. The exact sums are rebuilt from
   * the counts, so the result's entropy is that of the counts.
   * @throws EntropyInputError (code 'json') for anything else
   */
  static fromJSON(json: unknown): LiveHistogram {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw jsonError(`expected an object (got ${show(json)})`);
    const o = json as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (key !== 'format' && key !== 'version' && key !== 'bins' && key !== 'counts') throw jsonError(`unknown key ${JSON.stringify(key)}`);
    }
    if (o.format !== FORMAT) throw jsonError(`format must be ${JSON.stringify(FORMAT)} (got ${show(o.format)})`);
    if (o.version !== VERSION) throw jsonError(`unsupported version ${show(o.version)} (this library reads version ${VERSION})`);
    const bins = o.bins;
    if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) {
      throw jsonError(`bins must be an integer in [1, ${MAX_BINS}] (got ${show(bins)})`);
    }
    if (!Array.isArray(o.counts)) throw jsonError('counts must be an array of [bin, hex] pairs');
    const h = new LiveHistogram(bins);
    let last = -1;
    for (let i = 0; i < o.counts.length; i++) {
      const e: unknown = o.counts[i];
      if (!Array.isArray(e) || e.length !== 2) throw jsonError(`counts[${i}] must be a [bin, hex] pair`);
      const [bin, hex] = e as unknown[];
      if (typeof bin !== 'number' || !Number.isInteger(bin) || bin <= last || bin >= bins) {
        throw jsonError(`counts[${i}] has bin ${show(bin)}; bins must be increasing integers in [0, ${bins})`);
      }
      if (typeof hex !== 'string' || !/^[0-9a-f]{16}$/i.test(hex)) throw jsonError(`counts[${i}] holds ${show(hex)}, not a 16-digit hex double`);
      const x = f64FromHex(hex);
      if (!(x > 0 && x < Infinity)) throw jsonError(`counts[${i}] is ${show(x)} (${hex}); stored counts are finite and > 0`);
      h.#change(bin, 0, x);
      last = bin;
    }
    return h;
  }
}
