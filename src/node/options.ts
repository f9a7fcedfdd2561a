// Options of the entropy-wasm/node functions: the public types and their strict checking
// (unknown keys and bad values are EntropyInputError 'option', as in the main entry).
import { EntropyInputError, show } from '../errors';
import { readBase } from '../validate';
import { FORMATS, type FileFormat } from './reader';
import type { MeasureOptions } from '../api';

/** Options of every file and stream function. */
export interface StreamOptions extends MeasureOptions {
  /**
   * How the bytes are laid out: 'f64' / 'f32' raw little-endian, 'npy', 'csv', 'tsv', or 'auto'
   * (default): .npy by its magic bytes, then by extension (.csv/.txt csv, .tsv/.tab tsv, .f32 f32),
   * otherwise raw f64. A stream of Float64Array chunks is f64.
   */
  format?: FileFormat;
  /** CSV/TSV: the column that holds the weights, an index from 0 or a header name. Needed if there are several. */
  column?: number | string;
  /** CSV/TSV: whether the first line is a header. Default: it is if none of its cells is a number. */
  header?: boolean;
  /** Aborts the read: the promise rejects with `signal.reason` and the file or stream is released. */
  signal?: AbortSignal;
  /** Called after every chunk read with the bytes read so far (all inputs) and the total if known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  /** Streams only: the byte length if known, passed to onProgress as totalBytes. */
  totalBytes?: number;
  /** Streams only: how the input is named in error messages (default 'source', or 'p' and 'q'). */
  name?: string;
}

/** Options of the row functions: raw binary input also needs the row length. */
export interface RowsOptions extends StreamOptions {
  /** Raw f64/f32 only: values per row (.npy takes it from the shape, CSV/TSV rows are lines). */
  rowLength?: number;
}

/** Checked options. */
export interface Checked {
  base: number | undefined;
  format: FileFormat;
  column?: number | string;
  header?: boolean;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  totalBytes?: number;
  name?: string;
  rowLength?: number;
}

const KEYS = ['base', 'format', 'column', 'header', 'signal', 'onProgress', 'totalBytes', 'name'];

function bad(key: string, message: string): EntropyInputError {
  return new EntropyInputError('option', `options.${key}`, `options.${key} ${message}`);
}

/** Check the options of a file/stream function (`rows`: the row functions, which accept rowLength). */
export function checkOptions(options: unknown, rows: boolean): Checked {
  if (options === undefined) return { base: undefined, format: 'auto' };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new EntropyInputError('option', 'options', `options must be an object like { base: 2 } (got ${show(options)})`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.includes(key) && !(rows && key === 'rowLength')) {
      throw bad(key, `is not an option (the options are ${[...KEYS, ...(rows ? ['rowLength'] : [])].join(', ')})`);
    }
  }
  const base = readBase(o.base === undefined ? undefined : { base: o.base });
  const out: Checked = { base, format: 'auto' };
  if (o.format !== undefined) {
    if (!FORMATS.includes(o.format as FileFormat)) throw bad('format', `is ${show(o.format)}; use one of ${FORMATS.join(', ')}`);
    out.format = o.format as FileFormat;
  }
  if (o.column !== undefined) {
    const c = o.column;
    if (!(typeof c === 'string' && c.length > 0) && !(typeof c === 'number' && Number.isSafeInteger(c) && c >= 0)) {
      throw bad('column', `is ${show(c)}; give an index from 0 or a header name`);
    }
    out.column = c;
  }
  if (o.header !== undefined) {
    if (typeof o.header !== 'boolean') throw bad('header', `is ${show(o.header)}; use true or false`);
    out.header = o.header;
  }
  if (o.signal !== undefined) {
    const s = o.signal as AbortSignal;
    if (s === null || typeof s !== 'object' || typeof s.aborted !== 'boolean' || typeof s.throwIfAborted !== 'function') {
      throw bad('signal', `is ${show(o.signal)}; use an AbortSignal`);
    }
    out.signal = s;
  }
  if (o.onProgress !== undefined) {
    if (typeof o.onProgress !== 'function') throw bad('onProgress', `is ${show(o.onProgress)}; use a function (bytesRead, totalBytes) => void`);
    out.onProgress = o.onProgress as Checked['onProgress'];
  }
  if (o.totalBytes !== undefined) {
    if (typeof o.totalBytes !== 'number' || !Number.isSafeInteger(o.totalBytes) || o.totalBytes < 0) {
      throw bad('totalBytes', `is ${show(o.totalBytes)}; use a non-negative integer`);
    }
    out.totalBytes = o.totalBytes;
  }
  if (o.name !== undefined) {
    if (typeof o.name !== 'string' || o.name.length === 0) throw bad('name', `is ${show(o.name)}; use a non-empty string`);
    out.name = o.name;
  }
  if (rows && o.rowLength !== undefined) {
    if (typeof o.rowLength !== 'number' || !Number.isSafeInteger(o.rowLength) || o.rowLength <= 0) {
      throw new EntropyInputError('row-length', 'options.rowLength', `options.rowLength must be a positive integer (got ${show(o.rowLength)})`);
    }
    out.rowLength = o.rowLength;
  }
  return out;
}
