// The SIMD pair kernel (cross entropy and KL) checks each block of twelve (p, q) pairs (six f64x2
// pairs) and runs an irregular block element by element through the scalar code (and the last
// len % 12 elements of a call too); KL also sends a block whose ratios p/q might not be normal
// there, and CE runs a block whose q may be near 1 through its near-1 copy. These tests put
// irregular values in p or in q at every position of a block, at the starts and ends of the
// staging chunks (65536 elements: 5461 blocks and 4 left), in both of its loops (before and after
// the first block with a zero p), and compare the result, or the error, with the scalar binary and
// the TS engine (`wasm` runs both binaries and requires the same bits or the same error); the
// exact sums themselves (accumulator states, bins left clean) are compared too.
import { describe, expect, it } from 'vitest';
import { scalarCore, tsCore, tsEngineUnderTest as ts, wasmBoth as wasm, wasmCore } from '../helpers/engines';
import { DivergenceAccumulator } from '../../src/accumulator';
import { setCurrentCore } from '../../src/runtime';
import { addPair } from '../../src/driver';
import { emptySum, fsum } from '../../src/exact';
import { source } from '../../src/input';
import { Rng } from '../helpers/prng';
import { ODD as ODD_VALUES, outcome, regular } from '../helpers/blocks';
import { hex, nextUp } from '../helpers/bits';
import { LOW } from '../../src/kernels/exact';
import type { Core } from '../../src/driver';

const CHUNK = 65536;
const BLOCK = 12;
const CORES: [string, Core][] = [['wasm-simd', wasmCore], ['wasm-scalar', scalarCore], ['ts', tsCore]];
const MEASURES = ['crossEntropy', 'klDivergence'] as const;
type Measure = (typeof MEASURES)[number];

function agree(what: string, m: Measure, p: Float64Array, q: Float64Array): string {
  const a = outcome(() => wasm[m](p, q));
  const b = outcome(() => ts[m](p, q));
  if (a !== b) expect.fail(`${what} ${m}: wasm ${a} vs ts ${b}`);
  return a;
}

function agreeBoth(what: string, p: Float64Array, q: Float64Array): void {
  for (const m of MEASURES) agree(what, m, p, q);
}

// Irregular for the block check in p or q (and a few regular values that take the f64x2 code's
// own special cases: q near 1, a power of two, the bounds themselves): the entropy kernel's list
// and the edges of CE's q window.
const ODD: [string, number][] = [
  ...ODD_VALUES.slice(0, -1), ['0.9375', 0.9375], ['below 1.0647', nextUp(1.064697265625, -1)], ...ODD_VALUES.slice(-1),
];

// (p, q) pairs irregular or special through their ratio: near 1 (KL's window and its edges),
// ratios that overflow or underflow, and exponent differences at KL's per-block bound.
const RATIOS: [string, (q: number) => [number, number]][] = [
  ['p = q', (q) => [q, q]],
  ['p = q (1 + 2^-30)', (q) => [q * (1 + 2 ** -30), q]],
  ['p = 0.95 q', (q) => [q * 0.95, q]],
  ['p = 1.06 q', (q) => [q * 1.06, q]],
  ['p = 0.9375 q', (q) => [q * 0.9375, q]],
  ['r overflows', () => [2 ** 850, 2 ** -200]],
  ['r underflows', () => [2 ** -900, 2 ** 200]],
  ['r subnormal', () => [2 ** -900, 2 ** 130]],
  ['e(p) - e(q) = 1021', () => [1.9 * 2 ** 821, 2 ** -200]],
  ['e(p) - e(q) = 1022', () => [1.1 * 2 ** 822, 2 ** -200]],
  ['e(p) - e(q) = -1020', () => [1.1 * 2 ** -820, 1.9 * 2 ** 200]],
  ['e(p) - e(q) = -1021', () => [1.9 * 2 ** -821, 1.1 * 2 ** 200]],
  ['p = 0, q tiny', () => [0, 2 ** -940]],
  ['p > 0, q = 0', () => [0.25, 0]],
  ['p = 0, q = 0', () => [0, 0]],
];

describe('SIMD pair blocks: irregular values at every position', () => {
  it.each(ODD)('%s in p or in q at each position 0..35, in both loops', (_name, x) => {
    const rng = new Rng(1234);
    for (const n of [12, 13, 24, 35, 36, 48, 64]) {
      for (const zeroFirst of [false, true]) {
        for (const inQ of [false, true]) {
          for (let pos = 0; pos < Math.min(n, 3 * BLOCK); pos++) {
            const p = regular(rng, n);
            const q = regular(rng, n);
            // a zero p in block 0 sends the rest of the call to the loop that substitutes zeros
            if (zeroFirst && pos >= BLOCK) p[rng.int(BLOCK)] = 0;
            (inQ ? q : p)[pos] = x;
            agreeBoth(`n=${n} zeroFirst=${zeroFirst} ${inQ ? 'q' : 'p'}[${pos}]=${x}`, p, q);
          }
        }
      }
    }
  });

  it.each(RATIOS)('%s at each position 0..35, in both loops', (_name, pair) => {
    const rng = new Rng(4321);
    for (const n of [12, 25, 36, 48]) {
      for (const zeroFirst of [false, true]) {
        for (let pos = 0; pos < Math.min(n, 3 * BLOCK); pos++) {
          const p = regular(rng, n);
          const q = regular(rng, n);
          if (zeroFirst && pos >= BLOCK) p[rng.int(BLOCK)] = 0;
          [p[pos], q[pos]] = pair(q[pos]);
          agreeBoth(`n=${n} zeroFirst=${zeroFirst} (p, q)[${pos}] = (${p[pos]}, ${q[pos]})`, p, q);
        }
      }
    }
  });

  it('near-1 ratios and near-1 q in many pairs of many blocks (KL mask across blocks, CE near copy)', () => {
    const rng = new Rng(606);
    for (let t = 0; t < 40; t++) {
      const n = 1 + rng.int(t < 20 ? 400 : 3000);
      const q = regular(rng, n);
      const p = regular(rng, n);
      const rate = [0.02, 0.1, 0.5, 1][t & 3];
      for (let i = 0; i < n; i++) {
        if (rng.float() < rate) p[i] = q[i] * (0.93 + 0.14 * rng.float());
        if (t & 4 && rng.float() < rate) q[i] = 0.93 + 0.14 * rng.float();
        if (t & 8 && rng.float() < 0.1) p[i] = 0;
      }
      if (!p.some((v) => v > 0)) p[0] = 1;
      agreeBoth(`t=${t} n=${n}`, p, q);
    }
  });

  it.each(ODD)('%s at the starts and ends of staging chunks', (_name, x) => {
    const rng = new Rng(99);
    const n = 2 * CHUNK + 13;
    const baseP = regular(rng, n);
    const baseQ = regular(rng, n);
    const last = CHUNK - (CHUNK % BLOCK); // the chunk's tail after its last block
    for (const at of [0, 11, 12, last - 12, last - 1, last, CHUNK - 1, CHUNK, CHUNK + 11, CHUNK + 12, 2 * CHUNK - 1, 2 * CHUNK, n - 13, n - 1]) {
      for (const inQ of [false, true]) {
        const p = baseP.slice();
        const q = baseQ.slice();
        (inQ ? q : p)[at] = x;
        agreeBoth(`n=${n} ${inQ ? 'q' : 'p'}[${at}]=${x}`, p, q);
        p[3] = 0; // and with the zero-substituting loop from block 0 on
        agreeBoth(`n=${n} p[3]=0 ${inQ ? 'q' : 'p'}[${at}]=${x}`, p, q);
      }
    }
  });

  it('odd lengths: the tail after the last whole block', () => {
    const rng = new Rng(5);
    for (let n = 1; n <= 50; n++) {
      for (let t = 0; t < 4; t++) {
        const p = regular(rng, n);
        const q = regular(rng, n);
        const at = rng.int(n);
        (t & 1 ? q : p)[at] = ODD[rng.int(ODD.length)][1];
        if (!p.some((v) => v > 0)) p[0] = 1;
        agreeBoth(`n=${n} t=${t} at ${at}`, p, q);
      }
    }
  });

  it('several invalid values: the first in index order is reported (p before q at the same index)', () => {
    const bad = [NaN, -1, -0.5, Infinity, -Infinity, -5e-324];
    const rng = new Rng(77);
    for (let t = 0; t < 300; t++) {
      const n = 1 + rng.int(rng.float() < 0.15 ? 3 * CHUNK : 100);
      const p = regular(rng, n);
      const q = regular(rng, n);
      // other irregular but valid values around them
      for (let k = rng.int(4); k > 0; k--) (rng.int(2) ? q : p)[rng.int(n)] = [0, 1e-320, 1e-300, 1e300, 1][rng.int(5)];
      const atP: number[] = [];
      const atQ: number[] = [];
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const j = rng.int(n);
        const inQ = rng.int(2) === 1;
        (inQ ? q : p)[j] = bad[rng.int(bad.length)];
        (inQ ? atQ : atP).push(j);
      }
      for (const m of MEASURES) {
        const r = agree(`t=${t} n=${n} bad p at ${atP} q at ${atQ}`, m, p, q);
        // the lower index; p on a tie (src/driver.ts)
        const fp = atP.length > 0 ? Math.min(...atP) : Infinity;
        const fq = atQ.length > 0 ? Math.min(...atQ) : Infinity;
        expect(r, `t=${t}`).toContain(fp <= fq ? ` p ${fp} ` : ` q ${fq} `);
      }
    }
    // in one block, in the second lane of a pair, after a later pair's invalid value
    const p = regular(rng, 30);
    const q = regular(rng, 30);
    p[23] = NaN;
    q[17] = -1;
    p[15] = -2;
    q[15] = -3;
    p[14] = 0;
    q[16] = Infinity;
    for (const m of MEASURES) expect(agree('block 1', m, p, q)).toContain(' p 15 ');
    p[15] = 1;
    for (const m of MEASURES) expect(agree('block 1, q first', m, p, q)).toContain(' q 15 ');
  });

  it('random mixtures of regular and irregular values, in one chunk and across chunks', () => {
    const rng = new Rng(2026);
    for (let t = 0; t < 60; t++) {
      const n = 1 + rng.int(rng.float() < 0.3 ? 2 * CHUNK + 100 : 300);
      const p = regular(rng, n);
      const q = regular(rng, n);
      const rate = [0.001, 0.01, 0.1, 0.5][rng.int(4)];
      for (let i = 0; i < n; i++) {
        for (const a of [p, q]) {
          if (rng.float() < rate) {
            const v = ODD[rng.int(ODD.length)][1];
            a[i] = Number.isNaN(v) || v < 0 || v === Infinity ? 0 : v; // valid ones only: a number to compare
          }
        }
        if (rng.float() < rate) [p[i], q[i]] = RATIOS[rng.int(RATIOS.length)][1](0.5 + rng.float());
      }
      if (!p.some((v) => v > 0)) p[0] = 1;
      for (const m of MEASURES) {
        const r = agree(`t=${t} n=${n}`, m, p, q);
        expect(r.startsWith('value'), r).toBe(true);
      }
    }
  });

  it('widely spread values in one chunk: the exact sums on every core, and clean bins (slot ranges formed after the loop)', () => {
    const rng = new Rng(31337);
    for (let t = 0; t < 40; t++) {
      const n = t < 4 ? [12, 24, 36, 4096][t] : 12 * (1 + rng.int(300)) + rng.int(12);
      const p = new Float64Array(n);
      const q = new Float64Array(n);
      const e0 = rng.int(1849) - 949;
      const span = t & 1 ? 1849 : 1 + rng.int(60);
      const val = (e: number, r: number): number =>
        r === 0 ? 2 ** e * (1 + 2 ** -(1 + rng.int(52)))
          : r === 1 ? 2 ** e * (1 - 2 ** -(1 + rng.int(53)))
          : r === 2 ? 2 ** e
          : r === 3 ? [LOW, 2 ** 900 * (1 - 2 ** -53), 1, 0.9375, nextUp(1.064697265625, -1)][rng.int(5)]
          : (0.5 + rng.float()) * 2 ** e;
      for (let i = 0; i < n; i++) {
        p[i] = t % 3 === 0 && rng.int(6) === 0 ? 0 : val(Math.min(899, e0 + rng.int(span)), rng.int(8));
        q[i] = t % 4 === 1 && rng.int(3) === 0 ? p[i] * (0.94 + 0.12 * rng.float()) || 0.5 : val(Math.min(899, e0 + rng.int(span)), rng.int(8));
      }
      for (const kl of [false, true]) {
        const ref: number[][] = [];
        for (const [name, core] of CORES) {
          const sums = [emptySum(), emptySum(), emptySum()];
          addPair(core, kl, source(p, 'p'), source(q, 'q'), 0, n, sums[0], sums[1], sums[2]);
          const f = core.state().f64;
          const nonzero = f.findIndex((x, i) => i >= 8 && !Object.is(x, 0));
          expect(nonzero, `${name} kl=${kl} t=${t} n=${n}: bin ${nonzero} = ${f[nonzero]}`).toBe(-1);
          const got = sums.flatMap((s) => s.map((r) => fsum(r)));
          if (ref.length === 0) ref.push(got);
          else expect(got.map(hex), `${name} kl=${kl} t=${t} n=${n}`).toEqual(ref[0].map(hex));
        }
      }
      agreeBoth(`t=${t} n=${n}`, p, q);
    }
  });
});

describe('SIMD pair blocks through batches and accumulators', () => {
  it('batches: long rows (the chunk kernel) and short rows with irregular values (grid fallback)', () => {
    const rng = new Rng(808);
    for (let t = 0; t < 30; t++) {
      const rowLength = [13, 36, 150, 201, 300, 1000][t % 6];
      const rows = 1 + rng.int(6);
      const n = rows * rowLength;
      const p = regular(rng, n);
      const q = regular(rng, n);
      for (let k = rng.int(3 * rows); k > 0; k--) {
        const i = rng.int(n);
        const v = ODD[rng.int(ODD.length)][1];
        const valid = !(Number.isNaN(v) || v < 0 || v === Infinity);
        if (t % 5 === 4 || valid) (rng.int(2) ? q : p)[i] = v; // every fifth batch may raise
        else [p[i], q[i]] = RATIOS[rng.int(RATIOS.length)][1](q[i]);
      }
      for (let r = 0; r < rows; r++) if (!p.subarray(r * rowLength, (r + 1) * rowLength).some((v) => v > 0)) p[r * rowLength] = 1;
      const a = outcome(() => wasm.crossEntropyBatch(p, q, rowLength));
      const b = outcome(() => ts.crossEntropyBatch(p, q, rowLength));
      if (a !== b) expect.fail(`t=${t} CE batch: wasm ${a} vs ts ${b}`);
      const c = outcome(() => wasm.klDivergenceBatch(p, q, rowLength));
      const d = outcome(() => ts.klDivergenceBatch(p, q, rowLength));
      if (c !== d) expect.fail(`t=${t} KL batch: wasm ${c} vs ts ${d}`);
    }
  });

  it('accumulators: random splits give the same exact state on every core', () => {
    const rng = new Rng(909);
    for (let t = 0; t < 20; t++) {
      const n = 1 + rng.int(t < 15 ? 2000 : 2 * CHUNK + 50);
      const p = regular(rng, n);
      const q = regular(rng, n);
      for (let k = rng.int(12); k > 0; k--) {
        const i = rng.int(n);
        const v = ODD[rng.int(ODD.length)][1];
        if (!(Number.isNaN(v) || v < 0 || v === Infinity)) (rng.int(2) ? q : p)[i] = v;
        else [p[i], q[i]] = RATIOS[rng.int(RATIOS.length)][1](q[i]);
      }
      if (!p.some((v) => v > 0)) p[0] = 1;
      const cuts = [0, n];
      for (let k = rng.int(6); k > 0; k--) cuts.push(rng.int(n + 1));
      cuts.sort((x, y) => x - y);
      const states = CORES.map(([, core]) => {
        setCurrentCore(core);
        try {
          const acc = new DivergenceAccumulator();
          for (let k = 0; k + 1 < cuts.length; k++) acc.update(p.subarray(cuts[k], cuts[k + 1]), q.subarray(cuts[k], cuts[k + 1]));
          return JSON.stringify([acc, hex(acc.crossEntropy()), hex(acc.klDivergence())]);
        } finally {
          setCurrentCore(wasmCore);
        }
      });
      expect(states[0], `t=${t} n=${n} simd`).toBe(states[2]);
      expect(states[1], `t=${t} n=${n} scalar`).toBe(states[2]);
    }
  });
});
