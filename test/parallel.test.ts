// Worker parallelism: every parallel function returns the bits of its single-threaded twin and
// rejects with the same error (class, code, argument, index, message) for every bad input; abort,
// terminatePool, dying workers, and a child process that exits by itself with an idle pool.
// Small piece limits (test hooks) make many pieces, merges and split rows out of small inputs.
import { execFile } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  init, entropy, crossEntropy, klDivergence, entropyBatch, crossEntropyBatch, klDivergenceBatch,
  entropyParallel, crossEntropyParallel, klDivergenceParallel,
  entropyBatchParallel, crossEntropyBatchParallel, klDivergenceBatchParallel, terminatePool, EntropyInputError,
} from '../src/index';
import * as pkg from '../src/index';
import { setParallelMinForTests, PARALLEL_MIN } from '../src/parallel/index';
import { copyCountsForTests, setPieceLimitsForTests, MAX_PIECE } from '../src/parallel/run';
import { crashWorkerForTests, workerIndicesForTests } from '../src/parallel/pool';
import { WORKER_CODE } from '../src/parallel/worker-code';
import { histogram, KINDS } from './helpers/gen';
import { Rng } from './helpers/prng';
import { hex, sameBits } from './helpers/bits';

type Outcome = { value?: unknown; error?: unknown };

async function outcome(f: () => unknown): Promise<Outcome> {
  try {
    return { value: await f() };
  } catch (error) {
    return { error };
  }
}

function describeError(e: unknown): string {
  const x = e as EntropyInputError;
  return JSON.stringify([x?.constructor?.name, x?.name, x?.code, x?.argument, x?.index, x?.message, 'index' in (x ?? {})]);
}

function show(o: Outcome): string {
  if ('error' in o) return `error ${describeError(o.error)}`;
  if (typeof o.value === 'number') return `${o.value} (0x${hex(o.value)})`;
  if (o.value instanceof Float64Array) return `Float64Array(${o.value.length}) ${Array.from(o.value.slice(0, 4)).map(hex)}`;
  return String(o.value);
}

/** The two outcomes are the same bits, or the same error. */
function expectSame(single: Outcome, parallel: Outcome, what: string): void {
  if ('error' in single || 'error' in parallel) {
    expect('error' in single && 'error' in parallel, `${what}: ${show(single)} vs ${show(parallel)}`).toBe(true);
    expect(parallel.error).toBeInstanceOf(EntropyInputError);
    expect(describeError(parallel.error), what).toBe(describeError(single.error));
    return;
  }
  const a = single.value, b = parallel.value;
  if (typeof a === 'number') {
    expect(sameBits(a, b as number), `${what}: ${show(single)} vs ${show(parallel)}`).toBe(true);
    return;
  }
  expect(b).toBeInstanceOf(Float64Array);
  const x = a as Float64Array, y = b as Float64Array;
  expect(y.length, what).toBe(x.length);
  for (let i = 0; i < x.length; i++) {
    if (!sameBits(x[i], y[i])) expect(`${what}[${i}]: ${x[i]} (0x${hex(x[i])})`).toBe(`${y[i]} (0x${hex(y[i])})`);
  }
}

const ONE = { entropy: [entropy, entropyParallel], crossEntropy: [crossEntropy, crossEntropyParallel], klDivergence: [klDivergence, klDivergenceParallel] } as const;
const BATCH = {
  entropyBatch: [entropyBatch, entropyBatchParallel],
  crossEntropyBatch: [crossEntropyBatch, crossEntropyBatchParallel],
  klDivergenceBatch: [klDivergenceBatch, klDivergenceBatchParallel],
} as const;

/** Call a measure with its histograms and trailing arguments, single-threaded and parallel; compare. */
async function check(name: keyof typeof ONE | keyof typeof BATCH, args: unknown[], options: unknown, what: string, raw = false) {
  const [st, par] = (name in ONE ? ONE[name as keyof typeof ONE] : BATCH[name as keyof typeof BATCH]) as unknown as
    [(...a: unknown[]) => unknown, (...a: unknown[]) => Promise<unknown>];
  // the single-threaded call takes the base only (or, raw, the very same options)
  const o = options as Record<string, unknown> | undefined;
  const measure = raw ? undefined : o && 'base' in o ? { base: o.base } : undefined;
  const single = await outcome(() => st(...args, ...(raw ? (options === undefined ? [] : [options]) : measure ? [measure] : [])));
  const parallel = await outcome(() => par(...args, options));
  expectSame(single, parallel, `${name} ${what}`);
  return parallel;
}

function shared(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(a.length * 8));
  s.set(a);
  return s;
}

beforeAll(async () => {
  await init();
});

afterEach(() => {
  setParallelMinForTests(null);
  setPieceLimitsForTests(null);
});

afterAll(async () => {
  await terminatePool();
});

describe('exports', () => {
  it('the package exports the seven functions and no test hook', () => {
    for (const f of ['entropyParallel', 'crossEntropyParallel', 'klDivergenceParallel', 'entropyBatchParallel',
      'crossEntropyBatchParallel', 'klDivergenceBatchParallel', 'terminatePool']) {
      expect(typeof (pkg as Record<string, unknown>)[f], f).toBe('function');
    }
    for (const k of Object.keys(pkg)) expect(k).not.toMatch(/ForTests|PARALLEL_MIN|setPiece/);
  });

  it('the embedded worker script does not carry the WebAssembly bytes (the module is sent to it)', () => {
    expect(WORKER_CODE.includes('AGFzbQ')).toBe(false); // "\0asm" in base64
    expect(WORKER_CODE.length).toBeLessThan(100_000);
    expect(WORKER_CODE).not.toMatch(/\bimport\b|\bexport\b|require\(/); // a plain script: the prologue gives it its port
  });
});

describe('same bits as the single-threaded functions', () => {
  it('random histograms of every kind, many pieces, 1 to 4 workers, plain, SAB and number[]', async () => {
    setParallelMinForTests(1);
    setPieceLimitsForTests({ min: 1000, max: 4000 });
    const rng = new Rng(0x5eed01);
    for (const kind of KINDS) {
      for (const n of [1, 2, 999, 1000, 1001, 7777, 30001]) {
        const p = histogram(rng, kind, n);
        const q = histogram(rng, KINDS[rng.int(KINDS.length)], n);
        const workers = 1 + rng.int(4);
        const base = rng.float() < 0.3 ? 2 : undefined;
        const o = { workers, ...(base ? { base } : {}) };
        for (const [form, pp, qq] of [['plain', p, q], ['sab', shared(p), shared(q)], ['array', Array.from(p), Array.from(q)],
          ['mixed', shared(p), Array.from(q)]] as const) {
          const what = `${kind} n=${n} workers=${workers} ${form}`;
          await check('entropy', [pp], o, what);
          await check('crossEntropy', [pp, qq], o, what);
          await check('klDivergence', [pp, qq], o, what);
        }
      }
    }
  });

  it('zeros, huge and tiny weights, and a q with zeros where p > 0 (Infinity)', async () => {
    setParallelMinForTests(1);
    setPieceLimitsForTests({ min: 512, max: 512 });
    const n = 5000;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = i % 3 === 0 ? 0 : i % 3 === 1 ? 1.7e308 : 5e-324 * i;
    const q = new Float64Array(n).fill(1);
    await check('entropy', [p], { workers: 3 }, 'extremes');
    await check('crossEntropy', [p, q], { workers: 3 }, 'extremes');
    q[4999] = 0; // p[4999] > 0
    await check('crossEntropy', [p, q], { workers: 2 }, 'q zero');
    await check('klDivergence', [p, q], { workers: 2, base: 10 }, 'q zero');
    await check('klDivergence', [q, q], { workers: 2 }, 'KL(p||p) = 0');
  });

  it('Float32Array and Uint32Array are widened as the single-threaded call does', async () => {
    setParallelMinForTests(1);
    setPieceLimitsForTests({ min: 1000, max: 3000 });
    const rng = new Rng(7);
    const f = new Float32Array(20000).map(() => rng.float() * 1e3);
    const u = new Uint32Array(20000).map(() => rng.int(50));
    await check('entropy', [f], { workers: 2 }, 'f32');
    await check('klDivergence', [f, u], { workers: 2, base: 2 }, 'f32/u32');
    await check('entropyBatch', [u, 100], { workers: 3 }, 'u32 rows');
  });

  it('lengths up to 3e6 with the real piece sizes, default workers and 1 to 4 workers', async () => {
    const rng = new Rng(99);
    for (const n of [PARALLEL_MIN - 1, PARALLEL_MIN, MAX_PIECE + 1, 3_000_000]) {
      const p = histogram(rng, n > 1e6 ? 'dense' : 'zipf', n);
      const q = histogram(rng, 'dense', n);
      for (const workers of [undefined, 1, 2, 3, 4]) {
        const o = workers ? { workers } : undefined;
        await check('entropy', [p], o, `n=${n} workers=${workers}`);
        await check('entropy', [shared(p)], o, `n=${n} workers=${workers} sab`);
      }
      await check('klDivergence', [p, q], { workers: 2 }, `n=${n}`);
      await check('crossEntropy', [shared(p), q], { workers: 3, base: 2 }, `n=${n}`);
    }
    const a = histogram(rng, 'counts', 600_000);
    await check('entropy', [Array.from(a)], { workers: 2 }, 'number[] 6e5');
  });

  it('batches: rows packed into pieces, rows longer than a piece split and merged', async () => {
    setParallelMinForTests(1);
    const rng = new Rng(3);
    for (const [limits, rows, rowLength] of [
      [{ min: 256, max: 1024 }, 500, 16], [{ min: 256, max: 1024 }, 37, 100], [{ min: 256, max: 1024 }, 9, 3000],
      [{ min: 256, max: 256 }, 5, 1000], [{ min: 1000, max: 4000 }, 1, 20000], [null, 3, 70000],
    ] as const) {
      setPieceLimitsForTests(limits);
      const p = histogram(rng, 'zipf', rows * rowLength);
      const q = histogram(rng, 'dense', rows * rowLength);
      for (let r = 0; r < rows; r += 4) p[r * rowLength] = 0; // some rows keep their zeros
      for (const workers of [1, 2, 4]) {
        const what = `${rows}x${rowLength} workers=${workers}`;
        await check('entropyBatch', [p, rowLength], { workers }, what);
        await check('entropyBatch', [shared(p), rowLength], { workers, base: 2 }, `${what} sab`);
        await check('crossEntropyBatch', [p, q, rowLength], { workers }, what);
        await check('klDivergenceBatch', [Array.from(p), shared(q), rowLength], { workers, base: 3 }, `${what} mixed`);
      }
    }
  });

  it('an empty batch resolves to an empty array, and the pool keeps working', async () => {
    setParallelMinForTests(1);
    await check('entropyBatch', [new Float64Array(0), 3], { workers: 2 }, 'empty batch');
    await check('klDivergenceBatch', [[], [], 1], { workers: 2 }, 'empty batch');
    setPieceLimitsForTests({ min: 100, max: 100 });
    await check('entropy', [new Float64Array(1000).fill(1)], { workers: 2 }, 'after the empty batch');
    expect(workerIndicesForTests().length).toBeGreaterThan(0);
  });

  it('a batch of 2e5 rows of 16 with the real thresholds', async () => {
    const rng = new Rng(11);
    const p = histogram(rng, 'counts', 200_000 * 16);
    await check('entropyBatch', [p, 16], { workers: 2 }, '2e5x16');
    await check('klDivergenceBatch', [p, histogram(rng, 'dense', p.length), 16], { workers: 3 }, '2e5x16');
  });

  it('a SharedArrayBuffer input is not copied; other inputs go in a bounded number of reused pieces', async () => {
    const n = 10_000_000;
    const p = histogram(new Rng(8), 'dense', n);
    const want = entropy(p);
    const s = shared(p);
    copyCountsForTests(true);
    const c0 = copyCountsForTests();
    expect(Object.is(await entropyParallel(s, { workers: 2 }), want)).toBe(true);
    expect(copyCountsForTests()).toEqual(c0); // read in place
    expect(Object.is(await entropyParallel(p, { workers: 2 }), want)).toBe(true);
    const c1 = copyCountsForTests();
    expect(c1.copied - c0.copied).toBe(n);
    // 20 equal pieces of 5e5 (at most 2^19 each), at most two in flight per worker: at most 4 buffers, reused
    expect(c1.allocated - c0.allocated).toBeLessThanOrEqual(4);
    expect(Object.is(await klDivergenceParallel(p, s, { workers: 2 }), klDivergence(p, s))).toBe(true);
    expect(copyCountsForTests().copied - c1.copied).toBe(n); // p only
  });

  it('pieces of a plain input are shared, never transferred (a detached ArrayBuffer would slow this thread)', async () => {
    // The first ArrayBuffer detached in a V8 isolate invalidates a protector, after which every
    // typed-array access on that thread checks for detachment: the TS kernels ran ~20 % slower.
    await terminatePool();
    const { Worker } = await import('node:worker_threads');
    const post = Worker.prototype.postMessage;
    const transfers: number[] = [];
    const pieces: boolean[] = [];
    Worker.prototype.postMessage = function (this: InstanceType<typeof Worker>, m: unknown, t?: readonly unknown[]) {
      transfers.push(t?.length ?? 0);
      const task = m as { t?: string; p?: Float64Array };
      if (task.t === 'task' && task.p) pieces.push(task.p.buffer instanceof SharedArrayBuffer);
      return post.call(this, m, t as never);
    } as typeof post;
    try {
      const p = histogram(new Rng(9), 'zipf', 3_000_000);
      expect(Object.is(await entropyParallel(p, { workers: 2 }), entropy(p))).toBe(true);
      expect(Object.is(await crossEntropyParallel(p, Array.from(p), { workers: 2 }), crossEntropy(p, p))).toBe(true);
      expect(pieces.length).toBeGreaterThan(2);
      expect(pieces.every(Boolean)).toBe(true);
      expect(transfers.every((n) => n === 0)).toBe(true);
    } finally {
      Worker.prototype.postMessage = post;
      await terminatePool();
    }
  });

  it('concurrent calls share the pool and each gets its own bits', async () => {
    setParallelMinForTests(1);
    setPieceLimitsForTests({ min: 1000, max: 2000 });
    const rng = new Rng(5);
    const hs = Array.from({ length: 6 }, (_, i) => histogram(rng, KINDS[i], 20000));
    const got = await Promise.all(hs.map((h, i) => entropyParallel(h, { workers: 1 + (i % 4) })));
    hs.forEach((h, i) => expect(sameBits(got[i], entropy(h)), `call ${i}`).toBe(true));
  });
});

describe('same errors as the single-threaded functions', () => {
  it('shapes and options', async () => {
    const p = [1, 2, 3];
    for (const [name, args, o] of [
      ['entropy', [null], undefined], ['entropy', ['abc'], undefined], ['entropy', [[]], undefined],
      ['entropy', [p], 5], ['entropy', [p], null], ['entropy', [p], [1]], ['entropy', [p], { base: 1 }],
      ['entropy', [p], { base: '2' }], ['entropy', [[]], { base: 0 }],
      ['crossEntropy', [p, [1, 2]], undefined], ['crossEntropy', [p, null], { base: -1 }], ['klDivergence', [[], []], undefined],
      ['entropyBatch', [p, 2], undefined], ['entropyBatch', [p, 0], undefined], ['entropyBatch', [p, 1.5], { base: 2 }],
      ['entropyBatch', [[], 1], undefined], ['crossEntropyBatch', [p, [1, 1], 1], undefined],
      ['klDivergenceBatch', [p, p, 4], { foo: 1 }],
    ] as const) {
      await check(name, args as unknown as unknown[], o, JSON.stringify([args, o]), true);
    }
  });

  it('workers and signal options', async () => {
    for (const workers of [0, -1, 1.5, '2', NaN, Infinity, null]) {
      const e = await entropyParallel([1, 2], { workers: workers as number }).catch((x) => x);
      expect(e).toBeInstanceOf(EntropyInputError);
      expect([e.code, e.argument]).toEqual(['option', 'options.workers']);
      expect(e.message).toMatch(/^options\.workers is .*; workers must be a positive integer$/);
    }
    for (const signal of [{}, 'x', null, 1]) {
      const e = await entropyBatchParallel([1, 2], 1, { signal: signal as unknown as AbortSignal }).catch((x) => x);
      expect([e.code, e.argument]).toEqual(['option', 'options.signal']);
    }
    const single = (() => { try { entropy([1], { nope: 1 } as never); } catch (x) { return x as EntropyInputError; } })();
    const e = await crossEntropyParallel([1], [1], { workers: 1, nope: 1 } as never).catch((x) => x);
    expect([e.code, e.argument]).toEqual([single?.code, single?.argument]); // as readBase, naming the three options
    expect([e.code, e.argument, e.message]).toEqual(['option', 'options.nope',
      'options.nope is not an option (the options are base, workers and signal)']);
    expect(await entropyParallel([1, 1], { workers: 2, base: 2, signal: new AbortController().signal })).toBe(1);
  });

  it('bad weights in any piece: the first in index order wins; p before q at the same index', async () => {
    setParallelMinForTests(1);
    const n = 20000;
    const rng = new Rng(21);
    for (const limits of [{ min: 1000, max: 1000 }, { min: 128, max: 512 }, null]) {
      setPieceLimitsForTests(limits);
      for (let trial = 0; trial < 12; trial++) {
        const p = histogram(rng, 'dense', n);
        const q = histogram(rng, 'dense', n);
        const bads = [-1, NaN, Infinity, -Infinity, -0.5];
        for (let j = 0, m = 1 + rng.int(3); j < m; j++) p[rng.int(n)] = bads[rng.int(bads.length)];
        for (let j = 0, m = rng.int(3); j < m; j++) q[rng.int(n)] = bads[rng.int(bads.length)];
        if (trial === 0) { p[15000] = -1; q[15000] = NaN; } // same index: p's error
        const workers = 1 + rng.int(4);
        const what = `trial ${trial} workers ${workers} ${JSON.stringify(limits)}`;
        await check('entropy', [p], { workers }, what);
        await check('entropy', [shared(p)], { workers }, what);
        await check('crossEntropy', [p, q], { workers }, what);
        await check('klDivergence', [q, shared(p)], { workers, base: 2 }, what);
        await check('entropyBatch', [p, 100], { workers }, what);
        await check('crossEntropyBatch', [p, q, 100], { workers }, what);
        await check('klDivergenceBatch', [p, q, 5000], { workers }, what);
      }
    }
  });

  it('zero sums: the histogram, the first zero row, and a bad weight in an earlier or later row', async () => {
    setParallelMinForTests(1);
    setPieceLimitsForTests({ min: 100, max: 400 });
    const n = 6000;
    const zeros = new Float64Array(n);
    const ones = new Float64Array(n).fill(1);
    await check('entropy', [zeros], { workers: 2 }, 'all zero');
    await check('crossEntropy', [zeros, ones], { workers: 2 }, 'p zero');
    await check('crossEntropy', [ones, zeros], { workers: 2 }, 'q zero');
    await check('klDivergence', [zeros, zeros], { workers: 3 }, 'both zero');
    for (const rowLength of [50, 1000, 3000]) {
      const p = new Float64Array(n).fill(1);
      const q = new Float64Array(n).fill(2);
      p.fill(0, 2 * rowLength, 3 * rowLength); // row 2 of p is all zero
      q.fill(0, 1 * rowLength, 2 * rowLength); // row 1 of q is all zero
      await check('entropyBatch', [p, rowLength], { workers: 2 }, `rows ${rowLength}`);
      await check('crossEntropyBatch', [p, q, rowLength], { workers: 2 }, `rows ${rowLength}`);
      await check('klDivergenceBatch', [q, p, rowLength], { workers: 3 }, `rows ${rowLength}`);
      p[n - 1] = -1; // a later row's bad weight loses to the earlier zero row
      await check('entropyBatch', [p, rowLength], { workers: 2 }, `rows ${rowLength} later bad`);
      p[3] = NaN; // an earlier row's bad weight wins
      await check('entropyBatch', [p, rowLength], { workers: 2 }, `rows ${rowLength} earlier bad`);
      await check('klDivergenceBatch', [q, p, rowLength], { workers: 2 }, `rows ${rowLength} earlier bad`);
    }
  });

  it('non-numbers in a number[] (and invalid weights before them)', async () => {
    setParallelMinForTests(1);
    setPieceLimitsForTests({ min: 1000, max: 2000 });
    const n = 20000;
    for (const [badAt, bad, negAt] of [[15000, 'x', -1], [15000, null, 14000], [500, {}, 100], [19999, undefined, 5],
      [7000, 1n, 7001], [0, '1', -1]] as const) {
      const p: unknown[] = Array.from({ length: n }, (_, i) => 1 + (i % 7));
      const q: unknown[] = Array.from({ length: n }, (_, i) => 1 + (i % 5));
      p[badAt] = bad;
      if (negAt >= 0) p[negAt] = -2;
      const what = `p[${badAt}] = ${String(bad)}, p[${negAt}] = -2`;
      await check('entropy', [p], { workers: 2 }, what);
      await check('crossEntropy', [p, q], { workers: 2 }, what);
      await check('klDivergence', [q, p], { workers: 3 }, what);
      await check('entropyBatch', [p, 10], { workers: 2 }, what);
      await check('crossEntropyBatch', [q, p, 4000], { workers: 2 }, what);
      await check('klDivergenceBatch', [p, q, 1], { workers: 2 }, what);
    }
  });
});

describe('abort', () => {
  const big = histogram(new Rng(1), 'dense', 8_000_000);

  it('an aborted signal rejects with its reason before any work', async () => {
    await terminatePool();
    const c = new AbortController();
    const reason = new Error('stop');
    c.abort(reason);
    await expect(entropyParallel(big, { signal: c.signal, workers: 2 })).rejects.toBe(reason);
    await expect(klDivergenceBatchParallel(big, big, 1000, { signal: c.signal })).rejects.toBe(reason);
    expect(workerIndicesForTests()).toEqual([]); // no pool was started
    // shape and option errors come first; weights are read only by the computation the signal prevents
    await expect(entropyParallel([], { signal: c.signal })).rejects.toBeInstanceOf(EntropyInputError);
    await expect(entropyParallel([1], { signal: c.signal, workers: 0 })).rejects.toBeInstanceOf(EntropyInputError);
    await expect(entropyParallel([-1], { signal: c.signal })).rejects.toBe(reason);
  });

  it('aborting during a call rejects promptly with the reason; the pool keeps working', async () => {
    for (const input of [big, shared(big)]) {
      await entropyParallel(big, { workers: 2 }); // pool started
      const c = new AbortController();
      const t = performance.now();
      const pending = crossEntropyParallel(input, big, { signal: c.signal, workers: 2 });
      setTimeout(() => c.abort(), 5);
      const e = await pending.catch((x) => x);
      expect(e).toBeInstanceOf(DOMException);
      expect((e as DOMException).name).toBe('AbortError');
      expect(performance.now() - t).toBeLessThan(10_000); // (hang guard, not a timing test)
      expect(Object.is(await entropyParallel(input, { workers: 2 }), entropy(big))).toBe(true);
    }
  });
});

describe('pool', () => {
  const h = histogram(new Rng(2), 'dense', 3_000_000);
  const want = entropy(h);

  it('terminatePool rejects pending calls with a clear Error; the next call starts a fresh pool', async () => {
    expect(Object.is(await entropyParallel(h, { workers: 2 }), want)).toBe(true);
    const before = workerIndicesForTests();
    expect(before.length).toBeGreaterThanOrEqual(2);
    const pending = entropyParallel(h, { workers: 2 }).then(() => null, (e) => e);
    await new Promise((r) => setTimeout(r, 2));
    await terminatePool();
    const e = await pending;
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toMatch(/terminatePool\(\) ended the worker pool/);
    expect(workerIndicesForTests()).toEqual([]);
    expect(Object.is(await entropyParallel(h, { workers: 2 }), want)).toBe(true);
    const after = workerIndicesForTests();
    expect(after.length).toBe(2);
    expect(after.some((i) => before.includes(i))).toBe(false);
    await terminatePool();
    await terminatePool(); // idempotent
  });

  for (const [how, message] of [['exit', /worker \d+ exited with code 3 while computing/], ['throw', /worker \d+ uncaught Error: entropy-wasm test hook: worker crash/]] as const) {
    it(`a worker that dies (${how}) rejects the pending call and is replaced`, async () => {
      expect(Object.is(await entropyParallel(h, { workers: 2 }), want)).toBe(true);
      const dying = crashWorkerForTests(how);
      await expect(entropyParallel(h, { workers: 2 })).rejects.toThrow(message);
      expect(workerIndicesForTests()).not.toContain(dying); // it has left the pool
      // a later call gets a new worker in its place, and the right bits
      expect(Object.is(await entropyParallel(h, { workers: 2 }), want)).toBe(true);
      const after = workerIndicesForTests();
      expect(after.length).toBe(2);
      expect(after).not.toContain(dying);
    });
  }
});

describe('the built package in a child process', () => {
  const script = (load: string) => `
    // count the workers the pool starts (the ESM namespace follows after syncBuiltinESMExports)
    const wt = process.getBuiltinModule('node:worker_threads');
    let made = 0;
    const W = wt.Worker;
    wt.Worker = class extends W { constructor(...a) { super(...a); made++; } };
    process.getBuiltinModule('node:module').syncBuiltinESMExports();
    ${load}
    const n = 1 << 21;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = 1 + (i % 1000) * (i % 7);
    m.entropyParallel(p, { workers: 2 }).then((h) => {
      process.stdout.write(JSON.stringify({ same: Object.is(h, m.entropy(p)), h, made }) + '\\n');
      globalThis.resolvedAt = Date.now();
      process.on('exit', () => process.stdout.write(JSON.stringify({ exitAfterMs: Date.now() - globalThis.resolvedAt }) + '\\n'));
    });`;

  for (const [kind, args] of [
    ['ESM', ['--input-type=module', '-e', script("const m = await import('entropy-wasm');")]],
    ['CJS', ['-e', script("const m = require('entropy-wasm');")]],
    // Node 20 before 20.16 has no process.getBuiltinModule: the pool takes a dynamic import
    ['ESM without process.getBuiltinModule', ['--input-type=module', '-e',
      script("delete process.getBuiltinModule; const m = await import('entropy-wasm');")]],
    ['CJS without process.getBuiltinModule', ['-e', script("delete process.getBuiltinModule; const m = require('entropy-wasm');")]],
    // no WebAssembly on the calling thread: the workers run the TS engine, same bits
    ['ESM without WebAssembly', ['--input-type=module', '-e', script("delete globalThis.WebAssembly; const m = await import('entropy-wasm');")]],
  ] as const) {
    it(`${kind}: entropyParallel resolves and the process exits by itself (idle workers are unref'd)`, async () => {
      const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
        // the timeout is a hang guard: a pool that kept the process alive would never let it exit
        const child = execFile(process.execPath, [...args], { timeout: 60_000, encoding: 'utf8' }, (err, stdout) => {
          if (err && err.killed) reject(new Error(`the child did not exit by itself: ${stdout}`));
          else resolve({ stdout, code: err ? (err.code as number) : 0 });
        });
        void child;
      });
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines[0].same).toBe(true);
      expect(lines[0].made).toBe(2); // computed on workers, not on the calling thread
      expect(typeof lines[1].exitAfterMs).toBe('number');
    });
  }
});
