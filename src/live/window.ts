// SlidingWindowEntropy: the entropy of the last `window` observations of a stream of bin indices
// (event types, sources, tokens), after every observation. A ring buffer of the observations and
// a LiveHistogram of their counts: each step adds the new bin and removes the one that left.
import { source } from '../input';
import { readBase } from '../validate';
import { badBin, checkSize, LiveHistogram } from './histogram';
import type { MeasureOptions } from '../api';

/**
 * Entropy of a sliding window over a stream of observations. Each value is bit-identical to
 * `entropy(counts)` over the window's counts. Until `window` observations have arrived, the
 * window is what has been seen so far (the first push returns 0).
 * @example
 * const w = new SlidingWindowEntropy(256, 1000, { base: 2 });
 * for (const source of events) if (w.push(source) < 2) alert('one source dominates');
 */
export class SlidingWindowEntropy {
  /** Number of bins (observations are integers in [0, bins)). */
  readonly bins: number;
  /** Number of most recent observations the entropy covers. */
  readonly window: number;
  readonly #hist: LiveHistogram;
  readonly #ring: Uint32Array;
  readonly #options: MeasureOptions | undefined; // validated once, passed to every query
  #next = 0; // ring position of the next observation
  #size = 0; // observations in the window (< window only while filling)

  /**
   * @param bins number of bins, an integer in [1, 2^31 - 1]
   * @param window observations covered, an integer in [1, 2^31 - 1]
   * @param options `{ base }` of the returned values (default e: nats)
   * @throws EntropyInputError ('size' or 'option') for bad arguments
   */
  constructor(bins: number, window: number, options?: MeasureOptions) {
    this.bins = checkSize(bins, 'bins');
    this.window = checkSize(window, 'window');
    const base = readBase(options);
    this.#options = base === undefined ? undefined : { base };
    this.#hist = new LiveHistogram(this.bins);
    this.#ring = new Uint32Array(this.window);
  }

  /** Observations currently in the window (reaches `window` and stays there). */
  get size(): number {
    return this.#size;
  }

  /** The count of `bin` in the window now. */
  get(bin: number): number {
    return this.#hist.get(bin);
  }

  #step(bin: number): number {
    const h = this.#hist;
    const ring = this.#ring;
    if (this.#size === this.window) h.remove(ring[this.#next]);
    else this.#size++;
    h.add(bin);
    ring[this.#next] = bin;
    if (++this.#next === this.window) this.#next = 0;
    return h.entropy(this.#options);
  }

  /**
   * Observe `bin` and return the entropy of the window (the last `window` observations).
   * @throws EntropyInputError (code 'bin') if bin is not an integer in [0, bins); nothing changes
   */
  push(bin: number): number {
    if (!((bin >>> 0) === bin && bin < this.bins)) throw badBin('bin', bin, this.bins);
    return this.#step(bin);
  }

  /**
   * Observe each bin in turn; out[i] is what push(bins[i]) would return.
   * @param bins observations (a Uint32Array, or any array of integers in [0, bins))
   * @throws EntropyInputError 'not-array' if bins is not an array; 'bin' (with the index) if any element is not a valid bin; all
   *   elements are checked first, so nothing changes
   */
  pushMany(bins: ArrayLike<number>): Float64Array {
    const src = source(bins, 'bins').any;
    const n = src.length;
    for (let i = 0; i < n; i++) {
      const b = src[i] as number;
      if (!((b >>> 0) === b && b < this.bins)) throw badBin(`bins[${i}]`, b, this.bins, i);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#step(src[i] as number);
    return out;
  }
}
