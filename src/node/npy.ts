// NumPy .npy headers (format versions 1.0, 2.0 and 3.0): the magic, the header length, and a
// strict reader of the header dict {'descr': ..., 'fortran_order': ..., 'shape': (...)}.
// Spec: numpy/lib/format.py ("NPY format"). Only the parts entropy-wasm reads are accepted:
// numeric dtypes (float64, float32, integers of 8 to 64 bits, either byte order), C order
// (Fortran order only where it means the same bytes, ndim <= 1), and ndim <= 2.

/** The 6 magic bytes \x93NUMPY. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

/** How the elements of a binary file are stored. */
export interface Dtype {
  /** 'f' float, 'i' signed integer, 'u' unsigned integer. */
  readonly kind: 'f' | 'i' | 'u';
  /** Bytes per element: 1, 2, 4 or 8. */
  readonly size: 1 | 2 | 4 | 8;
  readonly littleEndian: boolean;
  /** The dtype as numpy spells it (for messages), e.g. '<f8'. */
  readonly descr: string;
}

/** A parsed header: the dtype, the shape (C order) and where the data starts. */
export interface NpyHeader {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly dataOffset: number;
}

/** Thrown for a header that is not a valid, supported .npy header (the caller adds the file name). */
export class NpyFormatError extends Error {
  constructor(message: string, readonly byteOffset: number) {
    super(message);
    this.name = 'NpyFormatError';
  }
}

/** True if bytes start with the .npy magic (bytes may be shorter than the magic: then false). */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  if (bytes.length < NPY_MAGIC.length) return false;
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Bytes needed before the header can be parsed: 10 or 12 for the preamble, then the full header.
 * Returns 0 if `bytes` already holds the whole header. Throws NpyFormatError on a bad preamble.
 */
export function npyBytesNeeded(bytes: Uint8Array): number {
  if (bytes.length < 8) return 8;
  if (!hasNpyMagic(bytes)) throw new NpyFormatError('not a .npy file (the magic \\x93NUMPY is missing)', 0);
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new NpyFormatError(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`, 6);
  }
  const pre = major === 1 ? 10 : 12;
  if (bytes.length < pre) return pre;
  const len = major === 1 ? bytes[8] | (bytes[9] << 8) : (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
  return bytes.length >= pre + len ? 0 : pre + len;
}

/** Parse the whole header (bytes holds at least npyBytesNeeded bytes). */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  const major = bytes[6];
  const pre = major === 1 ? 10 : 12;
  const len = major === 1 ? bytes[8] | (bytes[9] << 8) : (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
  // Versions 1 and 2 are latin1 (in practice ASCII); version 3 is UTF-8. Dict keys and values we
  // accept are ASCII either way, so a non-ASCII byte fails the parse below with a clear message.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(pre, pre + len));
  const dict = new DictParser(text, pre).parse();
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape') {
    throw new NpyFormatError(`the header dict must have exactly the keys descr, fortran_order, shape (got ${Object.keys(dict).join(', ') || 'none'})`, pre);
  }
  const { descr, fortran_order: fortran, shape } = dict as { descr: unknown; fortran_order: unknown; shape: unknown };
  if (typeof descr !== 'string') throw new NpyFormatError(`unsupported dtype ${describe(descr)} (a structured or non-numeric dtype); supported: float64, float32, int8..int64, uint8..uint64`, pre);
  const dtype = readDescr(descr, pre);
  if (typeof fortran !== 'boolean') throw new NpyFormatError('fortran_order must be True or False', pre);
  if (!Array.isArray(shape)) throw new NpyFormatError('shape must be a tuple of integers', pre);
  if (shape.length > 2) throw new NpyFormatError(`a ${shape.length}-D array is not supported (shape (${shape.join(', ')})); use 1-D (one histogram) or 2-D (rows)`, pre);
  if (fortran && shape.length === 2) {
    throw new NpyFormatError('Fortran order (fortran_order: True) is not supported for 2-D arrays; save a C-ordered array (np.ascontiguousarray)', pre);
  }
  return { dtype, shape: shape as number[], dataOffset: pre + len };
}

const SIZES: Record<string, 1 | 2 | 4 | 8> = { 1: 1, 2: 2, 4: 4, 8: 8 };

function readDescr(descr: string, at: number): Dtype {
  const m = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  const size = m ? SIZES[m[3]] : undefined;
  const ok = m && size && (m[2] !== 'f' || size >= 4) && m[1] !== '=' && (m[1] !== '|' || size === 1);
  if (!m || !size || !ok) {
    throw new NpyFormatError(`unsupported dtype '${descr}'; supported: float64, float32, int8..int64, uint8..uint64 (little- or big-endian)`, at);
  }
  return { kind: m[2] as Dtype['kind'], size, littleEndian: m[1] !== '>', descr };
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'a list' : JSON.stringify(v) ?? String(v);
}

type Value = string | boolean | number[] | Value[] | { [k: string]: Value };

/** A strict parser of the Python literal numpy writes: a dict of str keys to str, bool or tuple of int. */
class DictParser {
  #i = 0;
  constructor(readonly s: string, readonly base: number) {}

  parse(): Record<string, Value> {
    this.#ws();
    const d = this.#dict();
    this.#ws();
    if (this.#i !== this.s.length) this.#fail('unexpected text after the header dict');
    if (!this.s.endsWith('\n')) this.#fail('the header must end with a newline');
    return d;
  }

  #fail(what: string): never {
    throw new NpyFormatError(`bad .npy header: ${what} (header text ${JSON.stringify(this.s.trimEnd().slice(0, 120))})`, this.base + this.#i);
  }

  #ws(): void {
    while (this.#i < this.s.length && ' \t\n\r'.includes(this.s[this.#i])) this.#i++;
  }

  #eat(c: string): boolean {
    this.#ws();
    if (this.s[this.#i] === c) {
      this.#i++;
      return true;
    }
    return false;
  }

  #expect(c: string): void {
    if (!this.#eat(c)) this.#fail(`expected '${c}' at character ${this.#i}`);
  }

  #dict(): Record<string, Value> {
    this.#expect('{');
    const d: Record<string, Value> = Object.create(null) as Record<string, Value>;
    while (!this.#eat('}')) {
      const k = this.#value();
      if (typeof k !== 'string') this.#fail('dict keys must be strings');
      if (k in d) this.#fail(`duplicate key '${k}'`);
      this.#expect(':');
      d[k] = this.#value();
      if (!this.#eat(',')) {
        this.#expect('}');
        break;
      }
    }
    return d;
  }

  #value(): Value {
    this.#ws();
    const c = this.s[this.#i];
    if (c === "'" || c === '"') {
      const end = this.s.indexOf(c, this.#i + 1);
      if (end < 0) this.#fail('unterminated string');
      const v = this.s.slice(this.#i + 1, end);
      if (v.includes('\\')) this.#fail('escapes in strings are not supported');
      this.#i = end + 1;
      return v;
    }
    if (this.s.startsWith('True', this.#i)) return (this.#i += 4), true;
    if (this.s.startsWith('False', this.#i)) return (this.#i += 5), false;
    if (c === '(') return this.#tuple();
    if (c === '[') this.#fail('a list value (structured dtype) is not supported');
    if (c === '{') this.#fail('a nested dict (dtype with metadata) is not supported');
    return this.#fail(`unexpected character ${JSON.stringify(c ?? 'end of header')} at character ${this.#i}`);
  }

  #tuple(): number[] {
    this.#expect('(');
    const t: number[] = [];
    while (!this.#eat(')')) {
      this.#ws();
      const m = /^\d+L?/.exec(this.s.slice(this.#i, this.#i + 24));
      if (!m) this.#fail('shape entries must be non-negative integers');
      const n = Number(m[0].replace('L', ''));
      if (!Number.isSafeInteger(n)) this.#fail(`shape entry ${m[0]} is too large`);
      t.push(n);
      this.#i += m[0].length;
      if (!this.#eat(',')) {
        this.#expect(')');
        break;
      }
    }
    return t;
  }
}
