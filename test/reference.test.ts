// Accuracy against high-precision references: test/fixtures/reference.json, written by
// test/fixtures/reference.py with mpmath (80 digits or more: exact sums + 256 guard bits), for the
// exact doubles of each case.
// The contract: relative error <= 1e-12, or absolute error <= 1e-14 (1 + |ln sum p| + |ln sum q|)
// where the true value is tiny. Both engines; Infinity must be exact.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/engines';
import type { Engine } from '../src/api';

type Encoded = string[] | { repeat: string; n: number } | { ints: number[] };
interface Case {
  name: string;
  kind: 'entropy' | 'crossEntropy' | 'klDivergence';
  p: Encoded;
  q?: Encoded;
  base: number | null;
  expected: string;
  lnSumP: number;
  lnSumQ: number;
}

/** Python's float.hex, exactly: [-]0x<h>.<hhh>p<exp>. */
function fromHex(s: string): number {
  const m = /^(-?)0x([01])\.?([0-9a-f]*)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`bad hex float ${s}`);
  const frac = m[3].padEnd(13, '0');
  const mant = Number.parseInt(m[2] + frac, 16); // <= 53 bits: exact
  let e = Number.parseInt(m[4], 10) - 52;
  let v = mant;
  while (e < -1000) { v *= 2 ** -1000; e += 1000; } // exact while v stays normal or the result is exact
  v *= 2 ** e;
  return m[1] ? -v : v;
}

function decode(x: Encoded): Float64Array {
  if (Array.isArray(x)) return Float64Array.from(x, fromHex);
  if ('repeat' in x) return new Float64Array(x.n).fill(fromHex(x.repeat));
  return Float64Array.from(x.ints);
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

function run(e: Engine, c: Case): number {
  const p = decode(c.p);
  const opt = c.base === null ? undefined : { base: c.base };
  if (c.kind === 'entropy') return e.entropy(p, opt);
  const q = decode(c.q!);
  return c.kind === 'crossEntropy' ? e.crossEntropy(p, q, opt) : e.klDivergence(p, q, opt);
}

describe.each(ENGINES)('accuracy against mpmath references on %s', (name, e) => {
  it(`meets the accuracy contract on all ${fixture.cases.length} cases`, () => {
    expect(fixture.cases.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let worstUlps = 0;
    let worstCase = '';
    const absOnly: string[] = []; // cases that meet the contract only through the absolute bound
    for (const c of fixture.cases) {
      const got = run(e, c);
      if (c.expected === 'Infinity') {
        if (got !== Infinity) failures.push(`${c.name}: expected Infinity, got ${got}`);
        continue;
      }
      const want = Number(c.expected);
      const err = Math.abs(got - want);
      const relOk = err <= 1e-12 * Math.abs(want);
      const absBound = 1e-14 * (1 + c.lnSumP + c.lnSumQ);
      const absOk = err <= absBound;
      if (!(relOk || absOk) || Number.isNaN(got)) failures.push(`${c.name}: expected ${want}, got ${got} (error ${err})`);
      else if (!relOk) absOnly.push(`${c.name}: ${got} vs ${want} (error ${err.toExponential(2)}, bound ${absBound.toExponential(2)})`);
      else if (want !== 0) {
        // error in units of the last place of the expected value (2^-1074 for subnormals)
        const ulp = Math.max(Number.EPSILON * 2 ** Math.floor(Math.log2(Math.abs(want))), 2 ** -1074);
        const ulps = err / ulp;
        if (ulps > worstUlps) {
          worstUlps = ulps;
          worstCase = `${c.name}: ${got} vs ${want}`;
        }
      }
    }
    console.log(
      `${name}: largest error within the relative bound ${worstUlps.toFixed(0)} ulp (${worstCase}); ` +
        `${absOnly.length} case(s) within the absolute bound only${absOnly.length ? ':\n  ' + absOnly.join('\n  ') : ''}`,
    );
    expect(failures).toEqual([]);
  });

  // What the library claims beyond the contract (README, "Accuracy"). Entropy: absolute error at
  // most 2^-52 max(1, H) on every case (so relative <= 1e-14 once H >= 0.05; a tiny H from one dominant
  // weight, like [1, 1e13], is accurate only to that absolute bound, because the rounded terms of
  // S and U cancel). KL of p ~ q with relative noise eps: relative error <= 1e-16 / eps (the terms
  // are ~eps p and cancel to ~eps^2).
  it('beats the contract where the library claims more: entropy to 2^-52 max(1, H), KL of p ~ q to 1e-16/noise', () => {
    const loose: string[] = [];
    let checked = 0;
    for (const c of fixture.cases) {
      const want = Number(c.expected);
      if (!Number.isFinite(want)) continue;
      const err = Math.abs(run(e, c) - want);
      const noise = /p ~ q \((\S+) noise\)/.exec(c.name);
      if (c.kind === 'entropy') {
        checked++;
        if (!(err <= 2 ** -52 * Math.max(1, want))) loose.push(`${c.name}: absolute error ${err}`);
      } else if (c.kind === 'klDivergence' && noise) {
        checked++;
        const bound = 1e-16 / Number(noise[1]);
        if (!(err <= bound * Math.abs(want))) loose.push(`${c.name}: relative error ${err / Math.abs(want)} > ${bound}`);
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(loose).toEqual([]);
  });
});
