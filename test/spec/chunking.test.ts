// Order independence: accumulators under random chunkings, merge orders and JSON round trips,
// and batches, all give the bits of the one-shot call, on both engines.
import { describe, expect, it } from 'vitest';
import { DivergenceAccumulator, EntropyAccumulator } from '../../src/accumulator';
import { setCurrentCore } from '../../src/runtime';
import { ENGINES, scalarCore, tsCore, wasmCore } from '../helpers/engines';
import { KINDS, histogram, randomChunks } from '../helpers/gen';
import { Rng } from '../helpers/prng';
import { hex, sameBits } from '../helpers/bits';

function same(what: string, a: number, b: number): void {
  if (!sameBits(a, b)) expect.fail(`${what}: ${a} (0x${hex(a)}) vs ${b} (0x${hex(b)})`);
}

function shuffle<T>(rng: Rng, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe.each([['wasm-simd', wasmCore], ['ts', tsCore], ['wasm-scalar', scalarCore]] as const)('accumulators on the %s core', (_name, core) => {
  it('update in random chunks, merge in random orders, JSON round trips = one-shot bits', () => {
    setCurrentCore(core);
    const rng = new Rng(2024);
    const oneShot = ENGINES[0][1];
    for (let trial = 0; trial < 24; trial++) {
      const kind = KINDS[trial % KINDS.length];
      const n = 1 + rng.int(trial < 20 ? 3000 : 150000);
      const p = histogram(rng, kind, n);
      const q = histogram(rng, KINDS[rng.int(KINDS.length)], n);
      const H = oneShot.entropy(p);
      const CE = oneShot.crossEntropy(p, q);
      const KL = oneShot.klDivergence(p, q);
      const parts: EntropyAccumulator[] = [];
      const dparts: DivergenceAccumulator[] = [];
      let at = 0;
      for (const len of randomChunks(rng, n)) {
        // each part gets a few sub-chunks, some as number[] to mix containers
        const e = new EntropyAccumulator();
        const d = new DivergenceAccumulator();
        let sub = at;
        for (const l2 of randomChunks(rng, len)) {
          const pc = p.subarray(sub, sub + l2);
          e.update(rng.float() < 0.3 ? Array.from(pc) : pc);
          d.update(pc, q.subarray(sub, sub + l2));
          sub += l2;
        }
        at += len;
        parts.push(rng.float() < 0.5 ? EntropyAccumulator.fromJSON(JSON.parse(JSON.stringify(e))) : e);
        dparts.push(rng.float() < 0.5 ? DivergenceAccumulator.fromJSON(JSON.parse(JSON.stringify(d))) : d);
      }
      const total = shuffle(rng, parts).reduce((a, b) => (rng.float() < 0.5 ? a.merge(b) : b.merge(a)));
      const dtotal = shuffle(rng, dparts).reduce((a, b) => (rng.float() < 0.5 ? a.merge(b) : b.merge(a)));
      expect(total.count).toBe(n);
      same(`H trial ${trial} ${kind} n=${n}`, total.entropy(), H);
      same(`CE trial ${trial}`, dtotal.crossEntropy(), CE);
      same(`KL trial ${trial}`, dtotal.klDivergence(), KL);
      same(`H bits trial ${trial}`, total.entropy({ base: 2 }), oneShot.entropy(p, { base: 2 }));
    }
  });

  it('merging an accumulator into itself is the concatenation with itself', () => {
    setCurrentCore(core);
    const a = new EntropyAccumulator().update([1, 2, 3]);
    a.merge(a);
    same('self-merge', a.entropy(), ENGINES[1][1].entropy([1, 2, 3, 1, 2, 3]));
    expect(a.count).toBe(6);
  });
});

describe.each(ENGINES)('batches on %s', (_name, e) => {
  it('each row equals the single-row call, bit for bit', () => {
    const rng = new Rng(77);
    for (const [rows, cols] of [[1, 1], [50, 16], [7, 100], [3, 70000]]) {
      const kind = KINDS[rng.int(KINDS.length)];
      const p = new Float64Array(rows * cols);
      const q = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        p.set(histogram(rng, kind, cols), r * cols);
        q.set(histogram(rng, 'dense', cols), r * cols);
      }
      const H = e.entropyBatch(p, cols);
      const CE = e.crossEntropyBatch(p, q, cols, { base: 2 });
      const KL = e.klDivergenceBatch(p, q, cols);
      expect(H.length).toBe(rows);
      for (let r = 0; r < rows; r++) {
        const pr = p.subarray(r * cols, (r + 1) * cols);
        const qr = q.subarray(r * cols, (r + 1) * cols);
        same(`H row ${r}`, H[r], e.entropy(pr));
        same(`CE row ${r}`, CE[r], e.crossEntropy(pr, qr, { base: 2 }));
        same(`KL row ${r}`, KL[r], e.klDivergence(pr, qr));
      }
    }
  });

  it('an empty batch has no rows', () => {
    expect(e.entropyBatch(new Float64Array(0), 4)).toEqual(new Float64Array(0));
  });
});
