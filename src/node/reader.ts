// ValueReader: decodes a stream of byte chunks (raw f64/f32, .npy, CSV/TSV) into batches of
// doubles, whatever the chunk boundaries. Partial elements and partial lines are carried across
// chunks; each batch is valid until the next call. It knows where each value came from (byte
// offset, or line and column), so callers can name the place of a bad value.
import { EntropyInputError, show } from '../errors';
import { parseCell, splitCells } from './cells';
import { decode, F32, F64, HOST_LE } from './dtype';
import { hasNpyMagic, npyBytesNeeded, NpyFormatError, parseNpyHeader, type Dtype } from './npy';
import type { Chunk } from './sources';

/** A file format. 'auto': .npy by its magic, text by the file extension, otherwise raw f64. */
export type FileFormat = 'auto' | 'f64' | 'f32' | 'npy' | 'csv' | 'tsv';

export const FORMATS: readonly FileFormat[] = ['auto', 'f64', 'f32', 'npy', 'csv', 'tsv'];

/** How a reader is set up (built from the public options by src/node/options.ts). */
export interface ReaderInit {
  /** How the input is named in messages: the file path, 'stdin', 'p', ... */
  readonly label: string;
  readonly format: FileFormat;
  /** File path, for format 'auto' (extension). */
  readonly path?: string;
  /** CSV: the column (index from 0, or header name). */
  readonly column?: number | string;
  /** Binary formats ignore `column` instead of rejecting it (a divergence of a CSV and a binary file). */
  readonly columnForTextOnly?: boolean;
  /** CSV: whether the first line is a header (undefined: a first line with no number in it is). */
  readonly header?: boolean;
  /** Read rows: CSV records whole (all columns), raw data in rows of rowLength. */
  readonly rows: boolean;
  readonly rowLength?: number;
  readonly signal?: AbortSignal;
  /** Called with the size of every chunk read. */
  readonly progress?: (bytes: number) => void;
}

/** Doubles per batch: binary (8 MiB of f64) and text (parsing is slower, batches smaller). */
const BINARY_BATCH = 1 << 20;
const TEXT_BATCH = 1 << 16;
/** Text is decoded in slices of this many bytes, so a huge chunk never becomes one huge string. */
const TEXT_SLICE = 1 << 20;
/** A zero-copy batch must hold at least this many doubles; smaller pieces are gathered first. */
const MIN_VIEW = 1 << 16;

const EMPTY = new Uint8Array(0);

/** A shape as Python prints it: (20,) or (3, 4). */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function formatByExtension(path: string | undefined): Exclude<FileFormat, 'auto'> | undefined {
  const ext = /\.([^./\\]+)$/.exec(path ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'npy') return 'npy';
  if (ext === 'f32') return 'f32';
  return undefined;
}

/** Decodes one input into batches of doubles. */
export class ValueReader {
  readonly label: string;
  readonly #init: ReaderInit;
  readonly #chunks: AsyncIterator<Chunk>;
  #chunk: Uint8Array = EMPTY;
  #pos = 0;
  #eof = false;
  #sawDoubles = false;
  #started = false;
  #resolved = false;
  #closed = false;

  /** The resolved format (after the first next()). */
  format: Exclude<FileFormat, 'auto'> = 'f64';
  /** .npy shape (after the first next()), else null. */
  shape: readonly number[] | null = null;
  /** Values per row when reading rows (after the first next()). */
  rowLength = 0;
  /** Index of the first value of the last batch. */
  batchStart = 0;
  /** Values returned so far. */
  count = 0;

  // binary
  #dtype: Dtype = F64;
  #dataOffset = 0;
  #expected = Infinity;
  #carry = new Uint8Array(8);
  #carryLen = 0;
  #out: Float64Array | null = null;

  // text
  #delim = ',';
  #text = new TextDecoder('utf-8');
  #lines: string[] = [];
  #li = 0;
  #tail = '';
  #textEof = false;
  #lineNo = 0;
  #column = 0;
  #names: string[] | null = null;
  #first: { cells: string[]; line: number } | null = null;
  #lineOf: Float64Array = new Float64Array(0);
  #colOf: Int32Array = new Int32Array(0);

  constructor(chunks: AsyncIterator<Chunk>, init: ReaderInit) {
    this.#chunks = chunks;
    this.#init = init;
    this.label = init.label;
  }

  /** The next batch of values (valid until the next call), or null at the end of the data. */
  async next(): Promise<Float64Array | null> {
    if (!this.#started) {
      this.#started = true;
      await this.#start();
    }
    this.batchStart = this.count;
    const v = this.format === 'csv' || this.format === 'tsv' ? await this.#nextText() : await this.#nextBinary();
    if (v) this.count += v.length;
    return v;
  }

  /** Release the source (closes a file, cancels a stream). Safe to call more than once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chunks.return?.();
  }

  /** Where value `i` (a global index in the last batch) came from, e.g. "byte offset 80". */
  where(i: number): string {
    if (this.format !== 'csv' && this.format !== 'tsv') return `byte offset ${this.#dataOffset + i * this.#dtype.size}`;
    const k = i - this.batchStart;
    const col = this.#colOf[k];
    const name = this.#names?.[col];
    return `line ${this.#lineOf[k]}, column ${col}${name !== undefined ? ` (${JSON.stringify(name)})` : ''}`;
  }

  /** An EntropyInputError naming this input. */
  fail(code: 'format' | 'not-number' | 'option' | 'empty', message: string, index?: number): EntropyInputError {
    return new EntropyInputError(code, this.label, `${this.label}: ${message}`, index);
  }

  async #pull(): Promise<boolean> {
    if (this.#eof) return false;
    this.#init.signal?.throwIfAborted();
    const r = await this.#chunks.next();
    this.#init.signal?.throwIfAborted();
    if (r.done) {
      this.#eof = true;
      return false;
    }
    const { bytes, doubles } = r.value;
    if (doubles) {
      this.#sawDoubles = true;
      if (this.#resolved && this.format !== 'f64') {
        throw this.fail('option', `a Float64Array chunk arrived, but the format is ${this.format}; Float64Array chunks are raw f64 values`);
      }
    }
    this.#chunk = bytes;
    this.#pos = 0;
    if (bytes.length > 0) this.#init.progress?.(bytes.length);
    return true;
  }

  /** At least n bytes from the current position in one array (fewer only at the end of the input). */
  async #peek(n: number): Promise<Uint8Array> {
    while (this.#chunk.length - this.#pos < n) {
      // Copy what we have: the next pull may reuse the buffer behind the current chunk.
      const have = this.#chunk.slice(this.#pos);
      if (!(await this.#pull())) {
        this.#chunk = have;
        this.#pos = 0;
        break;
      }
      const merged = new Uint8Array(have.length + this.#chunk.length);
      merged.set(have);
      merged.set(this.#chunk, have.length);
      this.#chunk = merged;
      this.#pos = 0;
    }
    return this.#chunk.subarray(this.#pos, this.#pos + n);
  }

  async #start(): Promise<void> {
    const init = this.#init;
    let format: Exclude<FileFormat, 'auto'>;
    if (init.format !== 'auto') format = init.format;
    else {
      const head = await this.#peek(6);
      if (hasNpyMagic(head)) format = 'npy';
      else if (this.#sawDoubles) format = 'f64';
      else {
        // A .npy name without the magic stays npy, so that the header check reports it.
        format = formatByExtension(init.path) ?? 'f64';
      }
    }
    if (this.#sawDoubles && format !== 'f64') {
      throw this.fail('option', `a Float64Array chunk arrived, but the format is ${format}; Float64Array chunks are raw f64 values`);
    }
    this.format = format;
    this.#resolved = true; // from now on #pull rejects Float64Array chunks unless the format is f64
    if (format === 'csv' || format === 'tsv') {
      this.#delim = format === 'csv' ? ',' : '\t';
      await this.#startText();
      return;
    }
    if (init.column !== undefined && !init.columnForTextOnly) throw this.fail('option', `column applies to CSV/TSV input only (the format is ${format})`);
    if (format === 'npy') await this.#startNpy();
    else this.#dtype = format === 'f32' ? F32 : F64;
    if (this.#sawDoubles && !HOST_LE) this.#dtype = { ...F64, littleEndian: false };
    if (init.rows) {
      if (this.shape) {
        if (init.rowLength !== undefined) throw this.fail('option', 'rowLength is taken from the .npy shape; leave it out');
        this.rowLength = this.shape.length === 2 ? this.shape[1] : this.shape.length === 1 ? this.shape[0] : 1;
        if (this.rowLength === 0 && this.#expected === 0 && (this.shape.length === 1 || this.shape[0] > 0)) {
          throw this.fail('empty', `has rows of length 0 (shape ${shapeText(this.shape)}); a histogram needs at least one weight`);
        }
      } else {
        if (init.rowLength === undefined) throw this.fail('option', `rowLength is needed to read rows of raw ${format} data`);
        this.rowLength = init.rowLength;
      }
    } else if (this.shape && this.shape.length === 2) {
      throw this.fail('format',
        `is a 2-D array (shape ${shapeText(this.shape)}); read it by rows (entropyRowsOfFile, or the CLI's rows command), one result per row`);
    }
  }

  async #startNpy(): Promise<void> {
    let need = 8;
    let head: Uint8Array = EMPTY;
    try {
      for (;;) {
        head = await this.#peek(need);
        if (head.length < need) {
          throw this.fail('format', `bad .npy header: the input ends at byte offset ${head.length}, inside the header (which needs ${need} bytes)`);
        }
        const more = npyBytesNeeded(head);
        if (more === 0) break;
        need = more;
      }
      const h = parseNpyHeader(head);
      this.#dtype = h.dtype;
      this.shape = h.shape;
      this.#dataOffset = h.dataOffset;
      this.#expected = h.shape.reduce((a, b) => a * b, 1);
      this.#pos += h.dataOffset;
    } catch (e) {
      if (e instanceof NpyFormatError) throw this.fail('format', `${e.message} (byte offset ${e.byteOffset})`);
      throw e;
    }
  }

  #batch(): Float64Array {
    return (this.#out ??= new Float64Array(BINARY_BATCH));
  }

  async #nextBinary(): Promise<Float64Array | null> {
    const t = this.#dtype;
    const size = t.size;
    const want = Math.min(BINARY_BATCH, this.#expected - this.count);
    if (want <= 0) {
      await this.#checkTrailing();
      return null;
    }
    const viewable = t.kind === 'f' && size === 8 && t.littleEndian === HOST_LE;
    let out: Float64Array | null = null;
    let n = 0;
    for (;;) {
      const chunk = this.#chunk;
      if (this.#carryLen > 0) {
        const take = Math.min(size - this.#carryLen, chunk.length - this.#pos);
        this.#carry.set(chunk.subarray(this.#pos, this.#pos + take), this.#carryLen);
        this.#carryLen += take;
        this.#pos += take;
        if (this.#carryLen === size) {
          out ??= this.#batch();
          decode(t, this.#carry, 0, 1, out, n++);
          this.#carryLen = 0;
        }
      }
      if (this.#carryLen === 0) {
        const m = Math.min(Math.floor((chunk.length - this.#pos) / size), want - n);
        if (m > 0) {
          const addr = chunk.byteOffset + this.#pos;
          if (n === 0 && viewable && addr % 8 === 0 && (m === want || m >= MIN_VIEW)) {
            // Zero copy: the batch is the chunk's own bytes.
            this.#pos += m * 8;
            return new Float64Array(chunk.buffer, addr, m);
          }
          out ??= this.#batch();
          decode(t, chunk, this.#pos, m, out, n);
          n += m;
          this.#pos += m * size;
        }
      }
      if (n === want) break;
      if (this.#carryLen === 0 && this.#pos < chunk.length) {
        this.#carry.set(chunk.subarray(this.#pos));
        this.#carryLen = chunk.length - this.#pos;
        this.#pos = chunk.length;
      }
      if (!(await this.#pull())) break;
    }
    if (n > 0) return out!.subarray(0, n);
    // The end of the input.
    const end = this.#dataOffset + this.count * size;
    const partial = this.#carryLen > 0 ? ` and ${this.#carryLen} byte(s) of element ${this.count}` : '';
    if (this.#expected !== Infinity) {
      throw this.fail('format',
        `truncated .npy data: the header declares ${this.#expected} elements (shape ${shapeText(this.shape!)}) but the data ends after ${this.count}${partial}, at byte offset ${end + this.#carryLen}`,
        this.count);
    }
    if (this.#carryLen > 0) {
      throw this.fail('format',
        `truncated: ${this.#carryLen} byte(s) left at byte offset ${end}, less than one ${size}-byte ${t.descr} element ` +
        `(element ${this.count} is incomplete; the data size is not a multiple of ${size})`, this.count);
    }
    return null;
  }

  async #checkTrailing(): Promise<void> {
    if (this.#carryLen === 0 && this.#pos >= this.#chunk.length) {
      while (await this.#pull()) if (this.#chunk.length > 0) break;
    }
    const extra = this.#carryLen + this.#chunk.length - this.#pos;
    if (extra > 0) {
      const end = this.#dataOffset + this.count * this.#dtype.size;
      throw this.fail('format',
        `bad .npy file: data continues after the ${this.#expected} elements its header declares (shape ${shapeText(this.shape!)}), at byte offset ${end}`);
    }
  }

  // ---- text ----

  /** The next line without its line break, or null at the end. Decodes TEXT_SLICE bytes at a time. */
  async #nextLine(): Promise<string | null> {
    while (this.#li >= this.#lines.length) {
      this.#lines = [];
      this.#li = 0;
      if (this.#textEof) return null;
      if (this.#pos >= this.#chunk.length && !(await this.#pull())) {
        this.#textEof = true;
        const last = this.#tail + this.#text.decode();
        this.#tail = '';
        if (last.length > 0) this.#lines = [last];
        continue;
      }
      const end = Math.min(this.#chunk.length, this.#pos + TEXT_SLICE);
      const s = this.#tail + this.#text.decode(this.#chunk.subarray(this.#pos, end), { stream: true });
      this.#pos = end;
      const parts = s.split('\n');
      this.#tail = parts.pop()!;
      this.#lines = parts;
    }
    this.#lineNo++;
    const line = this.#lines[this.#li++];
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  /** The next non-blank line as cells, with its line number (from 1). */
  async #nextRecord(): Promise<{ cells: string[]; line: number } | null> {
    if (this.#first) {
      const f = this.#first;
      this.#first = null;
      return f;
    }
    for (;;) {
      const line = await this.#nextLine();
      if (line === null) return null;
      if (line.trim() === '') continue;
      return { cells: splitCells(line, this.#delim), line: this.#lineNo };
    }
  }

  async #startText(): Promise<void> {
    const init = this.#init;
    if (init.rowLength !== undefined) throw this.fail('option', 'rowLength applies to raw binary input; CSV/TSV rows are its lines');
    const first = await this.#nextRecord();
    if (!first) {
      this.rowLength = 0;
      return;
    }
    const cells = first.cells;
    const header = init.header ?? cells.every((c) => parseCell(c) === undefined);
    if (header) this.#names = cells.map((c) => c.trim());
    else this.#first = first;
    const ncols = cells.length;
    if (init.rows) {
      if (init.column !== undefined && !init.columnForTextOnly) throw this.fail('option', 'column does not apply to rows: each line is a row of all its cells');
      this.rowLength = ncols;
    } else {
      this.#column = this.#resolveColumn(ncols);
    }
    const cap = Math.max(TEXT_BATCH, ncols);
    this.#out = new Float64Array(cap);
    this.#lineOf = new Float64Array(cap);
    this.#colOf = new Int32Array(cap);
  }

  #resolveColumn(ncols: number): number {
    const c = this.#init.column;
    const names = this.#names;
    const list = names ? ` (${names.map((n) => JSON.stringify(n)).join(', ')})` : '';
    if (c === undefined) {
      if (ncols === 1) return 0;
      throw this.fail('option', `has ${ncols} columns${list}; choose one with the column option (an index from 0${names ? ' or a name' : ''})`);
    }
    if (typeof c === 'string') {
      if (!names) throw this.fail('option', `column ${JSON.stringify(c)} is a name, but the input has no header line (give an index from 0, or header: true)`);
      const i = names.indexOf(c);
      if (i < 0) throw this.fail('option', `has no column named ${JSON.stringify(c)}; the columns are${list}`);
      return i;
    }
    if (c >= ncols) throw this.fail('option', `has ${ncols} column(s)${list}; column ${c} (from 0) does not exist`);
    return c;
  }

  async #nextText(): Promise<Float64Array | null> {
    const out = this.#out;
    if (!out) return null;
    const rows = this.#init.rows;
    const per = rows ? this.rowLength : 1;
    let n = 0;
    while (n + per <= out.length) {
      const rec = await this.#nextRecord();
      if (!rec) break;
      const { cells, line } = rec;
      if (rows) {
        if (cells.length !== per) {
          throw this.fail('format', `line ${line} has ${cells.length} cell(s), but the rows have ${per} (row ${Math.floor((this.count + n) / per)})`, this.count + n);
        }
        for (let j = 0; j < per; j++) this.#put(out, n++, cells[j], line, j);
      } else {
        const j = this.#column;
        if (j >= cells.length) {
          throw this.fail('format', `line ${line} has ${cells.length} cell(s); column ${j} is missing (element ${this.count + n})`, this.count + n);
        }
        this.#put(out, n++, cells[j], line, j);
      }
    }
    return n > 0 ? out.subarray(0, n) : null;
  }

  #put(out: Float64Array, k: number, cell: string, line: number, col: number): void {
    const v = parseCell(cell);
    if (v === undefined) {
      const name = this.#names?.[col];
      const where = `line ${line}, column ${col}${name !== undefined ? ` (${JSON.stringify(name)})` : ''}`;
      throw this.fail('not-number', `${where}: element ${this.count + k} is ${cell.trim() === '' ? 'an empty cell' : show(cell)}, not a number`, this.count + k);
    }
    out[k] = v;
    this.#lineOf[k] = line;
    this.#colOf[k] = col;
  }
}
