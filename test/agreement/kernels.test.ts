// The measures on the release WebAssembly engines (SIMD and scalar: `wasm` runs both and requires
// the same bits) and on the TS engine, bit for bit, over random histograms of every kind (zeros,
// subnormals, huge and tiny weights, near-1 values) and lengths 1..10^6, including lengths that
// cross the 65536-element staging chunk.
import { describe, expect, it } from 'vitest';
import { scalarCore, tsEngineUnderTest as ts, wasmBoth as wasm, wasmCore } from '../helpers/engines';
import { EntropyAccumulator } from '../../src/accumulator';
import { setCurrentCore } from '../../src/runtime';
import { KINDS, histogram } from '../helpers/gen';
import { Rng } from '../helpers/prng';
import { hex, nextUp, sameBits } from '../helpers/bits';
import { HIGH, LOW } from '../../src/kernels/exact';

/** The double `steps` ulps below x (x finite, positive; nextUp with a negative step borrows). */
function nextDown(x: number, steps: number): number {
  return nextUp(x, -steps);
}

const LENGTHS = [1, 2, 3, 5, 16, 100, 1000, 65535, 65536, 65537, 140000];

function agree(what: string, a: number, b: number): void {
  if (!sameBits(a, b)) expect.fail(`${what}: wasm ${a} (0x${hex(a)}) vs ts ${b} (0x${hex(b)})`);
}

describe('wasm and TS engines agree bit for bit', () => {
  it.each(KINDS)('entropy, cross entropy and KL on %s histograms', (kind) => {
    const rng = new Rng(kind.length * 7919);
    for (const n of LENGTHS) {
      const p = histogram(rng, kind, n);
      const q = histogram(rng, KINDS[rng.int(KINDS.length)], n);
      agree(`H ${kind} n=${n}`, wasm.entropy(p), ts.entropy(p));
      agree(`CE ${kind} n=${n}`, wasm.crossEntropy(p, q), ts.crossEntropy(p, q));
      agree(`KL ${kind} n=${n}`, wasm.klDivergence(p, q), ts.klDivergence(p, q));
      agree(`H bits ${kind} n=${n}`, wasm.entropy(p, { base: 2 }), ts.entropy(p, { base: 2 }));
    }
  });

  it.each(KINDS)('cross entropy and KL of %s p against every kind of q', (kind) => {
    const rng = new Rng(kind.length * 31 + 5);
    for (const qKind of KINDS) {
      for (const n of [1, 2, 9, 2000]) {
        const p = histogram(rng, kind, n);
        const q = histogram(rng, qKind, n);
        agree(`CE ${kind}/${qKind} n=${n}`, wasm.crossEntropy(p, q), ts.crossEntropy(p, q));
        agree(`KL ${kind}/${qKind} n=${n}`, wasm.klDivergence(p, q), ts.klDivergence(p, q));
      }
    }
  });

  it('on 10^6-bin histograms, and p ~ q for KL', () => {
    const rng = new Rng(99);
    const p = histogram(rng, 'dense', 1_000_000);
    const z = histogram(rng, 'zipf', 1_000_000);
    const q = p.map((x) => x * (1 + (rng.float() - 0.5) * 1e-9));
    agree('H dense 1e6', wasm.entropy(p), ts.entropy(p));
    agree('H zipf 1e6', wasm.entropy(z), ts.entropy(z));
    agree('CE 1e6', wasm.crossEntropy(p, q), ts.crossEntropy(p, q));
    agree('KL 1e6 p~q', wasm.klDivergence(p, q), ts.klDivergence(p, q));
    agree('KL 1e6 zipf', wasm.klDivergence(z, q), ts.klDivergence(z, q));
  });

  it('KL where some pairs are near p = q and others are not (log1p and log-difference lanes mixed)', () => {
    const rng = new Rng(123);
    for (const n of [2, 3, 64, 5000]) {
      const p = histogram(rng, 'dense', n);
      const q = p.map((x) => (rng.float() < 0.5 ? x * (1 + (rng.float() - 0.5) * 0.1) : rng.float()));
      if (n > 3) p[1] = 0;
      agree(`KL mixed n=${n}`, wasm.klDivergence(p, q), ts.klDivergence(p, q));
      agree(`KL mixed swapped n=${n}`, wasm.klDivergence(q, p.map((x) => x + 1e-3)), ts.klDivergence(q, p.map((x) => x + 1e-3)));
    }
  });

  it('KL at the edges of the log1p window and of the TS division filter (p/q near 1.0703125, 0.9296875, 1.0647, 0.9375)', () => {
    // One pair per call (a 1-element KL is L + ln(q/p), which shows L's last bits), and all the
    // pairs at once, in both orders, with p = 0 and q near 1 among them.
    const rng = new Rng(2027);
    const ps: number[] = [];
    const qs: number[] = [];
    for (const f of [1.0703125, 0.9296875, 1.064697265625, 0.9375, 1.5, 0.5]) {
      for (let t = 0; t < 8; t++) {
        const q = 0.001 + rng.float() * 0.4;
        for (const s of [-3, -2, -1, 0, 1, 2, 3]) {
          const base = q * f;
          const p = s >= 0 ? nextUp(base, s) : nextDown(base, -s);
          ps.push(p);
          qs.push(q);
          agree(`KL pair p=${p} q=${q}`, wasm.klDivergence([p], [q]), ts.klDivergence([p], [q]));
          agree(`CE pair p=${p} q=${q}`, wasm.crossEntropy([p], [q]), ts.crossEntropy([p], [q]));
        }
      }
    }
    ps.push(0, 0.5, 0.96);
    qs.push(0.2, 0.97, 1.01);
    const P = Float64Array.from(ps);
    const Q = Float64Array.from(qs);
    agree('KL edges all', wasm.klDivergence(P, Q), ts.klDivergence(P, Q));
    agree('KL edges swapped', wasm.klDivergence(Q, P.map((x) => x + 1e-9)), ts.klDivergence(Q, P.map((x) => x + 1e-9)));
    agree('CE edges all', wasm.crossEntropy(P, Q), ts.crossEntropy(P, Q));
  });

  it('at the edges of the fast range [LOW, HIGH) (the TS loops test high words for it)', () => {
    const edges = [LOW, nextUp(LOW), nextDown(LOW, 1), HIGH, nextDown(HIGH, 1), nextUp(HIGH), 0, 0.5, 1e-300];
    const rng = new Rng(77);
    for (let t = 0; t < 20; t++) {
      const n = 2 + rng.int(40);
      const p = new Float64Array(n);
      const q = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        p[i] = edges[rng.int(edges.length)];
        q[i] = edges[rng.int(edges.length - 1)] || 0.25;
      }
      agree(`H edges ${t}`, wasm.entropy(p), ts.entropy(p));
      agree(`CE edges ${t}`, wasm.crossEntropy(p, q), ts.crossEntropy(p, q));
      agree(`KL edges ${t}`, wasm.klDivergence(p, q), ts.klDivergence(p, q));
    }
  });

  it('past the flush interval (2^22 elements): 5 * 10^6 bins', () => {
    const rng = new Rng(5);
    const p = histogram(rng, 'zipf', 5_000_000);
    const q = histogram(rng, 'dense', 5_000_000);
    agree('H 5e6', wasm.entropy(p), ts.entropy(p));
    agree('KL 5e6', wasm.klDivergence(p, q), ts.klDivergence(p, q));
    // and the same bits from pieces of it, merged in reverse order
    const pieces = [p.subarray(0, 4_400_000), p.subarray(4_400_000, 4_400_001), p.subarray(4_400_001)];
    for (const core of [wasmCore, scalarCore]) {
      setCurrentCore(core);
      const accs = pieces.map((x) => new EntropyAccumulator().update(x)).reverse();
      agree(`H pieces (${core.backend})`, accs.reduce((x, y) => x.merge(y)).entropy(), ts.entropy(p));
    }
  });

  it('on random bit patterns of valid weights (every exponent)', () => {
    const rng = new Rng(4242);
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(50);
      const p = new Float64Array(n).map(() => (rng.float() < 0.2 ? 0 : Math.abs(rng.bits())));
      const q = new Float64Array(n).map(() => (rng.float() < 0.1 ? 0 : Math.abs(rng.bits())));
      const valid = (a: Float64Array) => a.every(Number.isFinite) && a.some((x) => x > 0);
      if (!valid(p) || !valid(q)) continue;
      agree(`H #${t}`, wasm.entropy(p), ts.entropy(p));
      agree(`CE #${t}`, wasm.crossEntropy(p, q), ts.crossEntropy(p, q));
      agree(`KL #${t}`, wasm.klDivergence(p, q), ts.klDivergence(p, q));
    }
  });

  it('for number[], Float32Array and Float64Array holding the same values', () => {
    const rng = new Rng(7);
    const f32 = new Float32Array(5000).map(() => (rng.float() < 0.3 ? 0 : rng.float()));
    const f64 = Float64Array.from(f32);
    const arr = Array.from(f32);
    const q = histogram(rng, 'dense', 5000);
    for (const e of [wasm, ts]) {
      const ref = e.entropy(f64);
      agree('H f32', e.entropy(f32), ref);
      agree('H array', e.entropy(arr), ref);
      agree('CE mixed containers', e.crossEntropy(arr, q), e.crossEntropy(f64, Array.from(q)));
      agree('KL f32', e.klDivergence(f32, q), e.klDivergence(f64, q));
    }
    agree('H across engines', wasm.entropy(arr), ts.entropy(f64));
  });

  it('for a subarray view at an offset (the TS engine reads it in place)', () => {
    const rng = new Rng(11);
    const big = histogram(rng, 'zipf', 70000);
    const view = big.subarray(1234, 68000);
    const copy = view.slice();
    agree('H view vs copy (ts)', ts.entropy(view), ts.entropy(copy));
    agree('H view (wasm vs ts)', wasm.entropy(view), ts.entropy(view));
    const q = histogram(rng, 'dense', 70000).subarray(5, 5 + view.length);
    agree('KL view', ts.klDivergence(view, q), wasm.klDivergence(copy, q.slice()));
  });
});
