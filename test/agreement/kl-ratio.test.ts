// KL's term p * log_ratio_f64(p, q), one log of the rounded ratio r = p/q: every branch on every
// engine, bit for bit. The branches: r in the near-1 window [0.9375, 1.064697265625) (log1p of
// (p - q)/q), r just outside either edge (log r), r = +Infinity or below 2^-1022 (log p - log q),
// p = 0, and pairs of lanes that mix them (the f64x2 kernel handles each lane of a pair on its own).
// Two views: the public functions (one-shot and batch, SIMD and scalar wasm and TS), and the exact
// sum D = sum p * L itself (DivergenceAccumulator's JSON holds its partials exactly), where a
// single term off by one ulp on one engine shows even in a long histogram.
import { describe, expect, it } from 'vitest';
import { scalarCore, tsCore, tsEngineUnderTest as ts, wasmBoth as wasm, wasmCore } from '../helpers/engines';
import { DivergenceAccumulator } from '../../src/accumulator';
import { setCurrentCore } from '../../src/runtime';
import { Rng } from '../helpers/prng';
import { hex, nextUp, sameBits } from '../helpers/bits';
import type { Core } from '../../src/driver';

const CORES: [string, Core][] = [['wasm-simd', wasmCore], ['wasm-scalar', scalarCore], ['ts', tsCore]];
const LO = 0.9375;
const HI = 1.064697265625;

function agree(what: string, a: number, b: number): void {
  if (!sameBits(a, b)) expect.fail(`${what}: wasm ${a} (0x${hex(a)}) vs ts ${b} (0x${hex(b)})`);
}

function nextDown(x: number, steps = 1): number {
  return nextUp(x, -steps);
}

/** A p with p / q (rounded) exactly `target`, or undefined if none near target * q gives it. */
function pFor(q: number, target: number): number | undefined {
  let p = target * q;
  for (let k = 0; k < 8; k++) {
    const r = p / q;
    if (r === target) return p;
    p = r < target ? nextUp(p) : nextDown(p);
  }
  return undefined;
}

type Gen = (rng: Rng) => [number, number];
const isNear = (r: number) => r >= LO && r < HI;
const isFar = (r: number) => !isNear(r) && r >= 2 ** -1022 && r < Infinity;
/** One (p, q) pair per branch (and edge), with what its r = p / q must be; p and q in the kernels'
 *  fast range [2^-950, 2^900) unless named subnormal. */
const BRANCHES: [string, Gen, (r: number) => boolean][] = [
  ['near (p ~ q)', (g) => { const q = 1e-7 * (0.5 + g.float()); return [q * (1 + (g.float() - 0.5) * 0.1), q]; }, isNear],
  ['p == q', (g) => { const q = 1e-7 * (0.5 + g.float()); return [q, q]; }, (r) => r === 1],
  ['far, p and q ~ 1e-7', (g) => [1e-7 * g.float() + 1e-12, 1e-7 * g.float() + 1e-12], () => true],
  ['far, p and q near 1', (g) => [0.5 + 0.5 * g.float(), 0.5 + 0.5 * g.float()], () => true],
  ['r = nextDown(0.9375)', edge(nextDown(LO)), (r) => r === nextDown(LO) && isFar(r)],
  ['r = 0.9375', edge(LO), (r) => r === LO && isNear(r)],
  ['r = nextUp(0.9375)', edge(nextUp(LO)), (r) => r === nextUp(LO) && isNear(r)],
  ['r = nextDown(1.064697265625)', edge(nextDown(HI)), (r) => r === nextDown(HI) && isNear(r)],
  ['r = 1.064697265625', edge(HI), (r) => r === HI && isFar(r)],
  ['r = nextUp(1.064697265625)', edge(nextUp(HI)), (r) => r === nextUp(HI) && isFar(r)],
  ['r overflows (2^800 / 2^-900)', (g) => [2 ** 800 * (1 + g.float()), 2 ** -900 * (1 + g.float())], (r) => r === Infinity],
  ['r underflows to 0 (2^-900 / 2^800)', (g) => [2 ** -900 * (1 + g.float()), 2 ** 800 * (1 + g.float())], (r) => r === 0],
  ['r subnormal (just below 2^-1022)', () => [nextDown(2 ** -922, 8192), 2 ** 100], (r) => r > 0 && r < 2 ** -1022],
  ['r = 2^-1022 (smallest normal)', () => [2 ** -922, 2 ** 100], (r) => r === 2 ** -1022],
  ['r = nextDown(2^1024) (largest finite)', () => [nextDown(2 ** 824), 2 ** -200], (r) => r === Number.MAX_VALUE],
  ['r = 2^1024 (rounds to Infinity)', () => [2 ** 824, 2 ** -200], (r) => r === Infinity],
  ['p subnormal, r subnormal', (g) => [1e-310 * (1 + g.float()), 0.25 + g.float()], (r) => r > 0 && r < 2 ** -1022],
  ['q subnormal, r overflows', (g) => [0.25 + g.float(), 1e-310 * (1 + g.float())], (r) => r === Infinity],
  ['p and q subnormal, near', (g) => { const q = 1e-310 * (1 + g.float()); return [q * (1 + (g.float() - 0.5) * 0.1), q]; }, isNear],
  ['p = 0', (g) => [0, 1e-7 * (0.5 + g.float())], (r) => r === 0],
];
const NEAR = 0, FAR = 2, OVERFLOW = 10;

function edge(target: number): Gen {
  return (g) => {
    for (;;) {
      const q = 1e-7 * (0.5 + g.float());
      const p = pFor(q, target);
      if (p !== undefined) return [p, q];
    }
  };
}

/** The exact state (P, Q, A, D partials) of a DivergenceAccumulator over (p, q) on a core. */
function stateOn(core: Core, p: Float64Array, q: Float64Array): string {
  setCurrentCore(core);
  try {
    return JSON.stringify(new DivergenceAccumulator().update(p, q));
  } finally {
    setCurrentCore(wasmCore);
  }
}

function sameState(what: string, p: Float64Array, q: Float64Array): void {
  const ref = stateOn(tsCore, p, q);
  for (const [name, core] of CORES) {
    const s = stateOn(core, p, q);
    if (s !== ref) expect.fail(`${what}: exact sums on ${name} differ from ts:\n${s}\n${ref}`);
  }
}

describe('KL with one log of p/q: every branch, on every engine, bit for bit', () => {
  it('the generators hit their branches (r is what each name says)', () => {
    const g = new Rng(1);
    for (const [name, gen, check] of BRANCHES) {
      for (let t = 0; t < 20; t++) {
        const [p, q] = gen(g);
        expect(check(p / q), `${name}: p=${p} q=${q} r=${p / q}`).toBe(true);
      }
    }
  });

  it('each branch alone, a lane pair of it, and every two branches side by side (both lane orders)', () => {
    const g = new Rng(2026);
    for (let t = 0; t < 3; t++) {
      for (const [a, ga] of BRANCHES) {
        for (const [b, gb] of BRANCHES) {
          // [x, y] is one f64x2 lane pair; a third element moves the pair off the vector path's
          // alignment in the second call
          const [p0, q0] = ga(g);
          const [p1, q1] = gb(g);
          const [p2, q2] = ga(g);
          for (const [p, q] of [[[p0, p1], [q0, q1]], [[p2, p0, p1], [q2, q0, q1]]] as [number[], number[]][]) {
            if (!p.some((x) => x > 0)) continue;
            const P = Float64Array.from(p);
            const Q = Float64Array.from(q);
            agree(`KL [${a}, ${b}] n=${p.length}`, wasm.klDivergence(P, Q), ts.klDivergence(P, Q));
            sameState(`[${a}, ${b}] n=${p.length}`, P, Q);
          }
        }
      }
    }
  });

  it('long histograms of mixed branches (the f64x2 loop, its two-pairs-per-step body and its tail)', () => {
    const g = new Rng(77);
    const fast = BRANCHES.filter(([n]) => !n.includes('subnormal'));
    // every ratio normal (the kernel's shorter lane test), with and without zero p
    const normal = fast.filter(([n]) => !/flow|2\^/.test(n));
    const nonzero = normal.filter(([n]) => n !== 'p = 0');
    for (const n of [2, 3, 4, 5, 7, 8, 9, 16, 17, 64, 127, 128, 129, 130, 257, 1001, 70001]) {
      for (const set of [nonzero, normal, fast, BRANCHES]) {
        const p = new Float64Array(n);
        const q = new Float64Array(n);
        for (let i = 0; i < n; i++) [p[i], q[i]] = set[g.int(set.length)][1](g);
        p[0] = p[0] || 1e-7;
        agree(`KL mixed n=${n}`, wasm.klDivergence(p, q), ts.klDivergence(p, q));
        sameState(`mixed n=${n}`, p, q);
      }
    }
  });

  it('typical probabilities (dense, p and q ~ 1e-7 after normalization, and p ~ q)', () => {
    const g = new Rng(5);
    const n = 200_000;
    const p = new Float64Array(n).map(() => g.float());
    const q = new Float64Array(n).map(() => g.float());
    const near = p.map((x) => x * (1 + (g.float() - 0.5) * 0.2));
    agree('KL dense', wasm.klDivergence(p, q), ts.klDivergence(p, q));
    agree('KL dense p ~ q (10 %)', wasm.klDivergence(p, near), ts.klDivergence(p, near));
    sameState('dense', p, q);
    sameState('dense p ~ q', p, near);
  });

  it('in batches: rows of mixed branches equal the one-shot call on each row, on every engine', () => {
    const g = new Rng(909);
    const fast = BRANCHES.filter(([n]) => !n.includes('subnormal'));
    for (const rowLength of [1, 2, 3, 16, 17, 200, 201, 1000]) {
      for (const set of [fast, BRANCHES]) {
        const rows = 6;
        const p = new Float64Array(rows * rowLength);
        const q = new Float64Array(rows * rowLength);
        for (let i = 0; i < p.length; i++) [p[i], q[i]] = set[g.int(set.length)][1](g);
        for (let r = 0; r < rows; r++) p[r * rowLength] = p[r * rowLength] || 1e-7;
        // one row of a single branch each: near, far, overflowing
        for (let j = 0; j < rowLength; j++) {
          [p[j], q[j]] = BRANCHES[NEAR][1](g);
          [p[rowLength + j], q[rowLength + j]] = BRANCHES[FAR][1](g);
          [p[2 * rowLength + j], q[2 * rowLength + j]] = BRANCHES[OVERFLOW][1](g);
        }
        const bw = wasm.klDivergenceBatch(p, q, rowLength);
        const bt = ts.klDivergenceBatch(p, q, rowLength);
        for (let r = 0; r < rows; r++) {
          const pr = p.subarray(r * rowLength, (r + 1) * rowLength);
          const qr = q.subarray(r * rowLength, (r + 1) * rowLength);
          const one = ts.klDivergence(pr, qr);
          agree(`KL batch row ${r} of ${rowLength} (wasm batch vs ts one-shot)`, bw[r], one);
          agree(`KL batch row ${r} of ${rowLength} (ts batch vs ts one-shot)`, bt[r], one);
          agree(`KL row ${r} of ${rowLength} one-shot`, wasm.klDivergence(pr, qr), one);
        }
      }
    }
  });
});
