// Every bad-data case, through the API (EntropyInputError: code, argument, index, message naming
// the file, the element and its byte offset or line/column) and through the CLI (exit 1, one line
// on stderr, nothing on stdout).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index';
import { divergenceOfFiles, entropyOfFile, entropyRowsOfFile, EntropyInputError } from '../../src/node/index';
import { bytesOf, cli, fixture, manifest, tempDir, weights } from './helpers';

beforeAll(async () => {
  await init();
});

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const file = (name: string, data: Uint8Array | string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, data);
  return f;
};

/** A version 1.0 .npy of `n` zero elements (header padded to 64 bytes, as numpy writes it). */
function npy(descr: string, shape: string, n: number): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  dict += ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  const head = new Uint8Array(10 + dict.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
  head.set(new TextEncoder().encode(dict), 10);
  const out = new Uint8Array(head.length + 8 * n);
  out.set(head);
  return out;
}

/** The API rejects with this error; the CLI exits 1 with one stderr line holding the same message. */
async function bad(args: string[], api: () => Promise<unknown>, code: string, message: RegExp, index?: number): Promise<void> {
  const err = await api().then(() => null, (e: unknown) => e);
  expect(err, 'the API must reject').toBeInstanceOf(EntropyInputError);
  const e = err as EntropyInputError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  if (index !== undefined) expect(e.index).toBe(index);
  const r = cli(args);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(`entropy-wasm: ${e.message}`);
}

describe('bad data: the API error and the CLI line', () => {
  it('raw file whose size is not a multiple of the element size', async () => {
    const f = file('t.f64', bytesOf(weights(10, 1)).subarray(0, 77));
    await bad(['entropy', f], () => entropyOfFile(f), 'format',
      new RegExp(`^${f}: truncated: 5 byte\\(s\\) left at byte offset 72.*element 9 is incomplete`), 9);
    const g = file('t.f32', new Uint8Array(10));
    await bad(['entropy', '--format', 'f32', g], () => entropyOfFile(g, { format: 'f32' }), 'format', /2 byte\(s\) left at byte offset 8/, 2);
  });

  it('bad .npy headers, unsupported dtypes, Fortran order, 3-D, truncated and trailing data', async () => {
    const expectations: Record<string, RegExp> = {
      'fortran_2d.npy': /Fortran order .* not supported/,
      'complex.npy': /unsupported dtype '<c16'/,
      'f2.npy': /unsupported dtype '<f2'/,
      'bool.npy': /unsupported dtype '\|b1'/,
      'structured.npy': /structured dtype/,
      '3d.npy': /3-D array is not supported/,
      'truncated_data.npy': /truncated \.npy data: the header declares 20 elements \(shape \(20,\)\) but the data ends after 18 and 4 byte\(s\) of element 18, at byte offset 276/,
      'truncated_header.npy': /ends at byte offset 40, inside the header/,
      'trailing.npy': /data continues after the 20 elements/,
      'bad_magic.npy': /magic/,
      'bad_version.npy': /version 9\.0/,
      'bad_dict.npy': /bad \.npy header: unexpected character "N"/,
    };
    const listed = manifest.bad.map((b) => b.file).filter((f) => f in expectations);
    expect(listed.sort()).toEqual(Object.keys(expectations).sort());
    for (const [name, re] of Object.entries(expectations)) {
      const f = fixture(name);
      await bad(['entropy', f], () => entropyOfFile(f), 'format', new RegExp(`^${f.replace(/[.]/g, '\\.')}: .*${re.source}`));
    }
  });

  it('negative, NaN and infinite values name the element and its byte offset (and row/column for rows)', async () => {
    const f = fixture('negative.npy');
    await bad(['entropy', f], () => entropyOfFile(f), 'negative', /negative\.npy: element 13 at byte offset 232 is -0\.5; weights must be finite and non-negative/, 13);
    const g = fixture('nan_f4.npy');
    await bad(['entropy', g], () => entropyOfFile(g), 'nan', /element 7 at byte offset 156 is NaN/, 7);
    const a = weights(5000, 2);
    a[4321] = Infinity;
    const h = file('inf.f64', bytesOf(a));
    await bad(['entropy', h], () => entropyOfFile(h), 'infinite', new RegExp(`element 4321 at byte offset ${4321 * 8} is Infinity`), 4321);
    await bad(['rows', '--row-length', '100', h], async () => {
      for await (const _ of entropyRowsOfFile(h, { rowLength: 100 }));
    }, 'infinite', /element 4321 \(row 43, column 21\) at byte offset 34568 is Infinity/, 4321);
  });

  it('a bad value far into a large file: the global index, not the index in the chunk', async () => {
    const a = weights(2_500_000, 3);
    a[2_345_678] = -1;
    const f = file('far.f64', bytesOf(a));
    await bad(['entropy', f], () => entropyOfFile(f), 'negative', new RegExp(`element 2345678 at byte offset ${2_345_678 * 8} is -1`), 2_345_678);
  });

  it('CSV: unparsable and empty cells, bad values, ragged rows (line and column)', async () => {
    const c = file('bad.csv', 'name,w\na,1\nb,2x\n');
    await bad(['entropy', '--column', 'w', c], () => entropyOfFile(c, { column: 'w' }), 'not-number',
      /bad\.csv: line 3, column 1 \("w"\): element 1 is "2x", not a number/, 1);
    const e = file('empty.csv', 'w\n1\n \n2\n,\n');
    await bad(['entropy', e], () => entropyOfFile(e), 'not-number', /line 5, column 0 \("w"\): element 2 is an empty cell/, 2);
    const n = file('neg.tsv', '1\t2\n3\t-4\n');
    await bad(['entropy', '--column', '1', n], () => entropyOfFile(n, { column: 1 }), 'negative', /neg\.tsv: element 1 at line 2, column 1 is -4/, 1);
    const r = file('ragged.csv', '1,2\n3\n');
    await bad(['rows', r], async () => {
      for await (const _ of entropyRowsOfFile(r));
    }, 'format', /line 2 has 1 cell\(s\), but the rows have 2/);
    await bad(['entropy', '--column', '1', r], () => entropyOfFile(r, { column: 1 }), 'format', /line 2 has 1 cell\(s\); column 1 is missing/);
  });

  it('p and q of different lengths', async () => {
    const p = file('p.f64', bytesOf(weights(1000, 4)));
    const q = file('q.f64', bytesOf(weights(999, 5)));
    await bad(['kl', p, q], () => divergenceOfFiles(p, q), 'length-mismatch',
      new RegExp(`${q} must have the same length as ${p} \\(${p} has 1000 values, ${q} has 999\\)`), 999);
    await bad(['cross-entropy', q, p], () => divergenceOfFiles(q, p), 'length-mismatch', /has 999 values, .* has 1000/);
  });

  it('a bad value in q names q, its element and byte offset', async () => {
    const p = file('p2.f64', bytesOf(weights(3000, 6)));
    const qv = weights(3000, 7);
    qv[2999] = NaN;
    const q = file('q2.f64', bytesOf(qv));
    await bad(['cross-entropy', p, q], () => divergenceOfFiles(p, q), 'nan', new RegExp(`^${q}: element 2999 at byte offset 23992 is NaN`), 2999);
  });

  it('a header-only CSV, an .npy with no elements or rows of length 0', async () => {
    const h = file('header.csv', 'count\n');
    await bad(['entropy', h], () => entropyOfFile(h), 'empty', /header\.csv: holds no values/);
    const none = file('none.npy', npy('<f8', '(0,)', 0));
    await bad(['entropy', none], () => entropyOfFile(none), 'empty', /holds no values/);
    const flat = file('flat.npy', npy('<f8', '(3, 0)', 0));
    await bad(['rows', flat], async () => {
      for await (const _ of entropyRowsOfFile(flat));
    }, 'empty', /rows of length 0 \(shape \(3, 0\)\)/);
  });

  it('empty and all-zero inputs, an all-zero row', async () => {
    const z = file('zero.f64', new Uint8Array(80));
    await bad(['entropy', z], () => entropyOfFile(z), 'zero-sum', /zero\.f64: all 10 values are 0/);
    const e = file('empty.f64', new Uint8Array(0));
    await bad(['entropy', e], () => entropyOfFile(e), 'empty', /empty\.f64: holds no values/);
    const m = file('m.csv', '1,2\n0,0\n3,4\n');
    await bad(['rows', m], async () => {
      const got: number[] = [];
      for await (const h of entropyRowsOfFile(m)) got.push(h);
    }, 'zero-sum', /m\.csv: row 1 sums to 0/);
  });
});
