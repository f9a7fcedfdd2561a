// Byte sources: a Node Readable, a web ReadableStream or any AsyncIterable of byte chunks, and
// files read into one reused buffer. Everything becomes an AsyncIterator<Uint8Array>.
import { open } from 'node:fs/promises';
import { EntropyInputError, show } from '../errors';

/** What the stream functions accept: chunks of bytes (Uint8Array, Buffer) or of doubles (Float64Array). */
export type ByteSource =
  | AsyncIterable<Uint8Array | Float64Array>
  | ReadableStream<Uint8Array | Float64Array>
  | NodeJS.ReadableStream;

/** A chunk as bytes; `doubles` is true for a Float64Array chunk (its bytes in the host's order). */
export interface Chunk {
  readonly bytes: Uint8Array;
  readonly doubles: boolean;
}

/** Turn any accepted source into an iterator of chunks (type-checked as they arrive). */
export function chunksOf(source: unknown, label: string): AsyncIterator<Chunk> {
  const it = iteratorOf(source, label);
  let n = 0;
  return {
    async next(): Promise<IteratorResult<Chunk>> {
      const r = await it.next();
      if (r.done) return { done: true, value: undefined };
      const c: unknown = r.value;
      const index = n++;
      if (c instanceof Uint8Array) return { done: false, value: { bytes: c, doubles: false } };
      if (c instanceof Float64Array) {
        return { done: false, value: { bytes: new Uint8Array(c.buffer, c.byteOffset, c.byteLength), doubles: true } };
      }
      throw new EntropyInputError('not-array', label,
        `${label}: chunk ${index} is ${typeof c === 'string' ? 'a string' : show(c)}; chunks must be Uint8Array, Buffer or Float64Array (a Readable must not have an encoding set)`,
        index);
    },
    async return(): Promise<IteratorResult<Chunk>> {
      await it.return?.();
      return { done: true, value: undefined };
    },
  };
}

function iteratorOf(source: unknown, label: string): AsyncIterator<unknown> {
  if (source !== null && typeof source === 'object') {
    const s = source as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown>; getReader?: () => ReadableStreamDefaultReader<unknown> };
    if (typeof s[Symbol.asyncIterator] === 'function') return s[Symbol.asyncIterator]!();
    if (typeof s.getReader === 'function') {
      // A web ReadableStream without async iteration (older runtimes): read it by hand.
      const reader = s.getReader();
      return {
        next: () => reader.read() as Promise<IteratorResult<unknown>>,
        async return() {
          await reader.cancel();
          return { done: true, value: undefined };
        },
      };
    }
  }
  throw new EntropyInputError('not-array', label,
    `${label} must be a Node Readable, a web ReadableStream or an AsyncIterable of byte chunks (got ${show(source)})`);
}

/** Bytes per read from a file: large reads keep the per-chunk costs (syscall, accumulator flush) small. */
export const FILE_READ_BYTES = 8 << 20;

/** An open file, read front to back into one reused buffer (each chunk is valid until the next). */
export interface FileChunks {
  /** The size of a regular file; undefined for pipes, devices and the like. */
  readonly size: number | undefined;
  readonly chunks: AsyncIterator<Chunk>;
}

/** Open `path` for reading. Rejects with the fs error (ENOENT, EISDIR, ...) if it cannot be read. */
export async function openFile(path: string): Promise<FileChunks> {
  const fh = await open(path, 'r');
  let size: number | undefined;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR' });
    size = st.isFile() ? st.size : undefined; // a FIFO or /dev/stdin reports 0
  } catch (e) {
    await fh.close();
    throw e;
  }
  // Sized to a regular file (small files need no 8 MiB buffer); a file may still grow, so
  // reading goes on until read() returns 0.
  const buf = Buffer.allocUnsafeSlow(size === undefined ? FILE_READ_BYTES : Math.max(64, Math.min(FILE_READ_BYTES, size)));
  let closed = false;
  const close = async (): Promise<void> => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  const chunks: AsyncIterator<Chunk> = {
    async next() {
      if (closed) return { done: true, value: undefined };
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, buf.length, null));
      } catch (e) {
        await close();
        throw e;
      }
      if (bytesRead === 0) {
        await close();
        return { done: true, value: undefined };
      }
      return { done: false, value: { bytes: buf.subarray(0, bytesRead), doubles: false } };
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
  return { size, chunks };
}
