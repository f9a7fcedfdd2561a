// One error class for every rejected input. Errors are thrown from TS before or after a kernel
// call (from the kernel's status words), never from inside a kernel.

/** Machine-readable reason of an {@link EntropyInputError}. */
export type EntropyErrorCode =
  | 'not-array' // the argument is not an array of numbers
  | 'not-number' // an element is not a number (e.g. a string in a number[])
  | 'negative' // a weight is < 0
  | 'nan' // a weight is NaN
  | 'infinite' // a weight is +-Infinity
  | 'empty' // a histogram with no elements
  | 'zero-sum' // a histogram whose weights are all 0
  | 'length-mismatch' // p and q differ in length
  | 'row-length' // rowLength is not a positive integer dividing the length
  | 'option' // options is not an object, has an unknown key, or a bad value (e.g. base)
  | 'no-data' // an accumulator queried before it has seen any weight
  | 'json' // malformed accumulator state
  | 'mismatched-accumulator' // merging different kinds of accumulator
  | 'bin' // a live histogram's bin index is not an integer in [0, bins)
  | 'size' // a live histogram's bins (or a sliding window's window) is not a positive integer in range
  | 'workspace' // a workspace misused: a disposed histogram or workspace, another workspace's histogram, a bad length
  | 'format'; // a file or stream that is not valid data of its format (entropy-wasm/node: truncated, bad .npy header, ...)

/**
 * Thrown for bad input: the message names the argument, the index (where there is one) and the
 * value. The engine is unaffected and keeps working; an accumulator whose `update` throws is
 * left exactly as it was before the call.
 */
export class EntropyInputError extends RangeError {
  readonly code: EntropyErrorCode;
  readonly argument: string;
  readonly index?: number;

  constructor(code: EntropyErrorCode, argument: string, message: string, index?: number) {
    super(message);
    this.name = 'EntropyInputError';
    this.code = code;
    this.argument = argument;
    if (index !== undefined) this.index = index;
  }
}

/** A value as it should appear in a message (keeps -0, shows strings quoted). */
export function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : String(v);
}

/** The error for an element that the kernel (or the copy loop) found invalid. */
export function badWeight(argument: string, index: number, value: unknown, rowLength?: number): EntropyInputError {
  const cell = rowLength ? ` (row ${Math.floor(index / rowLength)}, column ${index % rowLength})` : '';
  const where = `${argument}[${index}]${cell}`;
  if (typeof value !== 'number') {
    return new EntropyInputError('not-number', argument,
      `${where} is ${show(value)}, not a number; weights must be finite non-negative numbers`, index);
  }
  const code = Number.isNaN(value) ? 'nan' : value === Infinity || value === -Infinity ? 'infinite' : 'negative';
  return new EntropyInputError(code, argument,
    `${where} is ${show(value)}; weights must be finite and non-negative`, index);
}
