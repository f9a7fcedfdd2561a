// The CLI's progress bar: one line on a terminal (bytes, percent, rate, ETA), redrawn at most 10
// times a second, shown only once a read has taken longer than a moment, erased at the end.

/** Where the bar is drawn: a TTY write stream (process.stderr). */
export interface BarStream {
  write(s: string): unknown;
  readonly columns?: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : n.toFixed(1)} ${UNITS[u]}`;
}

/** 75 -> "1:15". */
export function formatSeconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class ProgressBar {
  readonly #out: BarStream;
  readonly #delayMs: number;
  readonly #now: () => number;
  readonly #start: number;
  #last = -Infinity;
  #drawn = false;

  /**
   * @param out the terminal stream @param delayMs how long a read runs before the bar appears
   * @param now a clock in ms (tests)
   */
  constructor(out: BarStream, delayMs = 500, now: () => number = () => performance.now()) {
    this.#out = out;
    this.#delayMs = delayMs;
    this.#now = now;
    this.#start = now();
  }

  /** Report progress (the onProgress callback). */
  update(bytes: number, total: number | undefined): void {
    const t = this.#now();
    const elapsed = t - this.#start;
    if (elapsed < this.#delayMs || t - this.#last < 100) return;
    this.#last = t;
    this.#drawn = true;
    this.#out.write(`\r${this.line(bytes, total, elapsed / 1000)}\x1b[K`);
  }

  /** The bar's text for `bytes` of `total` after `seconds`. */
  line(bytes: number, total: number | undefined, seconds: number): string {
    const rate = seconds > 0 ? bytes / seconds : 0;
    const speed = `${formatBytes(rate)}/s`;
    if (total === undefined || total <= 0) return `${formatBytes(bytes)}  ${speed}`;
    const f = Math.min(1, bytes / total);
    const eta = rate > 0 ? `ETA ${formatSeconds((total - bytes) / rate)}` : 'ETA --:--';
    const text = `${(f * 100).toFixed(0).padStart(3)}%  ${formatBytes(bytes)} / ${formatBytes(total)}  ${speed}  ${eta}`;
    const width = Math.max(10, Math.min(40, (this.#out.columns ?? 80) - text.length - 4));
    const full = Math.round(f * width);
    return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]  ${text}`;
  }

  /** Erase the bar (before the result or an error is printed). */
  done(): void {
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#drawn = false;
  }
}
