#!/usr/bin/env node
// The entropy-wasm command: entropy, cross entropy, KL divergence and per-row entropy of files
// (or stdin) through entropy-wasm/node. Results go to stdout, one line each; errors are one line on
// stderr. Exit codes: 0 success, 1 bad data, 2 bad usage (including a file that cannot be opened).
import { fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EntropyInputError } from '../errors';
import { divergenceOfInputs, entropyOfInput, entropyRowsOfInput, type Input } from './measures';
import { ProgressBar } from './progress';
import { FORMATS, type FileFormat } from './reader';
import type { RowsOptions } from './options';

declare const __ENTROPY_WASM_VERSION__: string | undefined;
const VERSION = typeof __ENTROPY_WASM_VERSION__ === 'string' ? __ENTROPY_WASM_VERSION__ : 'dev';

const HELP = `Usage:
  entropy-wasm entropy FILE          entropy H(P) of the histogram in FILE
  entropy-wasm cross-entropy P Q     cross entropy H(P, Q)
  entropy-wasm kl P Q                Kullback-Leibler divergence D(P || Q)
  entropy-wasm rows FILE             entropy of each row, one line per row

A FILE of - reads stdin. Histograms are non-negative weights, normalized by their sum.

Formats (--format, default auto):
  f64, f32   raw little-endian doubles / floats
  npy        NumPy .npy (float64, float32, (u)int8..64, either byte order; 1-D, or 2-D rows)
  csv, tsv   one column of a CSV/TSV file (rows: every column of each line)
  auto       .npy by its magic bytes; .csv/.txt csv, .tsv/.tab tsv, .f32 f32; otherwise f64

Options:
  --base B          base of the logarithm: a number, or bits (2), nats (e, the default), bans (10)
  --format F        one of ${FORMATS.join(', ')}
  --column C        CSV/TSV column: index from 0, or header name (needed if there are several)
  --header          CSV/TSV: the first line is a header (default: detected)
  --no-header       CSV/TSV: the first line is data
  --row-length N    rows of raw f64/f32 data: values per row
  --json            print JSON (one object; rows: one object per line)
  --quiet           no progress bar (it is shown on a terminal only, for long inputs)
  -h, --help        this help
  -V, --version     the version

Exit codes: 0 success, 1 bad data (the message names the file, the element index and its
byte offset or line and column), 2 bad usage or a file that cannot be opened.
`;

const COMMANDS: Record<string, number> = { entropy: 1, 'cross-entropy': 2, kl: 2, rows: 1 };

/** A usage error: exit code 2. */
class UsageError extends Error {}

function parseBase(s: string): number | undefined {
  const named: Record<string, number | undefined> = { bits: 2, bit: 2, nats: undefined, nat: undefined, e: undefined, bans: 10, ban: 10 };
  if (s in named) return named[s];
  const t = s.trim();
  const x = Number(t);
  if (t === '' || !Number.isFinite(x) || x <= 0 || x === 1) {
    throw new UsageError(`--base must be a number > 0 other than 1, or bits, nats or bans (got ${JSON.stringify(s)})`);
  }
  return x;
}

function parseColumn(s: string): number | string {
  return /^\d+$/.test(s) ? Number(s) : s;
}

/** JSON numbers cannot be Infinity: it is written as the string "Infinity". */
function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/**
 * Buffered stdout that waits for 'drain'. The first HOLD_BYTES are held back until the command
 * succeeds, so that bad data found late prints no result lines at all, unless the output is
 * larger than that (rows of a huge input): then it streams, and the exit code tells.
 */
const HOLD_BYTES = 8 << 20;
class Out {
  #buf = '';
  #streaming = false;
  constructor(readonly stream: NodeJS.WriteStream) {}
  async line(s: string): Promise<void> {
    this.#buf += s + '\n';
    if (this.#buf.length >= (this.#streaming ? 1 << 16 : HOLD_BYTES)) {
      this.#streaming = true;
      await this.flush();
    }
  }
  async flush(): Promise<void> {
    if (this.#buf === '') return;
    const ok = this.stream.write(this.#buf);
    this.#buf = '';
    if (!ok) await new Promise((resolve) => this.stream.once('drain', resolve));
  }
  /** Drop held lines (on error). */
  discard(): void {
    this.#buf = '';
  }
}

function stdinInput(): Input {
  let size: number | undefined;
  try {
    const st = fstatSync(0);
    if (st.isFile()) size = st.size; // `< file`: the size is known
  } catch {
    // no stdin
  }
  return { source: process.stdin, name: 'stdin', size };
}

/** Run the command line `argv` (without node and the script). @returns the exit code */
export async function main(argv: string[]): Promise<number> {
  let bar: ProgressBar | null = null;
  const out = new Out(process.stdout);
  try {
    const { values, positionals } = (() => {
      try {
        return parseArgs({
          args: argv, allowPositionals: true, strict: true,
          options: {
            base: { type: 'string' }, format: { type: 'string' }, column: { type: 'string' },
            header: { type: 'boolean' }, 'no-header': { type: 'boolean' }, 'row-length': { type: 'string' },
            json: { type: 'boolean' }, quiet: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' },
          },
        });
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    })();
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.version) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const [command, ...files] = positionals;
    if (command === undefined) throw new UsageError('no command (entropy, cross-entropy, kl or rows)');
    const arity = COMMANDS[command];
    if (arity === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)} (use entropy, cross-entropy, kl or rows)`);
    if (files.length !== arity) {
      throw new UsageError(`${command} takes ${arity === 1 ? 'one file' : 'two files (P and Q)'}, got ${files.length}`);
    }
    if (files.filter((f) => f === '-').length > 1) throw new UsageError('only one input can be stdin (-)');
    const options: RowsOptions = {};
    if (values.base !== undefined) options.base = parseBase(values.base);
    if (options.base === undefined) delete options.base;
    if (values.format !== undefined) {
      if (!FORMATS.includes(values.format as FileFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(values.format)})`);
      options.format = values.format as FileFormat;
    }
    if (values.column !== undefined) options.column = parseColumn(values.column);
    if (values.header && values['no-header']) throw new UsageError('--header and --no-header exclude each other');
    if (values.header) options.header = true;
    if (values['no-header']) options.header = false;
    if (values['row-length'] !== undefined) {
      if (command !== 'rows') throw new UsageError('--row-length applies to the rows command');
      const n = Number(values['row-length']);
      if (!/^\d+$/.test(values['row-length']) || !Number.isSafeInteger(n) || n <= 0) {
        throw new UsageError(`--row-length must be a positive integer (got ${JSON.stringify(values['row-length'])})`);
      }
      options.rowLength = n;
    }
    if (process.stderr.isTTY && !values.quiet) {
      const delay = Number(process.env.ENTROPY_WASM_PROGRESS_DELAY_MS ?? 500);
      const b = new ProgressBar(process.stderr, Number.isFinite(delay) ? delay : 500);
      bar = b;
      options.onProgress = (read, total) => b.update(read, total);
    }
    const inputs = files.map((f): Input => (f === '-' ? stdinInput() : { path: f }));
    const base = options.base ?? 'e';
    if (command === 'entropy') {
      const r = await entropyOfInput(inputs[0], options);
      bar?.done();
      await out.line(values.json ? JSON.stringify({ file: files[0], base, entropy: jsonNumber(r.entropy), count: r.count }) : String(r.entropy));
    } else if (command === 'rows') {
      let row = 0;
      for await (const h of entropyRowsOfInput(inputs[0], options)) {
        if (bar) {
          // Rows are printed as they come: erase the bar first, it is redrawn on the next chunk.
          bar.done();
        }
        await out.line(values.json ? JSON.stringify({ row, entropy: jsonNumber(h) }) : String(h));
        row++;
      }
      bar?.done();
    } else {
      const r = await divergenceOfInputs(inputs[0], inputs[1], options);
      bar?.done();
      const value = command === 'kl' ? r.klDivergence : r.crossEntropy;
      await out.line(values.json
        ? JSON.stringify({
          p: files[0], q: files[1], base, crossEntropy: jsonNumber(r.crossEntropy), klDivergence: jsonNumber(r.klDivergence),
          entropyP: jsonNumber(r.entropyP), entropyQ: jsonNumber(r.entropyQ), count: r.count,
        })
        : String(value));
    }
    await out.flush();
    return 0;
  } catch (e) {
    bar?.done();
    out.discard();
    return report(e);
  }
}

/** Print one line for the error and return the exit code. */
function report(e: unknown): number {
  const say = (s: string): void => void process.stderr.write(`entropy-wasm: ${s}\n`);
  if (e instanceof UsageError) {
    say(e.message);
    process.stderr.write("Try 'entropy-wasm --help'.\n");
    return 2;
  }
  if (e instanceof EntropyInputError) {
    say(e.message);
    return e.code === 'option' ? 2 : 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string' && err.path !== undefined) {
    say(`cannot read ${err.path}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`);
    return 2;
  }
  if (err && err.code === 'EISDIR') {
    say(err.message);
    return 2;
  }
  say(`internal error: ${err?.stack ?? String(e)}`);
  return 1;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (e.g. `rows FILE | head`) ends the program quietly.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
