// Shared by the SIMD block tests of the chunk kernels (test/agreement/shannon-blocks.test.ts,
// pair-blocks.test.ts): the outcome of a call as one comparable string, regular weights, and the
// values that are irregular for a block check or take the f64x2 code's own special cases.
import { LOW, HIGH } from '../../src/kernels/exact';
import { hex, nextUp } from './bits';
import type { Rng } from './prng';

/** The result (every bit), or the error's name, code, argument, index and message. */
export function outcome(f: () => number | Float64Array): string {
  try {
    const v = f();
    if (typeof v === 'number') return `value ${v} 0x${hex(v)}`;
    return `values ${Array.from(v, (x) => hex(x)).join(',')}`;
  } catch (e) {
    const x = e as { name?: string; code?: string; argument?: string; index?: number; message?: string };
    return `${x.name} ${x.code} ${x.argument} ${x.index} ${x.message}`;
  }
}

/** Regular weights (all in [LOW, HIGH), no zero), spread over a few binades. */
export function regular(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (0.5 + rng.float()) * 2 ** (rng.int(40) - 20);
  return a;
}

/** Irregular for the block check (and a few regular values that take the f64x2 code's own special
 *  cases: near 1, a power of two, the bounds themselves). */
export const ODD: [string, number][] = [
  ['NaN', NaN], ['-1', -1], ['-0', -0], ['Infinity', Infinity], ['-Infinity', -Infinity],
  ['smallest subnormal', 5e-324], ['subnormal', 2.5e-310], ['smallest normal', 2.2250738585072014e-308],
  ['tiny', 1e-300], ['below LOW', nextUp(LOW, -1)], ['LOW', LOW], ['HIGH', HIGH],
  ['below HIGH', nextUp(HIGH, -1)], ['huge', 1e300], ['max', Number.MAX_VALUE], ['zero', 0],
  ['one', 1], ['near 1', 1 + 2 ** -40], ['below 1', 1 - 2 ** -52], ['power of two', 0.5],
];
