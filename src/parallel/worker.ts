// The pool worker's entry. `npm run build:worker` bundles it into one self-contained script
// (build/worker/worker.global.js, an IIFE, without the wasm bytes: the module arrives by message)
// and embeds it as a string in the generated src/parallel/worker-code.ts; src/parallel/pool.ts
// starts it with a prologue that defines globalThis.__entropyWasmPort (Node worker_threads or a
// Web Worker). It runs the same code as the single-threaded calls: the
// driver's addShannon / addPair for exact sums, the engine's batch functions for whole rows.
import { addPair, addShannon, type Core } from '../driver';
import { createEngine } from '../engine';
import { EntropyInputError } from '../errors';
import { emptySum } from '../exact';
import { source } from '../input';
import { createTsCore } from '../ts-core';
import { createWasmCore, instantiateModule } from '../wasm/instance';
import type { Engine } from '../api';
import type { DoneMessage, InitMessage, TaskMessage, ToWorker, WorkerPort } from './protocol';

const port = (globalThis as unknown as { __entropyWasmPort: WorkerPort }).__entropyWasmPort;

let core: Promise<Core> | null = null;

function isShared(b: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer;
}
let engine: Engine | null = null;
let crash: 'exit' | 'throw' | null = null;

/** The wasm core on the module the calling thread compiled; the TS core where that is impossible (same bits). */
async function start(m: InitMessage): Promise<Core> {
  if (m.module && m.backend) {
    try {
      return createWasmCore(await instantiateModule(m.module), m.backend);
    } catch {
      // instantiation refused in this worker: the TS engine gives the same bits
    }
  }
  return createTsCore();
}

/** The first row of rows [0, n) of x whose weights are all 0 (the row a zero-sum error names). */
function firstZeroRow(x: Float64Array, rowLength: number): number {
  const n = x.length / rowLength;
  for (let r = 0; r < n; r++) {
    let zero = true;
    for (let i = r * rowLength, e = i + rowLength; i < e; i++) {
      if (x[i] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) return r;
  }
  return -1;
}

function run(c: Core, m: TaskMessage): DoneMessage {
  const { id, op, p, q } = m;
  try {
    if (m.mode === 'sums') {
      const ps = source(p, m.pName);
      if (op === 'entropy') {
        const S = emptySum(), K = emptySum(), U = emptySum();
        addShannon(c, ps, 0, p.length, S, K, U);
        return { t: 'done', id, sums: [S, K, U] };
      }
      const P = emptySum(), Q = emptySum(), A = emptySum();
      const infinite = addPair(c, op === 'kl', ps, source(q, m.qName), 0, p.length, P, Q, A);
      return { t: 'done', id, sums: [P, Q, A], infinite };
    }
    engine ??= createEngine(() => c);
    const opt = m.base === undefined ? undefined : { base: m.base };
    const values = op === 'entropy' ? engine.entropyBatch(p, m.rowLength, opt)
      : op === 'cross' ? engine.crossEntropyBatch(p, q as Float64Array, m.rowLength, opt)
        : engine.klDivergenceBatch(p, q as Float64Array, m.rowLength, opt);
    return { t: 'done', id, values };
  } catch (e) {
    if (!(e instanceof EntropyInputError)) throw e;
    if (e.code === 'zero-sum') {
      // The batch function's error names the row in its message only; every earlier row was valid
      // and non-zero, so the row is the first one of that argument with all weights 0.
      const x = e.argument === m.qName && q ? q : p;
      return { t: 'done', id, zero: { arg: e.argument, row: firstZeroRow(x, m.rowLength) } };
    }
    return { t: 'done', id, bad: { arg: e.argument, index: e.index ?? -1 } };
  }
}

port.listen((m: ToWorker) => {
  if (m.t === 'init') {
    core = start(m);
    void core.then((c) => port.post({ t: 'ready', backend: c.backend }, []));
    return;
  }
  if (m.t === 'crash') {
    crash = m.how;
    return;
  }
  if (crash === 'exit') port.exit(3);
  if (crash === 'throw') throw new Error('entropy-wasm test hook: worker crash');
  // Tasks arriving during start-up wait for the core, in order (they share one promise).
  void (core as Promise<Core>).then((c) => {
    let out: DoneMessage;
    try {
      out = run(c, m);
    } catch (e) {
      port.post({ t: 'fail', id: m.id, message: String((e as Error)?.stack ?? e) }, []);
      return;
    }
    const transfer: Transferable[] = [];
    if (out.values) transfer.push(out.values.buffer);
    // Pieces the calling thread copied come back for reuse; views of the caller's
    // SharedArrayBuffer are not ours to transfer.
    const mine = (x: Float64Array | null): x is Float64Array => x !== null && !isShared(x.buffer);
    if (mine(m.p) || mine(m.q)) {
      out = { ...out, p: mine(m.p) ? m.p : undefined, q: mine(m.q) ? m.q : undefined };
      if (mine(m.p)) transfer.push(m.p.buffer);
      if (mine(m.q)) transfer.push(m.q.buffer);
    }
    port.post(out, transfer);
  });
});
