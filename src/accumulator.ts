// Streaming accumulators. Their state is the exact sums themselves, so any chunking and any merge
// order give the bits of the one-shot call over the concatenation, and toJSON is lossless.
import { EntropyInputError, show } from './errors';
import { addPair, addShannon } from './driver';
import { emptySum, isZero, mergeSum, msumAdd, type ExactSum } from './exact';
import { crossEntropyFromSums, entropyFromSums, inBase, klDivergenceFromSums } from './finalize';
import { source } from './input';
import { f64FromHex, f64ToHex } from './math/bits';
import { currentCore } from './runtime';
import { readBase, sameLength, zeroSum } from './validate';
import type { Histogram, MeasureOptions } from './api';

const VERSION = 1;
type SumJSON = [string[], string[], string[]];

function sumToJSON(s: ExactSum): SumJSON {
  return [s[0].map(f64ToHex), s[1].map(f64ToHex), s[2].map(f64ToHex)];
}

function copySum(s: ExactSum): ExactSum {
  return [s[0].slice(), s[1].slice(), s[2].slice()];
}

function jsonError(what: string): EntropyInputError {
  return new EntropyInputError('json', 'json', `invalid accumulator state: ${what}`);
}

function sumFromJSON(v: unknown, name: string): ExactSum {
  if (!Array.isArray(v) || v.length !== 3) throw jsonError(`${name} must be an array of 3 arrays`);
  const out = emptySum();
  for (let r = 0; r < 3; r++) {
    const part: unknown = v[r];
    if (!Array.isArray(part)) throw jsonError(`${name}[${r}] must be an array`);
    for (const h of part) {
      if (typeof h !== 'string' || !/^[0-9a-f]{16}$/i.test(h)) throw jsonError(`${name}[${r}] holds ${show(h)}, not a 16-digit hex double`);
      const x = f64FromHex(h);
      if (!Number.isFinite(x)) throw jsonError(`${name}[${r}] holds a non-finite value (${h})`);
      msumAdd(out[r], x); // re-adding makes any valid list of doubles a canonical exact sum
    }
  }
  return out;
}

function header(json: unknown, format: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw jsonError(`expected an object (got ${show(json)})`);
  const o = json as Record<string, unknown>;
  if (o.format !== format) throw jsonError(`format must be ${JSON.stringify(format)} (got ${show(o.format)})`);
  if (o.version !== VERSION) throw jsonError(`unsupported version ${show(o.version)} (this library reads version ${VERSION})`);
  if (typeof o.count !== 'number' || !Number.isSafeInteger(o.count) || o.count < 0) throw jsonError(`count must be a non-negative integer (got ${show(o.count)})`);
  return o;
}

function negativeSum(s: ExactSum): boolean {
  // A weight sum is >= 0; a negative one can only come from a forged state.
  return s.some((part) => part.length > 0 && part[part.length - 1] < 0);
}

/**
 * Entropy of a histogram that arrives in chunks (for example a file streamed from disk).
 * @example
 * const acc = new EntropyAccumulator();
 * acc.update([1, 2]).update([3, 4]);
 * acc.entropy() === entropy([1, 2, 3, 4]); // true, bit for bit
 */
export class EntropyAccumulator {
  #S: ExactSum = emptySum(); // sum c
  #K: ExactSum = emptySum(); // sum k c (c = z 2^k, the log's reduction)
  #U: ExactSum = emptySum(); // sum c log_z(c)
  #count = 0;

  /** Number of bins seen so far (zeros included). */
  get count(): number {
    return this.#count;
  }

  /**
   * Add the next chunk of bins. On bad input it throws EntropyInputError and the accumulator is
   * unchanged. @returns this
   */
  update(chunk: Histogram): this {
    const src = source(chunk, 'chunk');
    const S = emptySum();
    const K = emptySum();
    const U = emptySum();
    addShannon(currentCore(), src, 0, src.length, S, K, U);
    mergeSum(this.#S, S);
    mergeSum(this.#K, K);
    mergeSum(this.#U, U);
    this.#count += src.length;
    return this;
  }

  /** Add another accumulator's bins (exact; any merge order gives the same result). @returns this */
  merge(other: EntropyAccumulator): this {
    if (!(other instanceof EntropyAccumulator)) {
      throw new EntropyInputError('mismatched-accumulator', 'other', `other must be an EntropyAccumulator (got ${show(other)})`);
    }
    const parts = [copySum(other.#S), copySum(other.#K), copySum(other.#U)];
    mergeSum(this.#S, parts[0]);
    mergeSum(this.#K, parts[1]);
    mergeSum(this.#U, parts[2]);
    this.#count += other.#count;
    return this;
  }

  /** Entropy of all bins seen. @throws EntropyInputError if no bin or only zero weights were seen. */
  entropy(options?: MeasureOptions): number {
    const base = readBase(options);
    if (this.#count === 0) throw new EntropyInputError('no-data', 'this', 'the accumulator has seen no weights yet; call update() first');
    if (isZero(this.#S)) throw zeroSum('the accumulated histogram');
    return inBase(entropyFromSums(this.#S, this.#K, this.#U), base);
  }

  /** Lossless, versioned, portable state (exact sums as hex bit patterns). */
  toJSON(): { format: string; version: number; count: number; S: SumJSON; K: SumJSON; U: SumJSON } {
    return {
      format: 'entropy-wasm/EntropyAccumulator', version: VERSION, count: this.#count,
      S: sumToJSON(this.#S), K: sumToJSON(this.#K), U: sumToJSON(this.#U),
    };
  }

  /** Rebuild from {@link EntropyAccumulator.toJSON} output (an object or its JSON string parsed). */
  static fromJSON(json: unknown): EntropyAccumulator {
    const o = header(json, 'entropy-wasm/EntropyAccumulator');
    const acc = new EntropyAccumulator();
    acc.#S = sumFromJSON(o.S, 'S');
    acc.#K = sumFromJSON(o.K, 'K');
    acc.#U = sumFromJSON(o.U, 'U');
    if (negativeSum(acc.#S)) throw jsonError('S (the weight sum) is negative');
    if (o.count === 0 && !(isZero(acc.#S) && isZero(acc.#K) && isZero(acc.#U))) throw jsonError('count is 0 but the sums are not');
    acc.#count = o.count as number;
    return acc;
  }
}

/**
 * Cross entropy and KL divergence of two histograms that arrive in aligned chunks.
 * @example
 * const acc = new DivergenceAccumulator().update([1, 1], [1, 3]);
 * acc.klDivergence() === klDivergence([1, 1], [1, 3]); // true, bit for bit
 */
export class DivergenceAccumulator {
  #P: ExactSum = emptySum();
  #Q: ExactSum = emptySum();
  #A: ExactSum = emptySum(); // sum p log q
  #D: ExactSum = emptySum(); // sum p log_ratio(p, q) (one log of p/q per term; src/math/log.ts)
  #infinite = false;
  #count = 0;

  /** Number of bins seen so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * Add the next aligned chunks of p and q (equal lengths). On bad input it throws
   * EntropyInputError and the accumulator is unchanged. @returns this
   */
  update(p: Histogram, q: Histogram): this {
    const ps = source(p, 'p');
    const qs = source(q, 'q');
    sameLength(ps, qs);
    const core = currentCore();
    const P = emptySum();
    const Q = emptySum();
    const A = emptySum();
    const D = emptySum();
    // Two passes, one per kernel, so each sum is the one the one-shot call builds.
    const infinite = addPair(core, false, ps, qs, 0, ps.length, P, Q, A);
    addPair(core, true, ps, qs, 0, ps.length, emptySum(), emptySum(), D);
    mergeSum(this.#P, P);
    mergeSum(this.#Q, Q);
    mergeSum(this.#A, A);
    mergeSum(this.#D, D);
    this.#infinite ||= infinite;
    this.#count += ps.length;
    return this;
  }

  /** Add another accumulator's bins (exact; any merge order gives the same result). @returns this */
  merge(other: DivergenceAccumulator): this {
    if (!(other instanceof DivergenceAccumulator)) {
      throw new EntropyInputError('mismatched-accumulator', 'other', `other must be a DivergenceAccumulator (got ${show(other)})`);
    }
    const parts = [copySum(other.#P), copySum(other.#Q), copySum(other.#A), copySum(other.#D)];
    mergeSum(this.#P, parts[0]);
    mergeSum(this.#Q, parts[1]);
    mergeSum(this.#A, parts[2]);
    mergeSum(this.#D, parts[3]);
    this.#infinite ||= other.#infinite;
    this.#count += other.#count;
    return this;
  }

  #check(): void {
    if (this.#count === 0) throw new EntropyInputError('no-data', 'this', 'the accumulator has seen no weights yet; call update() first');
    if (isZero(this.#P)) throw zeroSum('the accumulated p');
    if (isZero(this.#Q)) throw zeroSum('the accumulated q');
  }

  /** Cross entropy H(p, q) of all bins seen. */
  crossEntropy(options?: MeasureOptions): number {
    const base = readBase(options);
    this.#check();
    return inBase(crossEntropyFromSums(this.#P, this.#Q, this.#A, this.#infinite), base);
  }

  /** KL divergence D(p || q) of all bins seen. */
  klDivergence(options?: MeasureOptions): number {
    const base = readBase(options);
    this.#check();
    return inBase(klDivergenceFromSums(this.#P, this.#Q, this.#D, this.#infinite), base);
  }

  /** Lossless, versioned, portable state (exact sums as hex bit patterns). */
  toJSON(): { format: string; version: number; count: number; infinite: boolean; P: SumJSON; Q: SumJSON; A: SumJSON; D: SumJSON } {
    return {
      format: 'entropy-wasm/DivergenceAccumulator', version: VERSION, count: this.#count, infinite: this.#infinite,
      P: sumToJSON(this.#P), Q: sumToJSON(this.#Q), A: sumToJSON(this.#A), D: sumToJSON(this.#D),
    };
  }

  /** Rebuild from {@link DivergenceAccumulator.toJSON} output. */
  static fromJSON(json: unknown): DivergenceAccumulator {
    const o = header(json, 'entropy-wasm/DivergenceAccumulator');
    if (typeof o.infinite !== 'boolean') throw jsonError(`infinite must be a boolean (got ${show(o.infinite)})`);
    const acc = new DivergenceAccumulator();
    acc.#P = sumFromJSON(o.P, 'P');
    acc.#Q = sumFromJSON(o.Q, 'Q');
    acc.#A = sumFromJSON(o.A, 'A');
    acc.#D = sumFromJSON(o.D, 'D');
    if (negativeSum(acc.#P) || negativeSum(acc.#Q)) throw jsonError('a weight sum (P or Q) is negative');
    if (o.count === 0 && !(isZero(acc.#P) && isZero(acc.#Q) && isZero(acc.#A) && isZero(acc.#D) && !o.infinite)) {
      throw jsonError('count is 0 but the sums are not');
    }
    acc.#infinite = o.infinite;
    acc.#count = o.count as number;
    return acc;
  }
}
