// Zero-copy workspaces: results bit-identical to the top-level functions on a copy (on the SIMD and
// the scalar binary, and against the TS engine), the same errors with the same indices, kernels
// reading the histogram in place (the staging buffers stay untouched), memory growth that keeps
// contents and renews views, disposal, and the allocator's reuse and coalescing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EntropyInputError } from '../src/errors';
import { Heap } from '../src/wasm/heap';
import { instantiateWasm } from '../src/wasm/instance';
import { STAGE_LEN } from '../src/driver';
import { tsEngineUnderTest as ts, wasmBoth } from './helpers/engines';
import { hex, sameBits } from './helpers/bits';
import { KINDS, histogram } from './helpers/gen';
import { Rng } from './helpers/prng';
import type { Workspace, WorkspaceHistogram } from '../src/workspace';

function same(what: string, a: number, b: number): void {
  if (!sameBits(a, b)) expect.fail(`${what}: workspace ${a} (0x${hex(a)}) vs copy ${b} (0x${hex(b)})`);
}

function sameArray(what: string, a: Float64Array, b: Float64Array): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) same(`${what}[${i}]`, a[i], b[i]);
}

/** The error a call throws, as comparable fields (fails if it does not throw). */
function caught(f: () => unknown): { name: string; code: string; argument: string; index?: number; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    const x = e as EntropyInputError;
    return { name: x.name, code: x.code, argument: x.argument, index: x.index, message: x.message };
  }
  return expect.fail('expected a throw');
}

/** A workspace on the given binary: the module graph is fresh, so detection runs again. */
async function workspaceOn(flavor: 'simd' | 'scalar'): Promise<{ ws: Workspace; errorClass: typeof EntropyInputError }> {
  vi.resetModules();
  const inst = await import('../src/wasm/instance');
  inst.setSimdValidatorForTests(flavor === 'simd' ? null : () => false);
  const { createWorkspace } = await import('../src/workspace');
  const { EntropyInputError: E } = await import('../src/errors');
  const ws = await createWorkspace();
  inst.setSimdValidatorForTests(null);
  return { ws, errorClass: E };
}

function filled(ws: Workspace, data: Float64Array): WorkspaceHistogram {
  const h = ws.histogram(data.length);
  h.array.set(data);
  return h;
}

describe.each([['simd', 'wasm-simd'], ['scalar', 'wasm']] as const)('workspace on the %s binary', (flavor, backend) => {
  let ws: Workspace;
  let E: typeof EntropyInputError;
  beforeAll(async () => {
    ({ ws, errorClass: E } = await workspaceOn(flavor));
  });
  afterAll(() => ws.dispose());

  it(`reports backend ${backend}`, () => {
    expect(ws.backend).toBe(backend);
  });

  it('gives the bits of the top-level functions on a copy, for every measure', () => {
    const rng = new Rng(flavor.length * 101);
    for (const n of [1, 2, 3, 100, STAGE_LEN - 1, STAGE_LEN, STAGE_LEN + 1, 150_000]) {
      const kind = KINDS[rng.int(KINDS.length)];
      const pd = histogram(rng, kind, n);
      const qd = histogram(rng, KINDS[rng.int(KINDS.length)], n);
      const p = filled(ws, pd);
      const q = filled(ws, qd);
      for (const opts of [undefined, { base: 2 }]) {
        const w = `${kind} n=${n} base=${opts?.base ?? 'e'}`;
        const ref = ts.entropy(pd, opts);
        same(`H ${w}`, ws.entropy(p, opts), ref);
        same(`H ${w} (wasm on copy)`, wasmBoth.entropy(p.array.slice(), opts), ref);
        same(`CE ${w}`, ws.crossEntropy(p, q, opts), ts.crossEntropy(pd, qd, opts));
        same(`KL ${w}`, ws.klDivergence(p, q, opts), ts.klDivergence(pd, qd, opts));
        same(`KL ${w} (wasm on copy)`, wasmBoth.klDivergence(p.array.slice(), q.array.slice(), opts), ts.klDivergence(pd, qd, opts));
      }
      p.dispose();
      q.dispose();
    }
  });

  it('gives the bits of the batch functions on a copy', () => {
    const rng = new Rng(31);
    const cols = 1000;
    const pd = histogram(rng, 'zipf', 70 * cols);
    const qd = histogram(rng, 'dense', 70 * cols);
    const p = filled(ws, pd);
    const q = filled(ws, qd);
    sameArray('entropyBatch', ws.entropyBatch(p, cols), ts.entropyBatch(pd, cols));
    sameArray('crossEntropyBatch', ws.crossEntropyBatch(p, q, cols, { base: 10 }), ts.crossEntropyBatch(pd, qd, cols, { base: 10 }));
    sameArray('klDivergenceBatch', ws.klDivergenceBatch(p, q, cols), wasmBoth.klDivergenceBatch(pd, qd, cols));
    p.dispose();
    q.dispose();
  });

  it('the same histogram as p and q', () => {
    const rng = new Rng(8);
    const d = histogram(rng, 'dense', 5000);
    const p = filled(ws, d);
    same('KL(p, p)', ws.klDivergence(p, p), ts.klDivergence(d, d));
    same('CE(p, p)', ws.crossEntropy(p, p), ts.crossEntropy(d, d));
    p.dispose();
  });

  it('throws the errors of the top-level functions, with the same index', () => {
    const n = 3 * STAGE_LEN + 17;
    const rng = new Rng(5);
    for (const [bad, at] of [[-0.25, 7], [NaN, STAGE_LEN + 3], [Infinity, n - 1], [-Infinity, 2 * STAGE_LEN]] as const) {
      const pd = histogram(rng, 'dense', n);
      const qd = histogram(rng, 'dense', n);
      pd[at] = bad;
      const p = filled(ws, pd);
      const q = filled(ws, qd);
      const good = filled(ws, qd);
      const expected = caught(() => ts.entropy(pd));
      expect(expected.index).toBe(at);
      expect(caught(() => ws.entropy(p))).toEqual(expected);
      expect(caught(() => ws.crossEntropy(p, q))).toEqual(caught(() => ts.crossEntropy(pd, qd)));
      expect(caught(() => ws.klDivergence(good, p))).toEqual(caught(() => ts.klDivergence(qd, pd)));
      expect(caught(() => ws.entropyBatch(p, n))).toEqual(caught(() => ts.entropyBatch(pd, n)));
      // the error is the library's class, and the workspace keeps working after it
      expect(() => ws.entropy(p)).toThrow(E);
      same('after an error', ws.entropy(good), ts.entropy(qd));
      for (const h of [p, q, good]) h.dispose();
    }
    // shape and option errors too
    const a = filled(ws, new Float64Array([1, 2, 3]));
    const b = filled(ws, new Float64Array([1, 2]));
    const z = filled(ws, new Float64Array(4));
    const empty = ws.histogram(0);
    expect(caught(() => ws.crossEntropy(a, b))).toEqual(caught(() => ts.crossEntropy([1, 2, 3], [1, 2])));
    expect(caught(() => ws.entropy(z))).toEqual(caught(() => ts.entropy(new Float64Array(4))));
    expect(caught(() => ws.entropy(empty))).toEqual(caught(() => ts.entropy([])));
    expect(caught(() => ws.entropy(a, { base: 1 }))).toEqual(caught(() => ts.entropy([1, 2, 3], { base: 1 })));
    expect(caught(() => ws.entropyBatch(a, 2))).toEqual(caught(() => ts.entropyBatch([1, 2, 3], 2)));
    for (const h of [a, b, z, empty]) h.dispose();
  });

  it('runs the kernels on the histogram in place: the staging buffers are not written', async () => {
    // the same binary lays out the same addresses in every instance
    const probe = await instantiateWasm(flavor);
    const stageP = probe.stage_ptr(0);
    const stageQ = probe.stage_ptr(1);
    const rng = new Rng(12);
    const pd = histogram(rng, 'zipf', 3 * STAGE_LEN + 5);
    const qd = histogram(rng, 'dense', pd.length);
    const p = filled(ws, pd);
    const q = filled(ws, qd);
    const mem = p.array.buffer;
    const stages = new Float64Array(mem, stageP, 2 * STAGE_LEN);
    expect(stageQ).toBe(stageP + STAGE_LEN * 8);
    stages.fill(-7.5); // a sentinel no kernel would leave behind
    same('H in place', ws.entropy(p), ts.entropy(pd));
    same('KL in place', ws.klDivergence(p, q), ts.klDivergence(pd, qd));
    same('CE batch in place', ws.crossEntropyBatch(p, q, pd.length)[0], ts.crossEntropy(pd, qd));
    expect(stages.every((x) => x === -7.5)).toBe(true);
    // the histogram lies above the fixed layout, where nothing else writes
    expect(p.array.byteOffset).toBeGreaterThanOrEqual(probe.layout_end());
    p.dispose();
    q.dispose();
  });

  it('survives memory growth: contents kept, views renewed, results unchanged', () => {
    const rng = new Rng(77);
    const firstData = histogram(rng, 'zipf', 20_000);
    const first = filled(ws, firstData);
    const oldView = first.array;
    const before = ws.entropy(first);
    const startBytes = ws.memoryBytes;
    const more: WorkspaceHistogram[] = [];
    // 40 x 400 000 bins = 128 MB: many times the initial 2 MB
    for (let i = 0; i < 40; i++) {
      const h = ws.histogram(400_000);
      h.array[0] = i + 1;
      h.array[399_999] = 1;
      more.push(h);
    }
    expect(ws.memoryBytes).toBeGreaterThan(startBytes);
    expect(ws.memoryBytes).toBeGreaterThanOrEqual(40 * 400_000 * 8);
    // the view taken before growth is detached; the getter hands out a live one with the contents
    expect(oldView.length).toBe(0);
    expect(first.array.length).toBe(20_000);
    sameArray('contents after growth', first.array, firstData);
    same('H after growth', ws.entropy(first), before);
    for (let i = 0; i < more.length; i++) {
      expect(more[i].array[0]).toBe(i + 1);
      same(`H of histogram ${i}`, ws.entropy(more[i]), ts.entropy([i + 1, 1]));
    }
    for (const h of more) h.dispose();
    first.dispose();
  });

  it('zero-fills histograms, also in reused memory', () => {
    const a = ws.histogram(1000);
    a.array.fill(3);
    a.dispose();
    const b = ws.histogram(1000);
    expect(b.array.every((x) => x === 0)).toBe(true);
    b.dispose();
  });

  it('rejects disposed and foreign histograms, bad lengths, and any use after dispose', async () => {
    const h = filled(ws, new Float64Array([1, 2]));
    h.dispose();
    h.dispose(); // idempotent
    expect(h.disposed).toBe(true);
    expect(caught(() => ws.entropy(h))).toMatchObject({ code: 'workspace', argument: 'p' });
    expect(caught(() => h.array)).toMatchObject({ code: 'workspace', argument: 'histogram' });
    const ok = filled(ws, new Float64Array([1, 2]));
    expect(caught(() => ws.klDivergence(ok, h))).toMatchObject({ code: 'workspace', argument: 'q' });
    expect(caught(() => ws.entropy(new Float64Array([1, 2]) as never))).toMatchObject({ code: 'workspace', argument: 'p' });
    const { ws: other } = await workspaceOn(flavor);
    const foreign = filled(other, new Float64Array([1, 2]));
    expect(caught(() => ws.crossEntropy(ok, foreign))).toMatchObject({ code: 'workspace', argument: 'q' });
    for (const bad of [-1, 1.5, NaN, '3', 2 ** 40]) {
      expect(caught(() => ws.histogram(bad as number))).toMatchObject({ code: 'workspace', argument: 'length' });
    }
    other.dispose();
    other.dispose(); // idempotent
    expect(other.disposed).toBe(true);
    expect(foreign.disposed).toBe(true);
    expect(other.memoryBytes).toBe(0);
    expect(caught(() => foreign.array)).toMatchObject({ code: 'workspace' });
    expect(caught(() => other.histogram(1))).toMatchObject({ code: 'workspace', argument: 'workspace' });
    expect(caught(() => other.entropy(foreign))).toMatchObject({ code: 'workspace', argument: 'workspace' });
    expect(() => foreign.dispose()).not.toThrow();
    expect(() => ws.entropy(h)).toThrow(E);
    ok.dispose();
  });
});

describe('top-level functions on a workspace view', () => {
  it('give the same bits as on a copy and as the workspace', async () => {
    const { ws } = await workspaceOn('simd');
    const m = await import('../src/index');
    await m.init();
    const rng = new Rng(4);
    const d = histogram(rng, 'dense', 100_000);
    const h = filled(ws, d);
    same('entropy(h.array)', m.entropy(h.array), ws.entropy(h));
    same('entropy(copy)', m.entropy(d), ws.entropy(h));
    ws.dispose();
  });
});

describe('the workspace allocator', () => {
  const PAGE = 65536;
  function heapOver(pages: number, base = 1000): { heap: Heap; memory: WebAssembly.Memory } {
    const memory = new WebAssembly.Memory({ initial: pages });
    return { heap: new Heap(memory, base), memory };
  }

  it('hands out 16-byte aligned, disjoint blocks above the base', () => {
    const { heap } = heapOver(1);
    const rng = new Rng(3);
    const blocks: [number, number][] = [];
    for (let i = 0; i < 50; i++) {
      const n = 1 + rng.int(700);
      const p = heap.alloc(n);
      expect(p % 16).toBe(0);
      expect(p).toBeGreaterThanOrEqual(1000);
      blocks.push([p, n]);
    }
    blocks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i][0]).toBeGreaterThanOrEqual(blocks[i - 1][0] + blocks[i - 1][1]);
  });

  it('reuses freed blocks and coalesces neighbours, without growing', () => {
    const { heap, memory } = heapOver(4);
    const size = memory.buffer.byteLength;
    const a = heap.alloc(64 * 1024);
    const b = heap.alloc(64 * 1024);
    const c = heap.alloc(64 * 1024);
    heap.release(a);
    heap.release(c);
    heap.release(b); // merges with a on the left and c (and the tail) on the right
    expect(heap.freeBlocks().length).toBe(1);
    expect(heap.usedBytes).toBe(0);
    // the whole space is one block again: the largest request that fits needs no growth
    const [[start, free]] = heap.freeBlocks();
    expect(heap.alloc(free)).toBe(start);
    expect(memory.buffer.byteLength).toBe(size);
  });

  it('grows memory when no block fits, keeping the tail block', () => {
    const { heap, memory } = heapOver(1, 0);
    const a = heap.alloc(PAGE / 2);
    const big = heap.alloc(3 * PAGE);
    expect(big).toBe(a + PAGE / 2); // continues in the tail, extended by growth
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * PAGE);
    heap.release(a);
    expect(heap.alloc(PAGE / 4)).toBe(a); // first fit: the freed block
  });

  it('random alloc/free: never overlapping, and freeing everything leaves one block', () => {
    const { heap } = heapOver(2, 64);
    const rng = new Rng(9);
    const live = new Map<number, number>();
    for (let t = 0; t < 2000; t++) {
      if (live.size > 0 && rng.float() < 0.45) {
        const keys = [...live.keys()];
        const k = keys[rng.int(keys.length)];
        heap.release(k);
        live.delete(k);
      } else {
        const n = 8 * (1 + rng.int(4000));
        const p = heap.alloc(n);
        for (const [q, m] of live) expect(p + n <= q || q + m <= p).toBe(true);
        live.set(p, n);
      }
    }
    for (const k of live.keys()) heap.release(k);
    expect(heap.freeBlocks().length).toBe(1);
  });

  it('reports a clear RangeError when memory cannot grow', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const heap = new Heap(memory, 0);
    expect(() => heap.alloc(5 * PAGE)).toThrow(/cannot grow WebAssembly memory/);
    expect(() => heap.alloc(5 * PAGE)).toThrow(RangeError);
    expect(heap.alloc(PAGE)).toBe(0); // still usable
  });
});
