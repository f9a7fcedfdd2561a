// The worker pool: started lazily, shared by all parallel calls, never keeping a Node process
// alive while idle. Node: worker_threads, started from the embedded script with { eval: true };
// browsers: Web Workers from a blob: URL of the same script. Each worker gets the WebAssembly.Module
// the calling thread compiled (loadWasm), so the binary is neither embedded twice nor compiled twice.
import { loadWasm, flavorBackend } from '../wasm/instance';
import { WORKER_CODE } from './worker-code';
import type { DoneMessage, FromWorker, TaskMessage, ToWorker } from './protocol';

/** The host side of one worker, Node or browser. */
interface Handle {
  post(message: ToWorker, transfer: Transferable[]): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

interface Events {
  message(m: FromWorker): void;
  died(reason: string): void;
}

interface NodeWorker {
  postMessage(m: unknown, transfer?: readonly Transferable[]): void;
  on(event: string, f: (x: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

type NodeProcess = { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return typeof p?.versions?.node === 'string' ? p : undefined;
}

/**
 * A Node built-in, without a static import: the main entry must stay free of node:* imports for
 * browser bundles. process.getBuiltinModule (Node >= 20.16) needs no import at all; older Node 20
 * takes a dynamic import of a computed specifier, which bundlers leave alone.
 */
async function nodeBuiltin<T>(id: string): Promise<T> {
  const p = nodeProcess();
  if (typeof p?.getBuiltinModule === 'function') return p.getBuiltinModule(id) as T;
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ id)) as T;
}

// The prologue gives the worker script its port (src/parallel/protocol.ts WorkerPort). An eval
// worker runs as a CommonJS script, so require is there.
const NODE_PROLOGUE = 'globalThis.__entropyWasmPort=(()=>{const{parentPort:p}=require("worker_threads");' +
  'return{post:(m,t)=>p.postMessage(m,t),listen:(f)=>p.on("message",f),exit:(c)=>process.exit(c)}})();\n';
const BROWSER_PROLOGUE = 'globalThis.__entropyWasmPort={post:(m,t)=>self.postMessage(m,t),' +
  'listen:(f)=>self.addEventListener("message",(e)=>f(e.data)),exit:()=>self.close()};\n';

let blobUrl: string | null = null;

async function spawn(events: Events): Promise<Handle> {
  if (nodeProcess()) {
    const { Worker } = await nodeBuiltin<{ Worker: new (code: string, o: { eval: boolean }) => NodeWorker }>('node:worker_threads');
    const w = new Worker(NODE_PROLOGUE + WORKER_CODE, { eval: true });
    w.on('message', (m: FromWorker) => events.message(m));
    w.on('error', (e: Error) => events.died(`uncaught ${e?.name ?? 'error'}: ${e?.message ?? String(e)}`));
    w.on('messageerror', (e: Error) => events.died(`a message could not be deserialized: ${e?.message ?? String(e)}`));
    w.on('exit', (code: number) => events.died(`exited with code ${code}`));
    return {
      post: (m, t) => w.postMessage(m, t),
      ref: () => w.ref(),
      unref: () => w.unref(),
      terminate: async () => {
        await w.terminate();
      },
    };
  }
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') {
    throw new Error('no Worker constructor');
  }
  blobUrl ??= URL.createObjectURL(new Blob([BROWSER_PROLOGUE + WORKER_CODE], { type: 'text/javascript' }));
  const w = new Worker(blobUrl);
  w.onmessage = (e: MessageEvent<FromWorker>) => events.message(e.data);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    events.died(`uncaught error: ${e.message || 'the worker failed to load or threw'}`);
  };
  w.onmessageerror = () => events.died('a message could not be deserialized');
  return {
    post: (m, t) => w.postMessage(m, t),
    ref: () => {},
    unref: () => {},
    terminate: async () => w.terminate(),
  };
}

/** One worker: its tasks in flight, ref'd while it has any (Node), unref'd when idle. */
export class Slot {
  readonly ready: Promise<boolean>;
  dead: string | null = null;
  private handle: Handle | null = null;
  private readonly pending = new Map<number, { resolve(m: DoneMessage): void; reject(e: Error): void }>();
  private setReady!: (ok: boolean) => void;
  private started = false;

  constructor(readonly index: number) {
    this.ready = new Promise((r) => (this.setReady = r));
  }

  async start(): Promise<void> {
    let module: WebAssembly.Module | null = null;
    let backend: 'wasm-simd' | 'wasm' | null = null;
    try {
      const w = await loadWasm();
      module = w.module;
      backend = flavorBackend(w.flavor);
    } catch {
      // no WebAssembly: the workers run the TS engine (same bits)
    }
    if (this.dead) return;
    try {
      this.handle = await spawn({ message: (m) => this.onMessage(m), died: (r) => this.die(`worker ${this.index} ${r}`) });
    } catch (e) {
      this.die(`worker ${this.index} could not be started: ${(e as Error)?.message ?? String(e)}`);
      return;
    }
    if (this.dead) {
      void this.handle.terminate();
      return;
    }
    this.handle.post({ t: 'init', module, backend }, []);
  }

  private onMessage(m: FromWorker): void {
    if (m.t === 'ready') {
      this.started = true;
      if (this.pending.size === 0) this.handle?.unref();
      this.setReady(true);
      return;
    }
    const task = this.pending.get(m.id);
    if (!task) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0 && this.started) this.handle?.unref();
    if (m.t === 'fail') task.reject(new Error(`entropy-wasm: worker ${this.index} failed: ${m.message}`));
    else task.resolve(m);
  }

  /** Run a task; rejects if the worker dies first or the pool is terminated. */
  run(task: TaskMessage, transfer: Transferable[]): Promise<DoneMessage> {
    if (this.dead) return Promise.reject(new Error(`entropy-wasm: ${this.dead}`));
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.handle?.ref();
      this.pending.set(task.id, { resolve, reject });
      this.handle?.post(task, transfer);
    });
  }

  post(m: ToWorker): void {
    this.handle?.post(m, []);
  }

  /** The worker is gone: reject what it had in flight and leave the pool (later calls get a new worker). */
  die(reason: string, error?: Error): void {
    if (this.dead) return;
    this.dead = reason;
    this.setReady(false);
    const e = error ?? new Error(`entropy-wasm: ${reason} while computing; the pool replaces it for later calls`);
    for (const t of this.pending.values()) t.reject(e);
    this.pending.clear();
    const i = slots.indexOf(this);
    if (i >= 0) slots.splice(i, 1);
  }

  async terminate(): Promise<void> {
    this.die('terminated', new Error('entropy-wasm: terminatePool() ended the worker pool before the computation finished'));
    await this.handle?.terminate();
  }
}

let slots: Slot[] = [];
let counter = 0;
/** Bumped by terminatePool(): a call that started with an older pool rejects. */
let generation = 0;
/** Set when no worker could be started: calls compute on the calling thread until terminatePool(). */
let unavailable = false;
let cores: Promise<number> | null = null;

/** The default number of workers: the available cores. */
export function defaultWorkers(): Promise<number> {
  cores ??= (async () => {
    if (nodeProcess()) {
      try {
        const os = await nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
        return Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
      } catch {
        return 1;
      }
    }
    const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
  })();
  return cores;
}

export function terminatedError(): Error {
  return new Error('entropy-wasm: terminatePool() ended the worker pool before the computation finished');
}

/**
 * Up to k started workers (the pool's first k, started as needed), or null where no worker can
 * be started at all (no Worker constructor, a CSP forbidding blob: workers, start-up failure).
 */
export async function acquire(k: number): Promise<Slot[] | null> {
  if (unavailable) return null;
  k = Math.max(1, k);
  const gen = generation;
  while (slots.length < k) {
    const s = new Slot(counter++);
    slots.push(s);
    void s.start();
  }
  const mine = slots.slice(0, k);
  const ok = await Promise.all(mine.map((s) => s.ready));
  if (gen !== generation) throw terminatedError();
  const live = mine.filter((s, i) => ok[i] && !s.dead);
  if (live.length === 0) {
    if (ok.some((x) => x)) throw new Error('entropy-wasm: the workers died while starting');
    unavailable = true;
    return null;
  }
  return live;
}

/**
 * End every worker of the pool. Calls in flight reject with an Error; the next call starts a
 * fresh pool. Resolves once the workers have exited.
 */
export async function terminatePool(): Promise<void> {
  generation++;
  unavailable = false;
  const all = slots;
  slots = [];
  await Promise.all(all.map((s) => s.terminate()));
  if (blobUrl) {
    URL.revokeObjectURL(blobUrl);
    blobUrl = null;
  }
}

/** Internal test hook (not exported by the package): the pool's live workers' indices. */
export function workerIndicesForTests(): number[] {
  return slots.map((s) => s.index);
}

/**
 * Internal test hook (not exported by the package): make the pool's first worker die when its
 * next task arrives, by process.exit(3) ('exit') or an uncaught exception ('throw'). Returns its index.
 */
export function crashWorkerForTests(how: 'exit' | 'throw'): number {
  const s = slots[0];
  s.post({ t: 'crash', how });
  return s.index;
}
