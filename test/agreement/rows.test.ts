// The row kernel (shannon_rows_f64, which finishes each row itself) against the general path
// (exact sums in TS, src/finalize.ts), bit for bit, on both cores. The engines' entropy and
// entropyBatch use the row kernel for rows up to a stage long, so the other agreement tests
// compare wasm rows with TS rows; this test pins both to the general formula.
import { describe, expect, it } from 'vitest';
import { scalarCore, tsCore, wasmCore } from '../helpers/engines';
import { divergenceOf, entropyOf } from '../../src/engine';
import { baseDivisor, inBase, logBase } from '../../src/finalize';
import { source } from '../../src/input';
import { KINDS, histogram } from '../helpers/gen';
import { Rng } from '../helpers/prng';
import { hex, sameBits } from '../helpers/bits';
import type { Core } from '../../src/driver';
import { HEADER_BYTES } from "../../src/kernels/exact";

const CORES: [string, Core][] = [['wasm-simd', wasmCore], ['wasm-scalar', scalarCore], ['ts', tsCore]];
const BASES = [undefined, 2, 10, 0.5, 3];

/** out[r] of the row kernel; NaN where it hands the row to the general path. */
function rowKernel(core: Core, rows: Float64Array, rowLength: number, base: number | undefined): Float64Array {
  const n = rows.length / rowLength;
  const out = new Float64Array(n);
  const [nobase, dh, dl] = baseDivisor(base);
  core.rows(source(rows, 'rows'), 0, n, rowLength, out, 0, nobase, dh, dl);
  return out;
}

/** out[r] of the pair row kernel (cross entropy, or KL with kl = true). */
function pairKernel(core: Core, kl: boolean, p: Float64Array, q: Float64Array, rowLength: number, base: number | undefined): Float64Array {
  const n = p.length / rowLength;
  const out = new Float64Array(n);
  const [nobase, d] = logBase(base);
  core.pairRows(kl, source(p, 'p'), source(q, 'q'), 0, n, rowLength, out, 0, nobase, d);
  return out;
}

/** Compare every row the pair kernel finished with the general path; returns how many it finished. */
function checkPairs(core: Core, what: string, p: Float64Array, q: Float64Array, rowLength: number, base: number | undefined): number {
  let fast = 0;
  for (const kl of [false, true]) {
    const out = pairKernel(core, kl, p, q, rowLength, base);
    for (let r = 0; r < out.length; r++) {
      if (Number.isNaN(out[r])) continue;
      fast++;
      const want = inBase(divergenceOf(core, kl, source(p, 'p'), source(q, 'q'), r * rowLength, rowLength, rowLength), base);
      if (!sameBits(out[r], want)) {
        expect.fail(`${kl ? 'KL' : 'CE'} ${what} rowLength=${rowLength} row ${r} base ${base}: rows ${out[r]} (0x${hex(out[r])}) vs general ${want} (0x${hex(want)})`);
      }
    }
  }
  return fast;
}

describe.each(CORES)('row kernel on %s equals the general path', (name, core) => {
  it.each(KINDS)('rows of %s weights, every base', (kind) => {
    const rng = new Rng(kind.length * 104729 + name.length);
    let fast = 0;
    for (const rowLength of [1, 2, 3, 16, 17, 100, 1000]) {
      const nRows = rowLength >= 1000 ? 8 : 64;
      const rows = new Float64Array(nRows * rowLength);
      for (let r = 0; r < nRows; r++) rows.set(histogram(rng, kind, rowLength), r * rowLength);
      for (const base of BASES) {
        const out = rowKernel(core, rows, rowLength, base);
        for (let r = 0; r < nRows; r++) {
          if (Number.isNaN(out[r])) continue; // handed back: the engine runs the general path
          fast++;
          const want = inBase(entropyOf(core, source(rows, 'rows'), r * rowLength, rowLength, rowLength), base);
          if (!sameBits(out[r], want)) {
            expect.fail(`${kind} rowLength=${rowLength} row ${r} base ${base}: rows ${out[r]} (0x${hex(out[r])}) vs general ${want} (0x${hex(want)})`);
          }
        }
      }
    }
    // kinds made only of ordinary weights must take the row kernel, not fall back
    if (['dense', 'zipf', 'counts', 'near1'].includes(kind)) expect(fast).toBeGreaterThan(1000);
  });

  it('rows of weights spread over all of [2^-950, 2^900), where ties and cancellations are common', () => {
    const rng = new Rng(7 + name.length);
    let fast = 0;
    for (let trial = 0; trial < 400; trial++) {
      const rowLength = 1 + rng.int(24);
      const nRows = 8;
      const rows = new Float64Array(nRows * rowLength);
      const spread = rng.int(4); // 0: the full range, 1..3: narrower ranges
      for (let i = 0; i < rows.length; i++) {
        const e = spread === 0 ? rng.int(1840) - 945 : rng.int(60 * spread) - 30 * spread;
        rows[i] = rng.float() < 0.2 ? 0 : rng.float() < 0.1 ? 2 ** e : (0.5 + rng.float()) * 2 ** e;
      }
      const base = BASES[rng.int(BASES.length)];
      const out = rowKernel(core, rows, rowLength, base);
      for (let r = 0; r < nRows; r++) {
        if (Number.isNaN(out[r])) continue;
        fast++;
        const want = inBase(entropyOf(core, source(rows, 'rows'), r * rowLength, rowLength, rowLength), base);
        if (!sameBits(out[r], want)) {
          expect.fail(`trial ${trial} row ${r} base ${base}: rows ${out[r]} (0x${hex(out[r])}) vs general ${want} (0x${hex(want)})`);
        }
      }
    }
    expect(fast).toBeGreaterThan(2500);
  });

  it.each(KINDS)('cross entropy and KL rows of %s p against every kind of q, every base', (kind) => {
    const rng = new Rng(kind.length * 7 + name.length * 1000);
    let fast = 0;
    for (const qKind of KINDS) {
      for (const rowLength of [1, 3, 16, 100]) {
        const nRows = 16;
        const p = new Float64Array(nRows * rowLength);
        const q = new Float64Array(nRows * rowLength);
        for (let r = 0; r < nRows; r++) {
          p.set(histogram(rng, kind, rowLength), r * rowLength);
          // q: another kind, or p itself nudged (KL of nearly equal rows, the log1p branch)
          const nudge = rng.float() < 0.3;
          const row = nudge ? p.subarray(r * rowLength, (r + 1) * rowLength).map((x) => x * (1 + (rng.float() - 0.5) * 1e-6)) : histogram(rng, qKind, rowLength);
          q.set(row, r * rowLength);
        }
        fast += checkPairs(core, `${kind}/${qKind}`, p, q, rowLength, BASES[rng.int(BASES.length)]);
      }
    }
    if (['dense', 'zipf', 'counts', 'near1'].includes(kind)) expect(fast).toBeGreaterThan(200);
  });

  it('cross entropy and KL rows with weights spread over [2^-950, 2^900), zeros and q = 0', () => {
    const rng = new Rng(99 + name.length);
    let fast = 0;
    for (let trial = 0; trial < 300; trial++) {
      const rowLength = 1 + rng.int(24);
      const nRows = 8;
      const p = new Float64Array(nRows * rowLength);
      const q = new Float64Array(nRows * rowLength);
      const spread = rng.int(4);
      const w = (): number => {
        const e = spread === 0 ? rng.int(1840) - 945 : rng.int(60 * spread) - 30 * spread;
        return rng.float() < 0.1 ? 2 ** e : (0.5 + rng.float()) * 2 ** e;
      };
      for (let i = 0; i < p.length; i++) {
        p[i] = rng.float() < 0.2 ? 0 : w();
        q[i] = rng.float() < 0.02 ? 0 : rng.float() < 0.2 ? p[i] * (1 + (rng.float() - 0.5) * 1e-3) || w() : w();
      }
      fast += checkPairs(core, `trial ${trial}`, p, q, rowLength, BASES[rng.int(BASES.length)]);
    }
    expect(fast).toBeGreaterThan(3000);
  });

  it('rows at the edges of the SIMD build\'s sums without bins: lengths around its loop steps and limit, -0, spreads near its bound', () => {
    const rng = new Rng(31337 + name.length);
    let fast = 0;
    for (const rowLength of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 199, 200, 201]) {
      for (let trial = 0; trial < 6; trial++) {
        const nRows = rowLength > 100 ? 4 : 12;
        const p = new Float64Array(nRows * rowLength);
        const q = new Float64Array(nRows * rowLength);
        // spreads of 18 to 34 binades: the grid's bound passes or fails (then the bins decide)
        const spread = 18 + rng.int(17);
        for (let i = 0; i < p.length; i++) {
          const e = rng.int(spread) - (spread >> 1);
          const k = rng.int(10);
          // -0, exact powers of two (u = 0), weights next to a power of two (|log z| tiny), or any
          p[i] = k === 0 ? -0 : k === 1 ? 2 ** e : k === 2 ? 2 ** e * (1 + 2 ** -(10 + rng.int(40))) : (0.5 + rng.float()) * 2 ** e;
          q[i] = k === 3 ? Math.abs(p[i]) || 1 : (0.5 + rng.float()) * 2 ** (rng.int(spread) - (spread >> 1));
        }
        const base = BASES[rng.int(BASES.length)];
        const out = rowKernel(core, p, rowLength, base);
        for (let r = 0; r < nRows; r++) {
          if (Number.isNaN(out[r])) continue;
          fast++;
          const want = inBase(entropyOf(core, source(p, 'rows'), r * rowLength, rowLength, rowLength), base);
          if (!sameBits(out[r], want)) expect.fail(`rowLength=${rowLength} spread ${spread} row ${r} base ${base}: rows 0x${hex(out[r])} vs general 0x${hex(want)}`);
        }
        fast += checkPairs(core, `edges spread ${spread}`, p, q, rowLength, base);
        expect(core.state().f64.subarray(HEADER_BYTES >> 3).every((v) => v === 0)).toBe(true);
      }
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it('rows whose K is zero (every weight in the k = 0 binades, or k c terms cancelling exactly), with zeros and -0, in every position of the four-row loop', () => {
    const rng = new Rng(4242 + name.length);
    const kinds = [
      () => 0.6875 + rng.float() * 0.68, // log_k = 0 for weights in [0x1.6p-1, 0x1.6p0)
      () => [0.5, 0.5, 0.5, 0.5, 2][rng.int(5)], // k = -1 and k = 1: four 0.5s and one 2 cancel
      () => (rng.int(2) ? -0 : 0),
    ];
    let fast = 0;
    for (const rowLength of [1, 2, 3, 5, 8, 15, 16, 17, 40]) {
      const nRows = 11;
      const p = new Float64Array(nRows * rowLength);
      for (let r = 0; r < nRows; r++) {
        const kind = r % 3;
        for (let j = 0; j < rowLength; j++) {
          const k = rng.int(8);
          p[r * rowLength + j] = kind === 1 ? [0.5, 0.5, 0.5, 0.5, 2][j % 5] : k === 0 ? kinds[2]() : kinds[kind === 2 ? rng.int(2) : 0]();
        }
        if (kind === 1 && rng.int(2)) p[r * rowLength + rng.int(rowLength)] = -0;
      }
      for (const base of [undefined, 2]) {
        const out = rowKernel(core, p, rowLength, base);
        for (let r = 0; r < nRows; r++) {
          if (Number.isNaN(out[r])) continue;
          fast++;
          const want = inBase(entropyOf(core, source(p, 'rows'), r * rowLength, rowLength, rowLength), base);
          if (!sameBits(out[r], want)) expect.fail(`rowLength=${rowLength} row ${r} base ${base}: rows 0x${hex(out[r])} vs general 0x${hex(want)}`);
        }
      }
      expect(core.state().f64.subarray(HEADER_BYTES >> 3).every((v) => v === 0)).toBe(true);
    }
    expect(fast).toBeGreaterThan(100);
  });

  it('hands back exactly the rows it cannot finish, and leaves no bin behind', () => {
    const rowLength = 4;
    const rows = Float64Array.from([
      0.5, 0.25, 0, 1, // ordinary
      0, 0, 0, 0, // all zero: the general path raises zero-sum
      1, 1e-300, 2, 3, // tiny weight: region 0
      1, 1e300, 2, 3, // huge weight: region 2
      1, -1, 2, 3, // invalid
      1, Number.NaN, 2, 3, // invalid
      7, 7, 7, 7, // ordinary again, after the others
    ]);
    const out = rowKernel(core, rows, rowLength, undefined);
    expect(Array.from(out, Number.isNaN)).toEqual([false, true, true, true, true, true, false]);
    expect(sameBits(out[6], inBase(entropyOf(core, source(rows, 'rows'), 24, 4, 4), undefined))).toBe(true);
    expect(core.state().f64.subarray(HEADER_BYTES >> 3).every((v) => v === 0)).toBe(true);
    const q = rows.map((x, i) => (i === 2 ? 0 : i === 26 ? -1 : x + 1)); // row 0: q = 0 where p = 0; row 6: bad q
    const ce = pairKernel(core, false, rows, q, rowLength, undefined);
    expect(Array.from(ce, Number.isNaN)).toEqual([false, true, true, true, true, true, true]);
    const inf = Float64Array.from([1, 2, 3, 4]);
    expect(pairKernel(core, true, inf, Float64Array.from([1, 0, 3, 4]), 4, 2)[0]).toBe(Infinity);
    expect(core.state().f64.subarray(HEADER_BYTES >> 3).every((v) => v === 0)).toBe(true);
  });
});
