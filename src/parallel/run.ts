// One parallel call: cut the input into pieces, keep a bounded number of them in flight per
// worker (a worker that finishes pulls the next piece: dynamic load balance), merge the exact
// sums or place the rows, finalize once with the single-threaded code (src/finalize.ts), and
// report the error the single-threaded call would report.
import { STAGE_LEN } from '../driver';
import { badWeight, type EntropyInputError } from '../errors';
import { isZero, mergeSum, type ExactSum } from '../exact';
import { crossEntropyFromSums, entropyFromSums, inBase, klDivergenceFromSums } from '../finalize';
import { copyChunk, type Source } from '../input';
import { zeroSum } from '../validate';
import { acquire, type Slot } from './pool';
import type { DoneMessage, Op, TaskMessage } from './protocol';

/**
 * Largest piece, in elements (4 MiB of doubles per array). Against 2^20, two workers on a plain
 * 10^7 input went from 1.46x to 1.54-1.63x the single-threaded speed (the piece the calling thread
 * has just copied is still in cache when its worker reads it); 2^18 was no better, 2^17 worse.
 */
export const MAX_PIECE = 1 << 19;
/** Pieces in flight per worker: one computing, one waiting, so a worker never idles on a round trip. */
const IN_FLIGHT = 2;
/** Aim for at least this many pieces per worker, so that a slow worker cannot hold the others up long. */
const PIECES_PER_WORKER = 4;

/** A checked call: the measure, its sources, and the matrix shape (one row for a one-shot call). */
export interface Job {
  readonly op: Op;
  /** A batch function: messages name the row, the result is one value per row. */
  readonly batch: boolean;
  readonly p: Source;
  readonly q: Source | null;
  readonly rows: number;
  readonly rowLength: number;
  readonly base: number | undefined;
}

function isShared(a: Float64Array | null): a is Float64Array {
  return a !== null && typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
}

let minPiece = STAGE_LEN;
let maxPiece = MAX_PIECE;

/**
 * Piece length for n elements on k workers: a multiple of STAGE_LEN (whole kernel stages) in
 * [STAGE_LEN, MAX_PIECE], or, where n needs more than PIECES_PER_WORKER pieces of MAX_PIECE per
 * worker, the length that cuts n into a multiple of k equal pieces, so that the workers finish
 * together. Any length gives the same bits and errors (the sums are exact and the errors are
 * ranked by index), so only speed and memory depend on it.
 */
function pieceLength(n: number, k: number): number {
  const want = Math.ceil(n / (k * PIECES_PER_WORKER));
  if (want > maxPiece) return Math.ceil(n / (k * Math.ceil(n / (k * maxPiece))));
  return Math.min(maxPiece, Math.max(minPiece, Math.ceil(want / minPiece) * minPiece));
}

/**
 * Internal test hook (not exported by the package): piece lengths in [min, max] (multiples of
 * min), so that tests exercise many pieces, merges and split rows on small inputs; null restores.
 */
export function setPieceLimitsForTests(limits: { min: number; max: number } | null): void {
  minPiece = limits?.min ?? STAGE_LEN;
  maxPiece = limits?.max ?? MAX_PIECE;
}

interface Piece {
  /** First element (global index into p and q). */
  readonly start: number;
  readonly count: number;
  /** mode 'sums': the row the piece belongs to; mode 'rows': its first row. */
  readonly row: number;
}

/** An error of the single-threaded call, and where it sits in the order that call checks things. */
interface Candidate {
  readonly key: number;
  readonly make: () => EntropyInputError;
}

/**
 * Run the job on up to k workers. `single` is the single-threaded call on the calling thread: it
 * serves where no worker can start.
 */
export async function runJob(
  job: Job, k: number, signal: AbortSignal | undefined, single: () => number | Float64Array,
): Promise<number | Float64Array> {
  const { op, batch, p, q, rows, rowLength: L, base } = job;
  const total = rows * L;
  const piece = pieceLength(total, k);
  // Rows no longer than a piece travel whole (rows mode: the batch function computes them); longer
  // rows, and one-shot histograms, are cut into pieces whose exact sums are merged (sums mode).
  const sums = L > piece;
  const perRow = sums ? Math.ceil(L / piece) : 0;
  const rowsPer = sums ? 0 : Math.max(1, Math.floor(piece / L));
  const tasks = sums ? rows * perRow : Math.ceil(rows / rowsPer);
  const pieceAt = (i: number): Piece => {
    if (sums) {
      const row = Math.floor(i / perRow);
      const off = (i % perRow) * piece;
      return { start: row * L + off, count: Math.min(piece, L - off), row };
    }
    const row = i * rowsPer;
    return { start: row * L, count: Math.min(rowsPer, rows - row) * L, row };
  };

  const slots = await untilAborted(acquire(Math.min(k, tasks)), signal);
  if (!slots) return single();

  return new Promise((resolve, reject) => {
    const out = new Float64Array(rows);
    const open = new Map<number, { sums: ExactSum[]; infinite: boolean; done: number }>();
    active++;
    const inFlight = new Map<Slot, number>();
    let next = 0;
    let running = 0;
    let finished = false;
    let error: Candidate | null = null;

    const finish = (f: () => void): void => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      if (--active === 0) scheduleTrim();
      try {
        f();
      } catch (e) {
        reject(e); // (a bug; never leave the promise pending)
      }
    };
    const onAbort = (): void => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort);

    const consider = (c: Candidate): void => {
      if (!error || c.key < error.key) error = c;
    };
    const srcOf = (arg: string): Source => (q && arg === q.name ? q : p);
    const badAt = (arg: string, i: number): Candidate => {
      const s = srcOf(arg);
      return { key: i, make: () => badWeight(s.name, i, s.any[i], batch ? L : undefined) };
    };
    // A zero-sum is found once the row's weights have all been checked: it ranks after every
    // element of the row and before the next row.
    const zeroAt = (arg: string, row: number): Candidate =>
      ({ key: (row + 1) * L - 0.5, make: () => zeroSum(arg, batch ? row : undefined) });

    /**
     * The piece of one array: a view of the input's SharedArrayBuffer, read in place, or a copy in
     * a piece buffer: shared where SharedArrayBuffer exists (it goes back to the spares when the
     * piece is done), else transferred (and returned by the worker). `own` collects the shared
     * piece buffers of this task.
     */
    const carry = (s: Source, at: Piece, transfer: Transferable[], own: Float64Array[]): Float64Array => {
      if (isShared(s.f64)) return s.f64.subarray(at.start, at.start + at.count);
      const view = takeBuffer(piece).subarray(0, at.count);
      copyChunk(s, at.start, at.count, view); // widens (a non-number becomes NaN, reported in index order)
      counts.copied += at.count;
      if (view.buffer instanceof ArrayBuffer) transfer.push(view.buffer);
      else own.push(view); // a SharedArrayBuffer piece
      return view;
    };

    const settle = (at: Piece, m: DoneMessage): void => {
      if (m.bad) {
        consider(badAt(m.bad.arg, at.start + m.bad.index));
      } else if (m.zero) {
        consider(zeroAt(m.zero.arg, at.row + m.zero.row));
      } else if (m.values) {
        out.set(m.values, at.row);
      } else if (m.sums) {
        let acc = open.get(at.row);
        if (!acc) {
          acc = { sums: m.sums, infinite: !!m.infinite, done: 1 };
          open.set(at.row, acc);
        } else {
          for (let j = 0; j < 3; j++) mergeSum(acc.sums[j], m.sums[j]);
          acc.infinite ||= !!m.infinite;
          acc.done++;
        }
        if (acc.done === perRow) {
          open.delete(at.row);
          finishRow(at.row, acc.sums, acc.infinite);
        }
      }
    };

    // The single-threaded finalization (src/engine.ts entropyOf / divergenceOf, then inBase).
    const finishRow = (row: number, s: ExactSum[], infinite: boolean): void => {
      if (op === 'entropy') {
        if (isZero(s[0])) return consider(zeroAt(p.name, row));
        out[row] = inBase(entropyFromSums(s[0], s[1], s[2]), base);
        return;
      }
      if (isZero(s[0])) return consider(zeroAt(p.name, row));
      if (isZero(s[1])) return consider(zeroAt((q as Source).name, row));
      const nats = op === 'kl' ? klDivergenceFromSums(s[0], s[1], s[2], infinite)
        : crossEntropyFromSums(s[0], s[1], s[2], infinite);
      out[row] = inBase(nats, base);
    };

    const done = (): void => {
      if (running > 0 || (next < tasks && !error)) return;
      finish(() => {
        const e = error as Candidate | null;
        if (!e) return resolve(batch ? out : out[0]);
        reject(e.make());
      });
    };

    const dispatch = (slot: Slot): boolean => {
      if (finished || error || next >= tasks || (inFlight.get(slot) ?? 0) >= IN_FLIGHT || slot.dead) return false;
      const at = pieceAt(next);
      const transfer: Transferable[] = [];
      const own: Float64Array[] = [];
      const pa = carry(p, at, transfer, own);
      const qa = q ? carry(q, at, transfer, own) : null;
      const task: TaskMessage = {
        t: 'task', id: 0, op, mode: sums ? 'sums' : 'rows', p: pa, q: qa, pName: p.name, qName: q?.name ?? 'q', rowLength: L, base,
      };
      next++;
      running++;
      inFlight.set(slot, (inFlight.get(slot) ?? 0) + 1);
      slot.run({ ...task, id: nextTaskId() }, transfer).then((m) => {
        running--;
        inFlight.set(slot, (inFlight.get(slot) ?? 1) - 1);
        for (const a of [m.p, m.q, ...own]) if (a) giveBuffer(a);
        if (finished) return; // aborted or failed: the piece's result is discarded
        settle(at, m);
        while (dispatch(slot));
        done();
      }, (e: Error) => {
        running--;
        finish(() => reject(e));
      });
      return true;
    };

    // Deal the first pieces round-robin, then each worker pulls the next one as it finishes one.
    for (let round = 0; round < IN_FLIGHT; round++) for (const s of slots) dispatch(s);
    done();
  });
}

// Piece buffers, reused across calls: a fresh 4 MiB buffer costs more to allocate (page faults,
// zeroing) than to fill, so each is allocated once. Where SharedArrayBuffer exists (Node; a
// cross-origin isolated page) pieces are shared, not transferred: transferring detaches an
// ArrayBuffer, and the first detach in a V8 isolate invalidates a global protector, after which
// every typed-array access on this thread is checked for detachment (measured: the TS engine's
// entropy kernel about 20 % slower for the rest of the process). Elsewhere they are transferred
// both ways. At most IN_FLIGHT per worker and array are out at a time; the spares are dropped once
// no call has run for a second.
const spares: Float64Array[] = [];
const MAX_SPARES = 16;
let active = 0;
let trim: ReturnType<typeof setTimeout> | null = null;

/** Counters for the tests: elements copied by this thread, piece buffers allocated. */
const counts = { copied: 0, allocated: 0 };

function takeBuffer(length: number): Float64Array {
  for (let i = spares.length - 1; i >= 0; i--) {
    if (spares[i].length >= length) return spares.splice(i, 1)[0];
  }
  counts.allocated++;
  return typeof SharedArrayBuffer === 'function' ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** Internal test hook (not exported by the package): copy and allocation counters; `drop` empties the spares. */
export function copyCountsForTests(drop = false): { copied: number; allocated: number } {
  if (drop) spares.length = 0;
  return { ...counts };
}

function giveBuffer(view: Float64Array): void {
  if (spares.length < MAX_SPARES) spares.push(new Float64Array(view.buffer));
}

function scheduleTrim(): void {
  if (trim) clearTimeout(trim);
  trim = setTimeout(() => {
    trim = null;
    if (active === 0) spares.length = 0;
  }, 1000);
  // never keep a Node process alive for this
  (trim as { unref?: () => void }).unref?.();
}

/** p, or a rejection with signal.reason as soon as the signal aborts (a pool may take a while to start). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

let taskIds = 0;
function nextTaskId(): number {
  return ++taskIds;
}
