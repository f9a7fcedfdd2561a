// The SIMD entropy kernel checks each block of twelve weights (six f64x2 pairs) and runs an
// irregular block element by element through the scalar code (and the last len % 12 elements of a
// call too). These tests put irregular values at every position of a block, at the starts and ends
// of the staging chunks (65536 elements: 5461 blocks and 4 left), in both of its loops (before and
// after the first block with a zero), and compare the result, or the error, with the scalar binary
// and the TS engine (`wasm` runs both binaries and requires the same bits or the same error).
import { describe, expect, it } from 'vitest';
import { tsEngineUnderTest as ts, wasmBoth as wasm } from '../helpers/engines';
import { Rng } from '../helpers/prng';
import { ODD, outcome, regular } from '../helpers/blocks';
import { sameBits } from '../helpers/bits';

const CHUNK = 65536;
const BLOCK = 12;

function agree(what: string, p: Float64Array): string {
  const a = outcome(() => wasm.entropy(p));
  const b = outcome(() => ts.entropy(p));
  if (a !== b) expect.fail(`${what}: wasm ${a} vs ts ${b}`);
  return a;
}

describe('SIMD entropy blocks: irregular values at every position', () => {
  it.each(ODD)('%s at each position 0..11 of a block, in both loops', (_name, x) => {
    const rng = new Rng(1234);
    for (const n of [12, 13, 24, 35, 36, 48, 64]) {
      for (const zeroFirst of [false, true]) {
        for (let pos = 0; pos < Math.min(n, 3 * BLOCK); pos++) {
          const p = regular(rng, n);
          // a zero in block 0 sends the rest of the call to the loop that substitutes zeros
          if (zeroFirst && pos >= BLOCK) p[rng.int(BLOCK)] = 0;
          p[pos] = x;
          agree(`n=${n} zeroFirst=${zeroFirst} p[${pos}]=${x}`, p);
        }
      }
    }
  });

  it.each(ODD)('%s at the starts and ends of staging chunks', (_name, x) => {
    const rng = new Rng(99);
    const n = 2 * CHUNK + 13;
    const base = regular(rng, n);
    const last = CHUNK - (CHUNK % BLOCK); // the chunk's tail after its last block
    for (const at of [0, 11, 12, last - 12, last - 1, last, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 11, CHUNK + 12, 2 * CHUNK - 1, 2 * CHUNK, n - 14, n - 13, n - 1]) {
      const p = base.slice();
      p[at] = x;
      agree(`n=${n} p[${at}]=${x}`, p);
      p[3] = 0; // and with the zero-substituting loop from block 0 on
      agree(`n=${n} p[3]=0 p[${at}]=${x}`, p);
    }
  });

  it('odd lengths: the tail after the last whole block', () => {
    const rng = new Rng(5);
    for (let n = 1; n <= 50; n++) {
      for (let t = 0; t < 4; t++) {
        const p = regular(rng, n);
        const at = rng.int(n);
        p[at] = ODD[rng.int(ODD.length)][1];
        if (!p.some((v) => v > 0)) p[0] = 1;
        agree(`n=${n} p[${at}]=${p[at]}`, p);
      }
    }
  });

  it('several invalid values: the first in index order is reported', () => {
    const bad = [NaN, -1, -0.5, Infinity, -Infinity, -5e-324];
    const rng = new Rng(77);
    for (let t = 0; t < 300; t++) {
      const n = 1 + rng.int(rng.float() < 0.2 ? 3 * CHUNK : 100);
      const p = regular(rng, n);
      // other irregular but valid values around them
      for (let k = rng.int(4); k > 0; k--) p[rng.int(n)] = [0, 1e-320, 1e-300, 1e300, 1][rng.int(5)];
      const at: number[] = [];
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const j = rng.int(n);
        p[j] = bad[rng.int(bad.length)];
        at.push(j);
      }
      const first = Math.min(...at);
      const r = agree(`t=${t} n=${n} bad at ${at}`, p);
      expect(r, `t=${t}`).toContain(` p ${first} `);
    }
    // in one block, in the second lane of a pair, after a later pair's invalid value
    const p = regular(rng, 30);
    p[23] = NaN;
    p[15] = -2;
    p[14] = 0;
    p[16] = Infinity;
    expect(agree('block 1', p)).toContain(' p 15 ');
  });

  it('random mixtures of regular and irregular values, in one chunk and across chunks', () => {
    const rng = new Rng(2026);
    for (let t = 0; t < 60; t++) {
      const n = 1 + rng.int(rng.float() < 0.3 ? 2 * CHUNK + 100 : 300);
      const p = regular(rng, n);
      const rate = [0.001, 0.01, 0.1, 0.5][rng.int(4)];
      for (let i = 0; i < n; i++) {
        if (rng.float() < rate) {
          const v = ODD[rng.int(ODD.length)][1];
          p[i] = Number.isNaN(v) || v < 0 || v === Infinity ? 0 : v; // valid ones only: a number to compare
        }
      }
      if (!p.some((v) => v > 0)) p[0] = 1;
      const r = agree(`t=${t} n=${n}`, p);
      expect(r.startsWith('value'), r).toBe(true);
    }
  });

  it('widely spread weights in one chunk (the slot ranges formed after the loop)', () => {
    const rng = new Rng(31337);
    for (let t = 0; t < 40; t++) {
      const n = 8 * (1 + rng.int(200));
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const e = rng.int(1849) - 949; // every binade of [LOW, HIGH)
        const r = rng.int(5);
        // next to z = 1 (u far below c) on both sides, zeros, and plain ones
        p[i] = r === 0 ? 2 ** e * (1 + 2 ** -(1 + rng.int(52))) : r === 1 ? 2 ** e * (1 - 2 ** -(1 + rng.int(52))) : r === 2 && t & 1 ? 0 : (0.5 + rng.float()) * 2 ** e;
      }
      if (!p.some((v) => v > 0)) p[0] = 1;
      const a = wasm.entropy(p);
      const b = ts.entropy(p);
      if (!sameBits(a, b)) expect.fail(`t=${t}: wasm ${a} vs ts ${b}`);
    }
  });
});
