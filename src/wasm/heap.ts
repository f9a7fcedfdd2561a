// The workspace allocator: blocks of WebAssembly memory above the kernels' fixed layout, handed out
// first-fit from a free list that is kept sorted and coalesced, 16-byte aligned. When no free block
// is large enough, memory grows (memory.grow) by what the request still needs. Growth happens only
// here, that is when a workspace allocates, never during a computation.

/** Alignment of every block (a v128 load at a block's start is then aligned too). */
export const ALIGN = 16;
const PAGE = 65536;
/** Smallest growth, in pages (1 MiB): many small histograms should not grow memory one page at a time. */
const MIN_GROW_PAGES = 16;

interface Block {
  start: number;
  size: number;
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** A first-fit allocator over memory[base, memory end), growing the memory on demand. */
export class Heap {
  /** Free blocks, sorted by start, never adjacent (adjacent ones are merged). */
  private readonly free: Block[] = [];
  /** Allocated blocks: start -> size. */
  private readonly used = new Map<number, number>();

  constructor(private readonly memory: WebAssembly.Memory, base: number) {
    const start = alignUp(base);
    const end = memory.buffer.byteLength;
    if (end > start) this.free.push({ start, size: end - start });
  }

  /** Address of a new block of at least `bytes` bytes (its contents are not cleared). */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    let i = this.free.findIndex((b) => b.size >= size);
    if (i < 0) {
      this.grow(size);
      i = this.free.length - 1; // growth leaves one free block at the end, large enough
    }
    const b = this.free[i];
    const ptr = b.start;
    if (b.size === size) this.free.splice(i, 1);
    else {
      b.start += size;
      b.size -= size;
    }
    this.used.set(ptr, size);
    return ptr;
  }

  /** Return a block to the free list, merging it with free neighbours. Unknown addresses are ignored. */
  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) return;
    this.used.delete(ptr);
    this.insertFree(ptr, size);
  }

  /** Bytes in allocated blocks. */
  get usedBytes(): number {
    let n = 0;
    for (const s of this.used.values()) n += s;
    return n;
  }

  /** The free list as [start, size] pairs (for tests). */
  freeBlocks(): [number, number][] {
    return this.free.map((b) => [b.start, b.size]);
  }

  private insertFree(start: number, size: number): void {
    const f = this.free;
    // first free block after `start`
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    const prev = lo > 0 ? f[lo - 1] : null;
    const next = lo < f.length ? f[lo] : null;
    if (prev && prev.start + prev.size === start) {
      prev.size += size;
      if (next && prev.start + prev.size === next.start) {
        prev.size += next.size;
        f.splice(lo, 1);
      }
    } else if (next && start + size === next.start) {
      next.start = start;
      next.size += size;
    } else {
      f.splice(lo, 0, { start, size });
    }
  }

  /** Grow memory so that the free block at its end holds at least `size` bytes. */
  private grow(size: number): void {
    const end = this.memory.buffer.byteLength;
    const last = this.free.length > 0 ? this.free[this.free.length - 1] : null;
    const tail = last && last.start + last.size === end ? last.size : 0;
    const pages = Math.max(MIN_GROW_PAGES, Math.ceil((size - tail) / PAGE));
    try {
      this.memory.grow(pages);
    } catch (e) {
      // retry with exactly what is needed, in case the minimum step is what did not fit
      const exact = Math.ceil((size - tail) / PAGE);
      try {
        if (exact >= pages) throw e;
        this.memory.grow(exact);
      } catch {
        throw new RangeError(`entropy-wasm workspace: cannot grow WebAssembly memory from ${end} bytes by ` +
          `${exact * PAGE} bytes for a block of ${size} bytes (the limit is 4 GiB, or what the engine allows)`);
      }
    }
    const newEnd = this.memory.buffer.byteLength;
    this.insertFree(end, newEnd - end);
  }
}
