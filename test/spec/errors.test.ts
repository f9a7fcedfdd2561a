// Bad input: a clear EntropyInputError (code, argument, index, value in the message), never a
// silent number; the engine keeps working and a failed accumulator update changes nothing.
import { describe, expect, it } from 'vitest';
import { DivergenceAccumulator, EntropyAccumulator } from '../../src/accumulator';
import { EntropyInputError } from '../../src/errors';
import { ENGINES } from '../helpers/engines';
import type { Engine } from '../../src/api';

type Case = [title: string, call: (e: Engine) => unknown, code: string, argument: string, message: RegExp, index?: number];

const big = new Float64Array(100000).fill(1);
big[70001] = -3; // in the second staging chunk

/** A number[] of 10,000 ones with one element replaced (a non-number, or any value). */
function withValueAt(i: number, v: unknown): number[] {
  const a: unknown[] = new Array(10000).fill(1);
  a[i] = v;
  return a as number[];
}
const nonNumberAt = (i: number, v: string): number[] => withValueAt(i, v);

const CASES: Case[] = [
  ['negative weight', (e) => e.entropy([0.5, -0.25, 0.75]), 'negative', 'p', /p\[1\] is -0\.25/, 1],
  ['NaN weight', (e) => e.entropy(new Float64Array([1, NaN])), 'nan', 'p', /p\[1\] is NaN/, 1],
  ['+Infinity weight', (e) => e.entropy([Infinity, 1]), 'infinite', 'p', /p\[0\] is Infinity/, 0],
  ['-Infinity weight', (e) => e.entropy([1, 1, -Infinity]), 'infinite', 'p', /p\[2\] is -Infinity/, 2],
  ['-0 is a valid zero, but -1e-300 is negative', (e) => e.entropy([1, -0, -1e-300]), 'negative', 'p', /p\[2\] is -1e-300/, 2],
  ['bad weight in the second chunk', (e) => e.entropy(big), 'negative', 'p', /p\[70001\] is -3/, 70001],
  ['string element', (e) => e.entropy([1, '2' as unknown as number]), 'not-number', 'p', /p\[1\] is "2", not a number/, 1],
  ['undefined element (hole)', (e) => e.entropy([1, , 2] as number[]), 'not-number', 'p', /p\[1\] is undefined/, 1],
  ['empty histogram', (e) => e.entropy([]), 'empty', 'p', /p is empty/],
  ['all-zero histogram', (e) => e.entropy(new Float64Array(5)), 'zero-sum', 'p', /p sums to 0/],
  ['not an array: number', (e) => e.entropy(3 as unknown as number[]), 'not-array', 'p', /p must be a Float64Array or an array of numbers \(got 3\)/],
  ['not an array: string', (e) => e.entropy('0.5,0.5' as unknown as number[]), 'not-array', 'p', /got "0.5,0.5"/],
  ['not an array: null', (e) => e.entropy(null as unknown as number[]), 'not-array', 'p', /got null/],
  ['BigInt64Array', (e) => e.entropy(new BigInt64Array(2) as unknown as number[]), 'not-array', 'p', /p must be/],
  ['q negative', (e) => e.crossEntropy([1, 1], [1, -1]), 'negative', 'q', /q\[1\] is -1/, 1],
  ['q NaN where p is 0', (e) => e.klDivergence([1, 0], [1, NaN]), 'nan', 'q', /q\[1\] is NaN/, 1],
  ['p bad before q bad', (e) => e.klDivergence([1, NaN, 1], [-1, 1, 1]), 'negative', 'q', /q\[0\] is -1/, 0],
  ['bad weight before a non-number', (e) => e.entropy([1, -1, 'x' as unknown as number]), 'negative', 'p', /p\[1\] is -1/, 1],
  ['non-number of q before one of p', (e) => e.crossEntropy(nonNumberAt(5000, 'x'), nonNumberAt(10, 'y')), 'not-number', 'q', /q\[10\] is "y", not a number/, 10],
  ['non-number of q before one of p, batch rows of 1', (e) => e.crossEntropyBatch(nonNumberAt(5000, 'x'), nonNumberAt(10, 'y'), 1), 'not-number', 'q', /q\[10\] \(row 10, column 0\) is "y"/, 10],
  ['NaN of q before a non-number of p', (e) => e.klDivergence(nonNumberAt(7, 'x'), withValueAt(3, NaN)), 'nan', 'q', /q\[3\] is NaN/, 3],
  ['length mismatch', (e) => e.crossEntropy([1, 2], [1, 2, 3]), 'length-mismatch', 'q', /q must have the same length as p \(expected 2, got 3\)/],
  ['q all zero', (e) => e.klDivergence([0, 1], [0, 0]), 'zero-sum', 'q', /q sums to 0/],
  ['p all zero', (e) => e.crossEntropy([0, 0], [1, 1]), 'zero-sum', 'p', /p sums to 0/],
  ['empty pair', (e) => e.klDivergence([], []), 'empty', 'p', /p is empty/],
  ['base 1', (e) => e.entropy([1, 1], { base: 1 }), 'option', 'options.base', /options\.base is 1/],
  ['base 0', (e) => e.entropy([1, 1], { base: 0 }), 'option', 'options.base', /options\.base is 0/],
  ['base negative', (e) => e.entropy([1, 1], { base: -2 }), 'option', 'options.base', /options\.base is -2/],
  ['base NaN', (e) => e.entropy([1, 1], { base: NaN }), 'option', 'options.base', /options\.base is NaN/],
  ['base Infinity', (e) => e.entropy([1, 1], { base: Infinity }), 'option', 'options.base', /Infinity/],
  ['base string', (e) => e.entropy([1, 1], { base: '2' as unknown as number }), 'option', 'options.base', /options\.base is "2"/],
  ['unknown option', (e) => e.entropy([1, 1], { bas: 2 } as unknown as { base: number }), 'option', 'options.bas', /options\.bas is not an option/],
  ['options not an object', (e) => e.entropy([1, 1], 2 as unknown as { base: number }), 'option', 'options', /options must be an object/],
  ['rowLength 0', (e) => e.entropyBatch(new Float64Array(4), 0), 'row-length', 'rowLength', /positive integer \(got 0\)/],
  ['rowLength fractional', (e) => e.entropyBatch(new Float64Array(4), 1.5), 'row-length', 'rowLength', /got 1\.5/],
  ['rowLength not dividing', (e) => e.entropyBatch(new Float64Array(10), 3), 'row-length', 'rowLength', /rowLength 3 does not divide the length of rows \(10\)/],
  ['rowLength missing', (e) => (e.entropyBatch as (r: Float64Array) => unknown)(new Float64Array(4)), 'row-length', 'rowLength', /got undefined/],
  ['batch row all zero', (e) => e.entropyBatch(new Float64Array([1, 1, 0, 0]), 2), 'zero-sum', 'rows', /row 1 of rows sums to 0/],
  ['batch bad cell', (e) => e.entropyBatch(new Float64Array([1, 1, 1, -5]), 2), 'negative', 'rows', /rows\[3\] \(row 1, column 1\) is -5/, 3],
  ['batch shapes differ', (e) => e.klDivergenceBatch(new Float64Array(4), new Float64Array(6), 2), 'length-mismatch', 'q', /expected 4, got 6/],
  ['batch q row zero', (e) => e.crossEntropyBatch(new Float64Array([1, 1, 1, 1]), new Float64Array([1, 1, 0, 0]), 2), 'zero-sum', 'q', /row 1 of q sums to 0/],
];

describe.each(ENGINES)('bad input on %s', (_name, e) => {
  it.each(CASES)('%s', (_title, call, code, argument, message, index) => {
    let err: unknown;
    try {
      call(e);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(EntropyInputError);
    expect(err).toBeInstanceOf(RangeError);
    const ee = err as EntropyInputError;
    expect(ee.name).toBe('EntropyInputError');
    expect(ee.code).toBe(code);
    expect(ee.argument).toBe(argument);
    expect(ee.message).toMatch(message);
    expect(ee.index).toBe(index);
    // the engine keeps working afterwards, with the same bits as before
    expect(e.entropy([1, 3])).toBe(e.entropy(new Float64Array([0.25, 0.75])));
  });

  it('no arguments at all is an error, not a number', () => {
    expect(() => (e.entropy as () => number)()).toThrow();
    expect(() => (e.crossEntropy as (p: number[]) => number)([1])).toThrow(EntropyInputError);
  });
});

describe('accumulators reject bad input and stay unchanged', () => {
  it('EntropyAccumulator', () => {
    const a = new EntropyAccumulator();
    expect(() => a.entropy()).toThrow(expect.objectContaining({ code: 'no-data' }));
    a.update([1, 2]);
    const before = JSON.stringify(a);
    expect(() => a.update([3, -1])).toThrow(expect.objectContaining({ code: 'negative', argument: 'chunk', index: 1 }));
    expect(() => a.update(new Float64Array(80000).fill(1).fill(NaN, 79999))).toThrow(expect.objectContaining({ code: 'nan', index: 79999 }));
    expect(JSON.stringify(a)).toBe(before);
    expect(a.entropy()).toBe(ENGINES[0][1].entropy([1, 2]));
    expect(() => a.merge({} as EntropyAccumulator)).toThrow(expect.objectContaining({ code: 'mismatched-accumulator' }));
    expect(() => new EntropyAccumulator().update([0, 0]).entropy()).toThrow(expect.objectContaining({ code: 'zero-sum' }));
    expect(() => a.entropy({ base: 1 })).toThrow(expect.objectContaining({ code: 'option' }));
  });

  it('DivergenceAccumulator', () => {
    const d = new DivergenceAccumulator();
    expect(() => d.klDivergence()).toThrow(expect.objectContaining({ code: 'no-data' }));
    d.update([1, 2], [2, 1]);
    const before = JSON.stringify(d);
    expect(() => d.update([1], [1, 2])).toThrow(expect.objectContaining({ code: 'length-mismatch' }));
    expect(() => d.update([1, 2], [1, Infinity])).toThrow(expect.objectContaining({ code: 'infinite', argument: 'q', index: 1 }));
    expect(JSON.stringify(d)).toBe(before);
    expect(d.crossEntropy()).toBe(ENGINES[0][1].crossEntropy([1, 2], [2, 1]));
    expect(() => new DivergenceAccumulator().update([0], [1]).crossEntropy()).toThrow(expect.objectContaining({ code: 'zero-sum' }));
  });

  it('fromJSON rejects malformed state with a clear error', () => {
    const good = JSON.parse(JSON.stringify(new EntropyAccumulator().update([1, 2, 3])));
    const bad: unknown[] = [
      null, 3, 'x', [], {},
      { ...good, format: 'other' },
      { ...good, version: 2 },
      { ...good, count: -1 },
      { ...good, count: 1.5 },
      { ...good, S: [[], []] },
      { ...good, S: [['zz'], [], []] },
      { ...good, S: [['7ff0000000000000'], [], []] }, // Infinity
      { ...good, S: [[], ['bff0000000000000'], []] }, // negative weight sum
      { ...good, count: 0 },
    ];
    for (const b of bad) {
      expect(() => EntropyAccumulator.fromJSON(b), JSON.stringify(b)).toThrow(
        expect.objectContaining({ code: 'json', message: expect.stringMatching(/^invalid accumulator state: /) }));
    }
    const dgood = JSON.parse(JSON.stringify(new DivergenceAccumulator().update([1, 2], [2, 1])));
    expect(() => DivergenceAccumulator.fromJSON({ ...dgood, infinite: 'no' })).toThrow(expect.objectContaining({ code: 'json' }));
    expect(() => DivergenceAccumulator.fromJSON(good)).toThrow(expect.objectContaining({ code: 'json' }));
    expect(DivergenceAccumulator.fromJSON(dgood).klDivergence()).toBe(ENGINES[1][1].klDivergence([1, 2], [2, 1]));
  });
});
