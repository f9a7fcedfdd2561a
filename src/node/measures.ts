// The entropy-wasm/node measures: entropy, cross entropy and KL divergence of files and streams,
// and entropy per row. They feed the decoded batches to EntropyAccumulator /
// DivergenceAccumulator (whose exact sums make any chunking give the one-shot bits) on the
// WebAssembly engine, and translate errors to the global element index and its place in the input.
import { DivergenceAccumulator, EntropyAccumulator } from '../accumulator';
import { EntropyInputError, show } from '../errors';
import { entropy, init } from '../index';
import { checkOptions, type Checked, type RowsOptions, type StreamOptions } from './options';
import { ValueReader } from './reader';
import { chunksOf, openFile, type ByteSource } from './sources';

/** What divergenceOfStreams / divergenceOfFiles return (all in the chosen base). */
export interface DivergenceResult {
  /** H(p, q) = -sum p_i log q_i, both normalized; +Infinity where q_i = 0 < p_i. */
  crossEntropy: number;
  /** D(p || q) = sum p_i log(p_i / q_i) >= 0; +Infinity where q_i = 0 < p_i. */
  klDivergence: number;
  /** H(p). */
  entropyP: number;
  /** H(q). */
  entropyQ: number;
  /** Number of bins (values in each input). */
  count: number;
}

/** Entropy and the number of values it was computed from. */
export interface EntropyResult {
  entropy: number;
  count: number;
}

function fileOnly(o: Checked): void {
  for (const key of ['name', 'totalBytes'] as const) {
    if (o[key] !== undefined) {
      throw new EntropyInputError('option', `options.${key}`, `options.${key} applies to streams only (a file is named by its path and its size is known)`);
    }
  }
}

function baseOf(o: Checked): { base: number } | undefined {
  return o.base === undefined ? undefined : { base: o.base };
}

/** An input: a file by path, or a stream with a name for messages and its size if known. */
export type Input = { readonly path: string } | { readonly source: ByteSource; readonly name: string; readonly size?: number };

/** Opens inputs for one call; onProgress counts the bytes of all of them against their total size. */
class Inputs {
  #total: number | undefined = 0;
  #read = 0;
  constructor(readonly o: Checked, readonly rows: boolean, readonly pair = false) {}

  async open(x: Input): Promise<ValueReader> {
    const o = this.o;
    let chunks;
    let size: number | undefined;
    let label: string;
    let path: string | undefined;
    if ('path' in x) {
      if (typeof x.path !== 'string' || x.path.length === 0) {
        throw new EntropyInputError('not-array', 'path', `path must be a non-empty string (got ${show(x.path)})`);
      }
      o.signal?.throwIfAborted();
      const f = await openFile(x.path);
      ({ chunks, size } = f);
      label = path = x.path;
    } else {
      chunks = chunksOf(x.source, x.name);
      size = x.size;
      label = x.name;
    }
    this.#total = this.#total === undefined || size === undefined ? undefined : this.#total + size;
    const cb = o.onProgress;
    const progress = cb && ((b: number) => cb((this.#read += b), this.#total));
    return new ValueReader(chunks, {
      label, path, format: o.format, column: o.column, columnForTextOnly: this.pair, header: o.header,
      rows: this.rows, rowLength: o.rowLength, signal: o.signal, progress,
    });
  }
}

/**
 * The error for a bad value, at global index `first + e.index`: names the input, the element,
 * its row and column (rows) and its place (byte offset, or line and column). Other errors pass.
 */
function relocate(e: unknown, r: ValueReader, first: number, values: Float64Array, rowLength?: number): unknown {
  if (!(e instanceof EntropyInputError) || e.index === undefined) return e;
  const i = first + e.index;
  const text = r.format === 'csv' || r.format === 'tsv';
  const cell = rowLength ? (text ? ` (row ${Math.floor(i / rowLength)})` : ` (row ${Math.floor(i / rowLength)}, column ${i % rowLength})`) : '';
  return new EntropyInputError(e.code, r.label,
    `${r.label}: element ${i}${cell} at ${r.where(i)} is ${show(values[e.index])}; weights must be finite and non-negative`, i);
}

function noData(r: ValueReader): EntropyInputError {
  return r.fail('empty', 'holds no values; a histogram needs at least one weight');
}

function zeroSum(r: ValueReader, what = `all ${r.count} values are 0`): EntropyInputError {
  return new EntropyInputError('zero-sum', r.label, `${r.label}: ${what}; a histogram needs a positive weight`);
}

async function entropyOfReader(r: ValueReader, o: Checked): Promise<EntropyResult> {
  await init();
  const acc = new EntropyAccumulator();
  try {
    for (let v = await r.next(); v !== null; v = await r.next()) {
      try {
        acc.update(v);
      } catch (e) {
        throw relocate(e, r, r.batchStart, v);
      }
    }
  } finally {
    await r.close();
  }
  if (acc.count === 0) throw noData(r);
  try {
    return { entropy: acc.entropy(baseOf(o)), count: acc.count };
  } catch (e) {
    if (e instanceof EntropyInputError && e.code === 'zero-sum') throw zeroSum(r);
    throw e;
  }
}

async function divergenceOfReaders(rp: ValueReader, rq: ValueReader, o: Checked): Promise<DivergenceResult> {
  await init();
  const div = new DivergenceAccumulator();
  const hp = new EntropyAccumulator();
  const hq = new EntropyAccumulator();
  let done = 0;
  try {
    let pv: Float64Array | null = null;
    let qv: Float64Array | null = null;
    let pi = 0;
    let qi = 0;
    for (;;) {
      // Align by element count: the inputs may arrive in batches of different sizes.
      if (pv === null || pi === pv.length) [pv, pi] = [await rp.next(), 0];
      if (qv === null || qi === qv.length) [qv, qi] = [await rq.next(), 0];
      if (pv === null || qv === null) break;
      const m = Math.min(pv.length - pi, qv.length - qi);
      const ps = pv.subarray(pi, pi + m);
      const qs = qv.subarray(qi, qi + m);
      try {
        div.update(ps, qs);
      } catch (e) {
        const inQ = e instanceof EntropyInputError && e.argument === 'q';
        throw relocate(e, inQ ? rq : rp, done, inQ ? qs : ps);
      }
      hp.update(ps);
      hq.update(qs);
      done += m;
      pi += m;
      qi += m;
    }
    if (pv !== null || qv !== null) {
      // One input is longer: count the rest (still checking its format) for the message.
      const [longer, shorter] = pv !== null ? [rp, rq] : [rq, rp];
      while ((await longer.next()) !== null);
      throw new EntropyInputError('length-mismatch', rq.label,
        `${rq.label} must have the same length as ${rp.label} (${rp.label} has ${rp.count} values, ${rq.label} has ${rq.count}); ` +
        `${shorter.label} ends first, after element ${shorter.count - 1}`, shorter.count);
    }
  } finally {
    await Promise.all([rp.close(), rq.close()]);
  }
  if (done === 0) throw noData(rp);
  const base = baseOf(o);
  const pick = (f: () => number): number => {
    try {
      return f();
    } catch (e) {
      if (e instanceof EntropyInputError && e.code === 'zero-sum') throw zeroSum(e.message.includes('accumulated q') ? rq : rp);
      throw e;
    }
  };
  return {
    crossEntropy: pick(() => div.crossEntropy(base)),
    klDivergence: pick(() => div.klDivergence(base)),
    entropyP: pick(() => hp.entropy(base)),
    entropyQ: pick(() => hq.entropy(base)),
    count: done,
  };
}

async function* rowsOfReader(r: ValueReader, o: Checked): AsyncGenerator<number, void, undefined> {
  await init();
  const base = baseOf(o);
  let acc: EntropyAccumulator | null = null;
  let inRow = 0;
  let row = 0;
  const finish = (f: () => number): number => {
    try {
      return f();
    } catch (e) {
      if (e instanceof EntropyInputError && e.code === 'zero-sum') throw zeroSum(r, `row ${row} sums to 0`);
      throw e;
    }
  };
  try {
    for (let v = await r.next(); v !== null; v = await r.next()) {
      const R = r.rowLength;
      if (R === 0) throw r.fail('empty', 'has rows of length 0; a histogram needs at least one weight');
      let i = 0;
      while (i < v.length) {
        if (inRow === 0 && v.length - i >= R) {
          // A whole row in this batch: the one-shot call.
          const x = v.subarray(i, i + R);
          let h: number;
          try {
            h = finish(() => entropy(x, base));
          } catch (e) {
            throw relocate(e, r, r.batchStart + i, x, R);
          }
          i += R;
          row++;
          yield h;
          continue;
        }
        // A row split across batches: accumulate it.
        const m = Math.min(R - inRow, v.length - i);
        const x = v.subarray(i, i + m);
        acc ??= new EntropyAccumulator();
        try {
          acc.update(x);
        } catch (e) {
          throw relocate(e, r, r.batchStart + i, x, R);
        }
        inRow += m;
        i += m;
        if (inRow === R) {
          const a: EntropyAccumulator = acc;
          const h = finish(() => a.entropy(base));
          acc = null;
          inRow = 0;
          row++;
          yield h;
        }
      }
    }
    if (inRow !== 0) {
      throw r.fail('format', `the last row (row ${row}) is incomplete: ${inRow} of ${r.rowLength} values (the input ends at element ${r.count})`, r.count);
    }
  } finally {
    await r.close();
  }
}

/** Entropy of one input (a file or a named stream): the CLI's entry. */
export async function entropyOfInput(x: Input, options?: StreamOptions): Promise<EntropyResult> {
  const o = checkOptions(options, false);
  return entropyOfReader(await new Inputs(o, false).open(x), o);
}

/** Divergence of two inputs (files or named streams): the CLI's entry. */
export async function divergenceOfInputs(p: Input, q: Input, options?: StreamOptions): Promise<DivergenceResult> {
  const o = checkOptions(options, false);
  const inputs = new Inputs(o, false, true);
  const rp = await inputs.open(p);
  let rq: ValueReader;
  try {
    rq = await inputs.open(q);
  } catch (e) {
    await rp.close();
    throw e;
  }
  return divergenceOfReaders(rp, rq, o);
}

/** Entropy per row of one input (a file or a named stream): the CLI's entry. */
export async function* entropyRowsOfInput(x: Input, options?: RowsOptions): AsyncGenerator<number, void, undefined> {
  const o = checkOptions(options, true);
  yield* rowsOfReader(await new Inputs(o, true).open(x), o);
}

function streamInput(source: ByteSource, options: StreamOptions | undefined, name: string): Input {
  const o = options as Record<string, unknown> | undefined;
  return { source, name: typeof o?.name === 'string' && o.name ? o.name : name, size: typeof o?.totalBytes === 'number' ? o.totalBytes : undefined };
}

function fileInput(path: string, options: StreamOptions | undefined): Input {
  fileOnly(checkOptions(options, true));
  return { path };
}

/**
 * Entropy of a histogram streamed as bytes (raw f64/f32, .npy, CSV/TSV) or as Float64Array chunks.
 * Chunks may split a number anywhere; the result has the bits of `entropy()` on the same numbers.
 * Runs on WebAssembly (it awaits `init()`).
 * @param source a Node Readable, a web ReadableStream, or an AsyncIterable of Uint8Array/Buffer/Float64Array
 * @returns H(p) in the chosen base (default nats)
 * @throws EntropyInputError (rejects) for bad data: code 'format' (truncated, bad .npy header, ...),
 *   'not-number' (CSV cell), 'negative' / 'nan' / 'infinite' (message: element index and byte offset
 *   or line/column), 'empty', 'zero-sum', 'option'; rejects with `signal.reason` when aborted.
 * @example
 * const h = await entropyOfStream(fs.createReadStream('counts.f64'), { base: 2 });
 */
export async function entropyOfStream(source: ByteSource, options?: StreamOptions): Promise<number> {
  return (await entropyOfInput(streamInput(source, options, 'source'), options)).entropy;
}

/**
 * Entropy of a histogram stored in a file, read in 8 MiB pieces (memory stays flat).
 * A 1-D .npy is one histogram; for a 2-D .npy use {@link entropyRowsOfFile}.
 * @example
 * await entropyOfFile('counts.npy', { base: 2 });
 * await entropyOfFile('export.csv', { column: 'count' });
 * @throws EntropyInputError as {@link entropyOfStream}, messages naming the file; rejects with the
 *   fs error (ENOENT, EISDIR, ...) if the file cannot be read.
 */
export async function entropyOfFile(path: string, options?: StreamOptions): Promise<number> {
  return (await entropyOfInput(fileInput(path, options), options)).entropy;
}

/**
 * Cross entropy, KL divergence and both entropies of two streamed histograms of the same length.
 * The streams may arrive in different chunk sizes (they are aligned by element count). Messages
 * name them p and q.
 * @example
 * const { klDivergence } = await divergenceOfStreams(pStream, qStream, { base: 2 });
 * @throws EntropyInputError as {@link entropyOfStream}, and 'length-mismatch' (both lengths in the message)
 */
export async function divergenceOfStreams(pSource: ByteSource, qSource: ByteSource, options?: StreamOptions): Promise<DivergenceResult> {
  if ((options as Record<string, unknown> | undefined)?.name !== undefined) {
    throw new EntropyInputError('option', 'options.name', 'options.name names one stream; here the streams are named p and q');
  }
  return divergenceOfInputs({ source: pSource, name: 'p' }, { source: qSource, name: 'q' }, options);
}

/**
 * Cross entropy, KL divergence and both entropies of two histograms stored in files (the same
 * format options apply to both). onProgress counts the bytes of both files.
 * @example
 * const r = await divergenceOfFiles('p.npy', 'q.npy');
 * r.klDivergence === klDivergence(pArray, qArray); // true, bit for bit
 */
export async function divergenceOfFiles(pPath: string, qPath: string, options?: StreamOptions): Promise<DivergenceResult> {
  return divergenceOfInputs(fileInput(pPath, options), fileInput(qPath, options), options);
}

/**
 * Entropy of each row, one result per row, in order, without holding the rows: a 2-D .npy
 * (shape (rows, columns); a 1-D .npy is one row), CSV/TSV lines (all cells of a line; a header
 * line is skipped), or raw f64/f32 with `rowLength`. Each result has the bits of `entropy(row)`.
 * The file is opened at the first `next()`, and closed at the end or when the loop breaks.
 * @example
 * for await (const h of entropyRowsOfFile('batch.npy', { base: 2 })) console.log(h);
 * @throws EntropyInputError (from the iterator) as {@link entropyOfFile}; an all-zero row is
 *   'zero-sum' naming the row, an incomplete last row is 'format'. Rows before it were yielded.
 */
export async function* entropyRowsOfFile(path: string, options?: RowsOptions): AsyncGenerator<number, void, undefined> {
  yield* entropyRowsOfInput(fileInput(path, options), options);
}

/** {@link entropyRowsOfFile} for a stream (for example stdin). */
export async function* entropyRowsOfStream(source: ByteSource, options?: RowsOptions): AsyncGenerator<number, void, undefined> {
  yield* entropyRowsOfInput(streamInput(source, options, 'source'), options);
}
