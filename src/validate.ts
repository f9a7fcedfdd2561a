// Shape and option checks, shared by every entry point.
import { EntropyInputError, show } from './errors';
import type { MeasureOptions } from './api';
import type { Source } from './input';

/** The base of the options (undefined: nats). Rejects non-objects, unknown keys and bad bases. */
export function readBase(options: unknown): number | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new EntropyInputError('option', 'options', `options must be an object like { base: 2 } (got ${show(options)})`);
  }
  // for-in over own keys is Object.keys without the array (a small call's options cost counts)
  for (const key in options) {
    if (key !== 'base' && Object.prototype.hasOwnProperty.call(options, key)) {
      throw new EntropyInputError('option', `options.${key}`, `options.${key} is not an option (the only option is base)`);
    }
  }
  const base = (options as MeasureOptions).base;
  if (base === undefined) return undefined;
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 0 || base === 1) {
    throw new EntropyInputError('option', 'options.base',
      `options.base is ${show(base)}; the base must be a finite number > 0 other than 1 (e.g. 2 for bits)`);
  }
  return base === Math.E ? undefined : base;
}

export function nonEmpty(src: Source): void {
  if (src.length === 0) throw new EntropyInputError('empty', src.name, `${src.name} is empty; a histogram needs at least one weight`);
}

export function sameLength(p: Source, q: Source): void {
  if (p.length !== q.length) {
    throw new EntropyInputError('length-mismatch', q.name,
      `${q.name} must have the same length as ${p.name} (expected ${p.length}, got ${q.length})`);
  }
}

/** Number of rows; rowLength must be a positive integer dividing the length. */
export function rowCount(src: Source, rowLength: unknown): number {
  if (typeof rowLength !== 'number' || !Number.isSafeInteger(rowLength) || rowLength <= 0) {
    throw new EntropyInputError('row-length', 'rowLength', `rowLength must be a positive integer (got ${show(rowLength)})`);
  }
  if (src.length % rowLength !== 0) {
    throw new EntropyInputError('row-length', 'rowLength',
      `rowLength ${rowLength} does not divide the length of ${src.name} (${src.length})`);
  }
  return src.length / rowLength;
}

export function zeroSum(name: string, row?: number): EntropyInputError {
  const what = row === undefined ? name : `row ${row} of ${name}`;
  return new EntropyInputError('zero-sum', name, `${what} sums to 0; a histogram needs a positive weight`,
    undefined);
}
