// The row kernels' two ways of reading a row's sums (fixed grid, Shewchuk partials) and their
// hand-backs, on rows built to take each one, bit for bit against the general path on every core;
// and 1-element pair rows, bit for bit on every core and engine.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINES, scalarCore, tsCore, wasmCore } from '../helpers/engines';
import { divergenceOf, entropyOf } from '../../src/engine';
import { baseDivisor, inBase, logBase } from '../../src/finalize';
import { source } from '../../src/input';
import { HEADER_BYTES } from '../../src/kernels/exact';
import { ROW_SLOTS } from '../../src/kernels/rows';
import { Rng } from '../helpers/prng';
import { hex, sameBits } from '../helpers/bits';
import type { Core } from '../../src/driver';

const CORES: [string, Core][] = [['wasm-simd', wasmCore], ['wasm-scalar', scalarCore], ['ts', tsCore]];

function binsClean(core: Core): boolean {
  return core.state().f64.subarray(HEADER_BYTES >> 3).every((v) => v === 0);
}

/** Rows of length n, by kind: each kind aims at one way of reading the sums. */
function makeRows(rng: Rng, kind: string, nRows: number, n: number): Float64Array {
  const a = new Float64Array(nRows * n);
  for (let i = 0; i < a.length; i++) {
    const u = 0.5 + rng.float();
    switch (kind) {
      // weights next to a power of two: c log z far below c (U's far slots, the partials)
      case 'near-pow2': a[i] = rng.float() < 0.3 ? 2 ** (rng.int(20) - 10) * (1 + (rng.float() < 0.5 ? -1 : 1) * 2 ** -(8 + rng.int(45))) : u; break;
      // weights over 40 binades: S and K beyond the fixed grid's reach
      case 'wide': a[i] = u * 2 ** (rng.int(40) - 20); break;
      // integer counts: K = sum k c with k up to 20
      case 'counts': a[i] = 1 + rng.int(1 << 20); break;
      // ordinary weights in a narrow range (the fixed grid)
      case 'narrow': a[i] = u; break;
      // exact powers of two and zeros: u = 0 terms, empty U slots
      case 'pow2': a[i] = rng.float() < 0.3 ? 0 : 2 ** (rng.int(8) - 4); break;
    }
  }
  return a;
}

function checkEntropyRows(core: Core, rows: Float64Array, n: number, base: number | undefined, what: string): number {
  const m = rows.length / n;
  const out = new Float64Array(m);
  const [nobase, dh, dl] = baseDivisor(base);
  core.rows(source(rows, 'rows'), 0, m, n, out, 0, nobase, dh, dl);
  expect(binsClean(core)).toBe(true);
  let fast = 0;
  for (let r = 0; r < m; r++) {
    if (Number.isNaN(out[r])) continue;
    fast++;
    const want = inBase(entropyOf(core, source(rows, 'rows'), r * n, n, n), base);
    if (!sameBits(out[r], want)) expect.fail(`${what} row ${r}: rows 0x${hex(out[r])} vs general 0x${hex(want)}`);
  }
  return fast;
}

function checkPairRows(core: Core, kl: boolean, p: Float64Array, q: Float64Array, n: number, base: number | undefined, what: string): number {
  const m = p.length / n;
  const out = new Float64Array(m);
  const [nobase, d] = logBase(base);
  core.pairRows(kl, source(p, 'p'), source(q, 'q'), 0, m, n, out, 0, nobase, d);
  expect(binsClean(core)).toBe(true);
  let fast = 0;
  for (let r = 0; r < m; r++) {
    if (Number.isNaN(out[r])) continue;
    fast++;
    const want = inBase(divergenceOf(core, kl, source(p, 'p'), source(q, 'q'), r * n, n, n), base);
    if (!sameBits(out[r], want)) expect.fail(`${kl ? 'KL' : 'CE'} ${what} row ${r}: rows 0x${hex(out[r])} vs general 0x${hex(want)}`);
  }
  return fast;
}

describe.each(CORES)('row kernels on %s: every way of reading the sums equals the general path', (name, core) => {
  const KINDS = ['near-pow2', 'wide', 'counts', 'narrow', 'pow2'];

  it.each(KINDS)('entropy rows of %s weights', (kind) => {
    const rng = new Rng(kind.length * 31 + name.length);
    let fast = 0;
    for (const n of [2, 5, 16, 33, 100, 700, 5000]) {
      const rows = makeRows(rng, kind, n >= 700 ? 4 : 40, n);
      for (const base of [undefined, 2, 10]) fast += checkEntropyRows(core, rows, n, base, `${kind} n=${n} base ${base}`);
    }
    expect(fast).toBeGreaterThan(100);
  });

  it.each(KINDS)('cross entropy and KL rows of %s p, q nearly p, equal to p, or independent', (kind) => {
    const rng = new Rng(kind.length * 77 + name.length);
    let fast = 0;
    for (const n of [2, 5, 16, 100, 700]) {
      const p = makeRows(rng, kind, n >= 700 ? 4 : 24, n);
      const mode = rng.int(3);
      const q = mode === 0 ? p.map((x) => x * (1 + (rng.float() - 0.5) * 2 ** -(10 + rng.int(40)))) : mode === 1 ? p.slice() : makeRows(rng, kind, p.length / n, n);
      for (const kl of [false, true]) for (const base of [undefined, 2]) fast += checkPairRows(core, kl, p, q, n, base, `${kind} n=${n} mode ${mode}`);
    }
    expect(fast).toBeGreaterThan(50);
  });

  it('rows touching more slots than a slot list holds are handed back, and leave no bin behind', () => {
    // one weight per binade over 3 * ROW_SLOTS binades: more nonzero slots than the list holds
    const n = 3 * ROW_SLOTS;
    const rows = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      rows[i] = 1.3 * 2 ** (i - 400);
      rows[n + i] = 1 + i; // the second row is ordinary
    }
    const out = new Float64Array(2);
    core.rows(source(rows, 'rows'), 0, 2, n, out, 0, 1, 0, 0);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(sameBits(out[1], inBase(entropyOf(core, source(rows, 'rows'), n, n, n), undefined))).toBe(true);
    expect(binsClean(core)).toBe(true);
    checkPairRows(core, true, rows, rows.slice().reverse(), n, undefined, 'over-full');
  });
});

describe('1-element pair rows (the pair kernels run a 1-element chunk by the scalar code)', () => {
  it('1-element pair rows: the WebAssembly row kernel, the TS row kernel and the engines agree bit for bit', () => {
    const rng = new Rng(4242);
    const m = 2000;
    const p = new Float64Array(m);
    const q = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const e = rng.int(4);
      p[i] = e === 0 ? 0 : e === 1 ? rng.float() * 2 ** (rng.int(1800) - 900) : rng.float() < 0.1 ? 1e-310 : rng.float();
      q[i] = rng.float() < 0.05 ? 0 : e === 2 ? p[i] : rng.float() * 2 ** (rng.int(200) - 100);
    }
    p[0] = 0;
    q[0] = 0; // an all-zero row pair: handed back (the engines raise zero-sum)
    for (const kl of [false, true]) {
      const raw = CORES.map(([, c]) => {
        const out = new Float64Array(m);
        c.pairRows(kl, source(p, 'p'), source(q, 'q'), 0, m, 1, out, 0, 1, 0);
        return out;
      });
      for (let i = 0; i < m; i++) {
        if (!sameBits(raw[0][i], raw[2][i]) || !sameBits(raw[1][i], raw[2][i])) {
          expect.fail(`${kl ? 'KL' : 'CE'} row ${i}: simd 0x${hex(raw[0][i])} scalar 0x${hex(raw[1][i])} ts 0x${hex(raw[2][i])}`);
        }
      }
      // the engines (dispatched) against each other, per row and in one batch (a zero p or q would
      // be a zero-sum error in a 1-element histogram)
      const p1 = p.map((x) => x || 0.5), q1 = q.map((x) => x || 0.25);
      const batches = ENGINES.map(([, e]) => (kl ? e.klDivergenceBatch : e.crossEntropyBatch)(p1, q1, 1, { base: 2 }));
      for (let i = 0; i < m; i++) {
        const one = ENGINES.map(([, e]) => (kl ? e.klDivergence : e.crossEntropy)([p1[i]], [q1[i]], { base: 2 }));
        for (const [k, v] of one.entries()) {
          if (!sameBits(v, batches[0][i]) || !sameBits(batches[k][i], batches[0][i])) {
            expect.fail(`${kl ? 'KL' : 'CE'} element ${i} on ${ENGINES[k][0]}: 0x${hex(v)} / 0x${hex(batches[k][i])} vs 0x${hex(batches[0][i])}`);
          }
        }
      }
    }
  });
});

describe('twins', () => {
  it('entropy_finish_x4 is entropy_finish_x2 statement by statement, twice (rows A and B interleaved)', () => {
    const src = readFileSync('assembly/kernels/rows.ts', 'utf8');
    const body = (name: string): string[] => {
      const start = src.indexOf(`function ${name}(`);
      return src.slice(start, src.indexOf('\n}\n', start)).split('\n').slice(1).map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('//'));
    };
    const x2 = body('entropy_finish_x2');
    const x4 = body('entropy_finish_x4');
    const locals = new Set(['a']);
    for (const l of x2) for (const m of l.matchAll(/(?:let |, )(\w+) =/g)) locals.add(m[1]);
    for (const n of ['VZERO', 'VSPLIT', 'VLN2_HI', 'VLN2_LO', 'vdh', 'vdl']) locals.delete(n);
    const unsuffix = (l: string, x: string): string => l
      .replace(new RegExp(`\\bv128\\.store\\(o${x}, (.*)\\);$`), 'return $1;')
      .replace(/\b(\w+)\b/g, (w) => (w.endsWith(x) && locals.has(w.slice(0, -1)) ? w.slice(0, -1) : w));
    const has = (l: string, x: string): boolean => [...l.matchAll(/\b(\w+)\b/g)].some(([w]) => w.endsWith(x) && locals.has(w.slice(0, -1)));
    const perRow = x2.filter((l) => [...l.matchAll(/\b(\w+)\b/g)].some(([w]) => locals.has(w)));
    for (const x of ['A', 'B']) {
      const rows = x4.filter((l) => has(l, x) && !has(l, x === 'A' ? 'B' : 'A')).map((l) => unsuffix(l, x));
      expect(rows).toEqual(perRow);
    }
    // and the lines that name no row (constants, the base test, braces) are x2's, in order
    const shared = (ls: string[]): string[] => ls.filter((l) => ![...l.matchAll(/\b(\w+)\b/g)].some(([w]) => locals.has(w) || (locals.has(w.slice(0, -1)) && /[AB]$/.test(w))));
    expect(shared(x4)).toEqual(shared(x2));
    expect(perRow.length).toBeGreaterThan(150);
  });


  it('entropy_finish, written out step by step, is the same text in assembly/ and src/', () => {
    const body = (file: string): string[] => {
      const src = readFileSync(file, 'utf8');
      const start = src.indexOf('function entropy_finish(');
      const end = src.indexOf('\n}\n', start);
      return src.slice(start, end).split('\n').slice(1)
        .map((l) => l.trim().replace(/^(let|const) /, 'let ').replace(/ !== /g, ' != ').replace(/ === /g, ' == '));
    };
    const as = body('assembly/kernels/rows.ts');
    const ts = body('src/kernels/rows.ts');
    // the only differences: TS reads the high word of sh once and passes it to log_k / log_z_f64
    const tsOnly = ts.filter((l) => !as.includes(l));
    const asOnly = as.filter((l) => !ts.includes(l));
    expect(tsOnly).toEqual(['let hw = highWord(sh);', 'let kS = log_k(hw);', 'let lzS = log_z_f64(sh, hw) + sl / sh;']);
    expect(asOnly).toEqual(['let kS = <f64>log_k(sh);', 'let lzS = log_z_f64(sh) + sl / sh;']);
    expect(as.length).toBeGreaterThan(150);
    expect(ts.filter((l) => as.includes(l))).toEqual(as.filter((l) => ts.includes(l))); // same order
  });
});
