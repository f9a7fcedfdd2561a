// Entropy rows through the SIMD build's grid path (shannon_row_grid: two rows at a time, their sums
// read in the two f64x2 lanes, each row handed to the bins on its own if it fails a check), bit for
// bit against the general path and the other engines: every row length around the loop's
// boundaries (8 weights per step, then pairs, then an odd last weight) and the grid's limit, every
// number of rows (groups of four, a pair, a last single row), rows of every kind side by side (so
// that one lane of a pair passes and the other does not), and invalid weights at every position,
// NaNs with any payload and sign included, read in place from WebAssembly memory.
import { describe, expect, it } from 'vitest';
import { ENGINES, scalarCore, tsCore, wasmCore, wasmEngine, wasmExports } from '../helpers/engines';
import { entropyOf } from '../../src/engine';
import { baseDivisor, inBase } from '../../src/finalize';
import { source } from '../../src/input';
import { HEADER_BYTES } from '../../src/kernels/exact';
import { Rng } from '../helpers/prng';
import { ddAdd, twoSum } from '../../src/math/dd';
import { hex, sameBits } from '../helpers/bits';
import type { Core } from '../../src/driver';

const CORES: [string, Core][] = [['wasm-simd', wasmCore], ['wasm-scalar', scalarCore], ['ts', tsCore]];

/** Row lengths next to every boundary of the grid loop (multiples of 8, pairs, odd) and GRID_ROWS. */
const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 24, 25, 31, 32, 33, 63, 64, 65, 199, 200, 201];

/** Kinds of rows: each takes the grid, or fails one of its checks, or goes through a rare branch. */
const ROW_KINDS = ['dense', 'zeros', 'pow2', 'near-pow2', 'wide', 'edge-spread', 'tiny', 'low-bound', 'huge', 'counts', 'one-hot'] as const;

function fillRow(rng: Rng, kind: (typeof ROW_KINDS)[number], row: Float64Array): void {
  const n = row.length;
  for (let i = 0; i < n; i++) {
    const u = 0.5 + rng.float();
    switch (kind) {
      case 'dense': row[i] = u / n; break;
      // zeros and -0 at random places (masked as 0.75 by the term, as zeros by the range)
      case 'zeros': row[i] = rng.float() < 0.4 ? (rng.float() < 0.5 ? 0 : -0) : u; break;
      // exact powers of two: u = 0 terms, z = 1 in the cells next to 1
      case 'pow2': row[i] = rng.float() < 0.2 ? 0 : 2 ** (rng.int(12) - 6); break;
      // next to powers of two: tiny |u| (NEAR_MIN), in one row of a pair and not the other
      case 'near-pow2': row[i] = rng.float() < 0.5 ? 2 ** (rng.int(10) - 5) * (1 + (rng.float() < 0.5 ? -1 : 1) * 2 ** -(8 + rng.int(45))) : u; break;
      // spread over 30 binades: fails the grid bound
      case 'wide': row[i] = u * 2 ** (rng.int(30) - 15); break;
      // spread over 15 to 19 binades: on either side of the bound
      case 'edge-spread': row[i] = i === 0 ? 2 ** -(15 + rng.int(5)) * (1 + rng.float()) : u; break;
      // around 2^-891, where eU >= -900 starts to fail, and near LOW = 2^-950
      case 'tiny': row[i] = u * 2 ** (-895 + rng.int(8)); break;
      case 'low-bound': row[i] = rng.float() < 0.5 ? 2 ** -950 * (1 + rng.int(4)) : u * 2 ** -940; break;
      // at or above HIGH = 2^900: outside the grid's range
      case 'huge': row[i] = i === 0 ? 2 ** (899 + rng.int(3)) : u; break;
      // integer counts (K = sum k c with larger k)
      case 'counts': row[i] = 1 + rng.int(1 << 24); break;
      // one nonzero weight (S = c, U = c log z, K = k c), the rest zeros
      case 'one-hot': row[i] = 0; break;
    }
  }
  if (kind === 'one-hot') row[rng.int(n)] = rng.float() < 0.5 ? 2 ** (rng.int(40) - 20) : 0.5 + rng.float();
  // never an all-zero row here (the engines raise zero-sum for it; the kernels hand it back)
  if (row.every((x) => x === 0)) row[0] = 0.25;
}

function makeBatch(rng: Rng, nRows: number, n: number): Float64Array {
  const a = new Float64Array(nRows * n);
  for (let r = 0; r < nRows; r++) fillRow(rng, ROW_KINDS[rng.int(ROW_KINDS.length)], a.subarray(r * n, (r + 1) * n));
  return a;
}

function binsClean(core: Core): boolean {
  return core.state().f64.subarray(HEADER_BYTES >> 3).every((v) => v === 0);
}

describe.each(CORES)('entropy rows on %s: the row kernel equals the general path', (name, core) => {
  it('every row length near the loop boundaries, every number of rows, rows of every kind mixed', () => {
    const rng = new Rng(9001 + name.length);
    let fast = 0;
    for (const n of LENGTHS) {
      for (const nRows of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13]) {
        const rows = makeBatch(rng, nRows, n);
        const base = [undefined, 2, 10][rng.int(3)];
        const out = new Float64Array(nRows);
        const [nobase, dh, dl] = baseDivisor(base);
        // (bins zeroed first: the general path below can leave a slot whose two sets hold x and -x,
        // an exact zero that later calls carry along, but not all-zero bits)
        core.state().f64.fill(0, HEADER_BYTES >> 3);
        core.rows(source(rows, 'rows'), 0, nRows, n, out, 0, nobase, dh, dl);
        expect(binsClean(core)).toBe(true);
        for (let r = 0; r < nRows; r++) {
          if (Number.isNaN(out[r])) continue;
          fast++;
          const want = inBase(entropyOf(core, source(rows, 'rows'), r * n, n, n), base);
          if (!sameBits(out[r], want)) expect.fail(`n=${n} rows=${nRows} row ${r}: rows 0x${hex(out[r])} vs general 0x${hex(want)}`);
        }
      }
    }
    expect(fast).toBeGreaterThan(1000);
  });
});

describe('entropy batches of mixed rows: all engines agree, and each row has the bits of its one-shot call', () => {
  it.each(LENGTHS)('rows of %i weights', (n) => {
    const rng = new Rng(n * 7919);
    for (const nRows of [1, 2, 3, 4, 5, 7, 8, 11]) {
      const rows = makeBatch(rng, nRows, n);
      for (const base of [undefined, 2]) {
        const options = base === undefined ? undefined : { base };
        const got = ENGINES.map(([, e]) => e.entropyBatch(rows, n, options));
        for (let r = 0; r < nRows; r++) {
          const one = ENGINES[1][1].entropy(rows.subarray(r * n, (r + 1) * n), options);
          for (const [k, [en]] of ENGINES.entries()) {
            if (!sameBits(got[k][r], one)) expect.fail(`${en} n=${n} rows=${nRows} row ${r} base ${base}: 0x${hex(got[k][r])} vs one-shot 0x${hex(one)}`);
          }
        }
      }
    }
  });
});

/** NaNs with a payload only in the bits the grid's split clears (so that its hi part is an infinity), and the rest. */
const BAD_BITS = [0x7ff0000000000001n, 0xfff0000000000001n, 0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000003ffffffn, 0xfff4000000000000n];
const BAD_VALUES = [-1, -1e-300, -Infinity, Infinity, -(2 ** -1074)];

function caught(f: () => unknown): { code?: string; index?: number; message: string } {
  try {
    f();
  } catch (e) {
    const err = e as { code?: string; index?: number; message: string };
    return { code: err.code, index: err.index, message: err.message };
  }
  return { message: 'no error' };
}

describe('invalid weights at every position of a batch of short rows', () => {
  // The rows live in the test instance's WebAssembly memory above its fixed layout, so the kernels
  // read them in place: a NaN's payload reaches the grid exactly as written.
  const at = (wasmExports.layout_end() + 15) & ~15;
  const view = (len: number): Float64Array => {
    expect(at + len * 8).toBeLessThanOrEqual(wasmExports.memory.buffer.byteLength);
    return new Float64Array(wasmExports.memory.buffer, at, len);
  };

  /**
   * Every bad weight (BAD_BITS written as bits, then BAD_VALUES) at every position from `from` on
   * of a copy of good, in place; with `second`, another bad weight n + 1 later. The in-place call
   * must name position i, and every engine the same error on a plain copy. Returns the count.
   */
  const everyBadWeight = (good: Float64Array, n: number, from: number, second: boolean): number => {
    const bits = new BigUint64Array(1);
    const asF64 = new Float64Array(bits.buffer);
    let checked = 0;
    for (let i = from; i < good.length; i++) {
      const bads: number[] = [...BAD_BITS.map((b) => ((bits[0] = b), asF64[0])), ...BAD_VALUES];
      for (const [j, bad] of bads.entries()) {
        const rows = view(good.length);
        rows.set(good);
        if (j < BAD_BITS.length) new BigUint64Array(wasmExports.memory.buffer, at, good.length)[i] = BAD_BITS[j];
        else rows[i] = bad;
        // a second bad weight later on: the first one is the one reported
        if (second && i + n + 1 < good.length) rows[i + n + 1] = -3;
        const want = caught(() => wasmEngine.entropyBatch(rows, n));
        expect(want.index).toBe(i);
        const copy = rows.slice();
        for (const [en, e] of ENGINES) {
          const got = caught(() => e.entropyBatch(copy, n));
          if (got.code !== want.code || got.index !== want.index || got.message !== want.message) {
            expect.fail(`${en} n=${n} position ${i} value ${hex(bad)}: ${JSON.stringify(got)} vs in place ${JSON.stringify(want)}`);
          }
        }
        checked++;
      }
    }
    return checked;
  };

  it.each([2, 5, 8, 9, 16, 17])('rows of %i weights: the first bad weight is reported, the same on every engine', (n) => {
    const rng = new Rng(n * 31);
    const nRows = 6;
    const good = makeBatch(rng, nRows, n).map((x) => (x === 0 ? 0.5 : x)); // (no all-zero row)
    const checked = everyBadWeight(good, n, 0, true);
    expect(checked).toBe(good.length * (BAD_BITS.length + BAD_VALUES.length));
  });

  it.each([2, 5, 8, 9, 16, 17])('rows of %i weights after a row with a zero (the masked loop): the first bad weight is reported', (n) => {
    const rng = new Rng(n * 37);
    const nRows = 5;
    const good = makeBatch(rng, nRows, n).map((x) => (x === 0 ? 0.5 : x));
    good[rng.int(n)] = 0; // row 0 shows a zero: the later rows take the masked loop
    if (good.subarray(0, n).every((x) => x === 0)) good[0] = 0.5;
    const checked = everyBadWeight(good, n, n, false);
    expect(checked).toBe((good.length - n) * (BAD_BITS.length + BAD_VALUES.length));
  });
});

// The grid's two term loops: rows without zeros take the unmasked loop (its range from the high
// words, an odd row's last weight paired with itself for the log), and the first zero (or -0)
// seen in a call sends the call's later rows through the masked loop. So every kind of row,
// alone in batches without any zero, then after a row with a zero (or -0) at each place, and
// rows whose only zero is their last weight (the odd tail's lane 1 next to a real zero), and
// weights at the edges of the high-word range (exactly LOW, powers of two, whose bits - 1 are in
// the binade below, subnormals, the largest weight below HIGH).
const EDGE_KINDS = ['low-exact', 'pow2-only', 'subnormal', 'below-high', 'neg-zero'] as const;

function fillEdge(rng: Rng, kind: (typeof EDGE_KINDS)[number], row: Float64Array): void {
  const n = row.length;
  for (let i = 0; i < n; i++) row[i] = 0.5 + rng.float();
  const j = rng.int(n);
  switch (kind) {
    case 'low-exact': row[j] = 2 ** -950; if (rng.float() < 0.5) row.fill(2 ** -950 * 1.5); break;
    case 'pow2-only': for (let i = 0; i < n; i++) row[i] = 2 ** (rng.int(20) - 10); break;
    case 'subnormal': row[j] = rng.float() < 0.5 ? 2 ** -1074 : 2 ** -1030 * (1 + rng.float()); break;
    case 'below-high': row[j] = 2 ** 900 * (1 - 2 ** -53); break;
    case 'neg-zero': row[j] = -0; break;
  }
}

describe.each(CORES)('entropy rows on %s: unmasked and masked term loops', (name, core) => {
  const check = (rows: Float64Array, nRows: number, n: number, what: string): number => {
    const out = new Float64Array(nRows);
    core.state().f64.fill(0, HEADER_BYTES >> 3);
    core.rows(source(rows, 'rows'), 0, nRows, n, out, 0, 1, 0, 0);
    expect(binsClean(core)).toBe(true);
    let fast = 0;
    for (let r = 0; r < nRows; r++) {
      if (Number.isNaN(out[r])) continue;
      fast++;
      const want = inBase(entropyOf(core, source(rows, 'rows'), r * n, n, n), undefined);
      if (!sameBits(out[r], want)) expect.fail(`${what} n=${n} row ${r}: rows 0x${hex(out[r])} vs general 0x${hex(want)}`);
    }
    return fast;
  };
  const noZeros = (row: Float64Array, rng: Rng): void => {
    for (let i = 0; i < row.length; i++) if (row[i] === 0) row[i] = (0.5 + rng.float()) / row.length;
  };

  it('every kind of row without zeros, and after a row with a zero or -0 at each place', () => {
    const rng = new Rng(4242 + name.length);
    let fast = 0;
    for (const n of LENGTHS) {
      for (const kind of ROW_KINDS) {
        const nRows = 6;
        // no zero anywhere: every row through the unmasked loop
        const plain = new Float64Array(nRows * n);
        for (let r = 0; r < nRows; r++) {
          const row = plain.subarray(r * n, (r + 1) * n);
          fillRow(rng, kind, row);
          noZeros(row, rng);
        }
        fast += check(plain, nRows, n, `${kind} without zeros`);
        // row 0 dense with one zero (or -0) at place z: rows 1.. through the masked loop
        for (const z of new Set([0, n >> 1, n - 1])) {
          const after = new Float64Array((nRows + 1) * n);
          for (let i = 0; i < n; i++) after[i] = (0.5 + rng.float()) / n;
          after[z] = rng.float() < 0.5 ? 0 : -0;
          if (n === 1) after[0] = 0.25; // (no all-zero row)
          else if (z === 0 && n > 1) after[1] = 0.25;
          for (let r = 1; r <= nRows; r++) fillRow(rng, kind, after.subarray(r * n, (r + 1) * n));
          fast += check(after, nRows + 1, n, `${kind} after a zero at ${z}`);
        }
      }
      // rows whose only zero is the last weight (in the odd tail's pair, or a full last pair)
      if (n > 1) {
        const last = new Float64Array(5 * n);
        for (let i = 0; i < last.length; i++) last[i] = (0.5 + rng.float()) / n;
        for (let r = 0; r < 5; r++) if (rng.float() < 0.6) last[r * n + n - 1] = 0;
        fast += check(last, 5, n, 'last weight zero');
      }
      // weights at the edges of the range the high words give
      for (const kind of EDGE_KINDS) {
        const edge = new Float64Array(5 * n);
        for (let r = 0; r < 5; r++) fillEdge(rng, kind, edge.subarray(r * n, (r + 1) * n));
        check(edge, 5, n, kind);
      }
    }
    expect(fast).toBeGreaterThan(5000);
  });
});

describe("the grid reading's shortcut: ddAdd(twoSum(a, b), [+0, +0]) is [s0, s1 + 0]", () => {
  it('for random and edge pairs (b far below a, b zero or -0, a sum on a tie)', () => {
    const rng = new Rng(77);
    const pairs: [number, number][] = [[1, 0], [1, -0], [0.5, 2 ** -60], [1, -(2 ** -53)], [1, 2 ** -53], [3, 2 ** -52], [1 + 2 ** -52, -(2 ** -53)]];
    for (let i = 0; i < 20000; i++) {
      const a = (0.5 + rng.float()) * 2 ** (rng.int(60) - 30);
      const b = (rng.float() - 0.5) * a * 2 ** -(20 + rng.int(40));
      pairs.push([a, b], [-a, b]);
    }
    for (const [a, b] of pairs) {
      const [s0, s1] = twoSum(a, b);
      const want = ddAdd([s0, s1], [0, 0]);
      if (!sameBits(want[0], s0) || !sameBits(want[1], s1 + 0)) expect.fail(`a ${hex(a)} b ${hex(b)}: [${hex(want[0])}, ${hex(want[1])}] vs [${hex(s0)}, ${hex(s1 + 0)}]`);
    }
  });
});
