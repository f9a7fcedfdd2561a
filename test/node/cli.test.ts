// The entropy-wasm command (dist/cli.js, built by `npm test`): results against the in-memory
// functions, stdin, JSON, usage errors (exit 2), and the progress bar on a pseudo-terminal only.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, entropy, entropyBatch, init, klDivergence } from '../../src/index';
import { sameBits } from '../helpers/bits';
import { bytesOf, CLI, cli, csvColumn, fixture, manifest, NPY_DIR, parseRepr, tempDir, weights } from './helpers';

beforeAll(async () => {
  await init();
});

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const p = weights(100_000, 31);
const q = weights(100_000, 32).map((x) => x + 1);
const pFile = path.join(dir, 'p.f64');
const qFile = path.join(dir, 'q.f64');
writeFileSync(pFile, bytesOf(p));
writeFileSync(qFile, bytesOf(q));

/** The single stdout line as a double (String(x) round-trips, so the bits must match). */
function value(r: ReturnType<typeof cli>): number {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines.at(-1)).toBe('');
  expect(lines).toHaveLength(2);
  return Number(lines[0]);
}

describe('commands', () => {
  it('entropy, cross-entropy, kl on files; --base bits/bans/number', () => {
    expect(sameBits(value(cli(['entropy', pFile])), entropy(p))).toBe(true);
    expect(sameBits(value(cli(['entropy', '--base', 'bits', pFile])), entropy(p, { base: 2 }))).toBe(true);
    expect(sameBits(value(cli(['cross-entropy', pFile, qFile, '--base', 'bans'])), crossEntropy(p, q, { base: 10 }))).toBe(true);
    expect(sameBits(value(cli(['kl', '--base', '3', pFile, qFile])), klDivergence(p, q, { base: 3 }))).toBe(true);
    expect(sameBits(value(cli(['kl', '--base', 'nats', pFile, qFile])), klDivergence(p, q))).toBe(true);
  });

  it('stdin (-) from a pipe and from a file, alone or as p or q', () => {
    const bytes = readFileSync(pFile);
    expect(sameBits(value(cli(['entropy', '-'], bytes)), entropy(p))).toBe(true);
    expect(sameBits(value(cli(['kl', '-', qFile], bytes)), klDivergence(p, q))).toBe(true);
    expect(sameBits(value(cli(['kl', pFile, '-'], readFileSync(qFile))), klDivergence(p, q))).toBe(true);
    const npy = readFileSync(fixture('u2_le.npy'));
    const v = parseRepr(manifest.good.find((g) => g.file === 'u2_le.npy')!.values);
    expect(sameBits(value(cli(['entropy', '-'], npy)), entropy(v))).toBe(true);
    const csv = readFileSync(path.join(NPY_DIR, manifest.csv.file));
    expect(sameBits(value(cli(['entropy', '--format', 'csv', '--column', 'count', '-'], csv)), entropy(csvColumn('count')))).toBe(true);
    // a named pipe given as FILE (its size reads as 0: it is read like a stream)
    const fifo = spawnSync('sh', ['-c', `mkfifo "${dir}/fifo" && (cat "${pFile}" > "${dir}/fifo" &) && "${process.execPath}" "${CLI}" entropy "${dir}/fifo"`], { encoding: 'utf8' });
    expect(sameBits(value(fifo), entropy(p))).toBe(true);
    // stdin redirected from a file
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" entropy - < "${pFile}"`], { encoding: 'utf8' });
    expect(sameBits(value(r), entropy(p))).toBe(true);
  });

  it('rows: one line per row; --json lines', () => {
    const g = manifest.good.find((x) => x.file === 'rows_f8.npy')!;
    const expected = entropyBatch(parseRepr(g.values), g.shape[1], { base: 2 });
    const r = cli(['rows', '--base', 'bits', fixture(g.file)]);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map(Number)).toEqual(Array.from(expected));
    const j = cli(['rows', '--json', fixture(g.file)]);
    const rows = j.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x: { row: number }) => x.row)).toEqual([0, 1, 2, 3]);
    expect(rows[2].entropy).toBe(entropyBatch(parseRepr(g.values), g.shape[1])[2]);
    const raw = cli(['rows', '--row-length', '1000', pFile]);
    expect(raw.stdout.trimEnd().split('\n').map(Number)).toEqual(Array.from(entropyBatch(p, 1000)));
  });

  it('--json: one object with the inputs, the base and the count; Infinity as a string', () => {
    const e = JSON.parse(cli(['entropy', '--json', '--base', '2', pFile]).stdout);
    expect(e).toEqual({ file: pFile, base: 2, entropy: entropy(p, { base: 2 }), count: p.length });
    const zero = path.join(dir, 'q0.f64');
    const q0 = q.slice();
    q0[5] = 0;
    p[5] = p[5] || 1;
    writeFileSync(zero, bytesOf(q0));
    writeFileSync(pFile, bytesOf(p));
    const d = JSON.parse(cli(['cross-entropy', '--json', pFile, zero]).stdout);
    expect(d).toEqual({
      p: pFile, q: zero, base: 'e', crossEntropy: 'Infinity', klDivergence: 'Infinity',
      entropyP: entropy(p), entropyQ: entropy(q0), count: p.length,
    });
  });

  it('--help and --version exit 0', () => {
    const h = cli(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/Usage:[\s\S]*cross-entropy P Q[\s\S]*Exit codes/);
    const v = cli(['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});

describe('usage errors exit 2 with one message and a hint', () => {
  const cases: [string[], RegExp][] = [
    [[], /no command/],
    [['entropi', 'x'], /unknown command "entropi"/],
    [['entropy'], /entropy takes one file, got 0/],
    [['kl', 'a'], /kl takes two files \(P and Q\), got 1/],
    [['kl', '-', '-'], /only one input can be stdin/],
    [['entropy', '--base', '1', 'x'], /--base must be a number > 0 other than 1/],
    [['entropy', '--base', 'kilobits', 'x'], /--base/],
    [['entropy', '--format', 'parquet', 'x'], /--format must be one of auto, f64, f32, npy, csv, tsv/],
    [['entropy', '--frobnicate', 'x'], /Unknown option '--frobnicate'/],
    [['entropy', '--row-length', '3', 'x'], /--row-length applies to the rows command/],
    [['rows', '--row-length', '0', 'x'], /--row-length must be a positive integer/],
    [['entropy', '/no/such/file.f64'], /cannot read \/no\/such\/file\.f64: no such file/],
  ];
  for (const [args, re] of cases) {
    it(args.join(' ') || '(nothing)', () => {
      const r = cli(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^entropy-wasm: ${re.source}`));
    });
  }

  it('a directory, a column that does not exist, a name without header: exit 2', () => {
    expect(cli(['entropy', dir]).status).toBe(2);
    const csv = path.join(NPY_DIR, manifest.csv.file);
    const r = cli(['entropy', '--column', 'nope', csv]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no column named "nope"; the columns are \("id", "count", "model p"\)/);
    expect(cli(['entropy', csv]).status).toBe(2); // several columns, none chosen
  });
});

/** Run the CLI with stderr on a pseudo-terminal (python3's pty module); stdout is a pipe. */
function onPty(args: string[], env: Record<string, string> = {}): { stderr: string; stdout: string; code: number } {
  const py = `
import json, os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
os.close(slave)
err = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    err += chunk
out = p.stdout.read()
p.wait()
print(json.dumps({'stderr': err.decode('utf-8', 'replace'), 'stdout': out.decode(), 'code': p.returncode}))
`;
  const r = spawnSync('python3', ['-c', py, process.execPath, CLI, ...args], {
    encoding: 'utf8', env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`pty helper failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('progress bar', () => {
  const big = path.join(dir, 'big.f64');
  const a = weights(4_000_000, 40); // 32 MB: four reads, so several updates
  writeFileSync(big, bytesOf(a));
  const NOW = { ENTROPY_WASM_PROGRESS_DELAY_MS: '0' }; // show at once (normally after 0.5 s)

  it('on a terminal: bytes, percent, rate and ETA on stderr, erased before the result', () => {
    const r = onPty(['entropy', big], NOW);
    expect(r.code).toBe(0);
    expect(sameBits(Number(r.stdout), entropy(a))).toBe(true);
    expect(r.stderr).toMatch(/\r\[[#.]+\]\s+\d+%\s+[\d.]+ MiB \/ 30\.5 MiB\s+[\d.]+ (B|KiB|MiB|GiB)\/s\s+ETA \d+:\d\d/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true); // the bar is erased
  });

  it('none with --quiet, none when stderr is piped', () => {
    const q = onPty(['entropy', '--quiet', big], NOW);
    expect(q.code).toBe(0);
    expect(q.stderr).toBe('');
    const piped = cli(['entropy', big], undefined, NOW);
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('an error on a terminal: the bar is erased, then one line', () => {
    const bad = path.join(dir, 'bad.f64');
    const b = a.slice();
    b[3_999_999] = -2;
    writeFileSync(bad, bytesOf(b));
    const r = onPty(['entropy', bad], NOW);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const after = r.stderr.slice(r.stderr.lastIndexOf('\r\x1b[K') + 4);
    expect(after.replace(/\r\n/g, '\n')).toMatch(/^entropy-wasm: .*bad\.f64: element 3999999 at byte offset 31999992 is -2; weights must be finite and non-negative\n$/);
  });
});
