// Every format against the in-memory functions, bit for bit: the .npy files written by numpy
// (test/fixtures/npy/make.py; values from its manifest, not from our reader), raw f64/f32, CSV/TSV.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, entropy, entropyBatch, init, klDivergence } from '../../src/index';
import {
  divergenceOfFiles, entropyOfFile, entropyOfStream, entropyRowsOfFile, EntropyInputError,
} from '../../src/node/index';
import { sameBits } from '../helpers/bits';
import { bytesOf, csvColumn, fixture, iterate, manifest, NPY_DIR, parseRepr, tempDir, weights } from './helpers';

beforeAll(async () => {
  expect(await init()).toBe('wasm-simd');
});

async function collect(it: AsyncIterable<number>): Promise<number[]> {
  const out: number[] = [];
  for await (const h of it) out.push(h);
  return out;
}

describe('.npy files written by numpy', () => {
  for (const g of manifest.good) {
    const values = parseRepr(g.values);
    it(`${g.file} (${g.descr}, shape (${g.shape.join(', ')}))`, async () => {
      if (g.shape.length <= 1) {
        const h = await entropyOfFile(fixture(g.file));
        expect(sameBits(h, entropy(values))).toBe(true);
        expect(sameBits(await entropyOfFile(fixture(g.file), { base: 2 }), entropy(values, { base: 2 }))).toBe(true);
        // format given explicitly, and the same bytes as a stream
        expect(sameBits(await entropyOfFile(fixture(g.file), { format: 'npy' }), h)).toBe(true);
      } else {
        await expect(entropyOfFile(fixture(g.file))).rejects.toThrow(/2-D array.*by rows/);
      }
      const rowLength = g.shape.length === 2 ? g.shape[1] : values.length;
      const rows = await collect(entropyRowsOfFile(fixture(g.file), { base: 2 }));
      const expected = entropyBatch(values, rowLength, { base: 2 });
      expect(rows.length).toBe(expected.length);
      rows.forEach((h, r) => expect(sameBits(h, expected[r]), `row ${r}`).toBe(true));
    });
  }

  it('int64/uint64 beyond 2^53 round to the nearest double, as Number(BigInt) does', async () => {
    const g = manifest.good.find((x) => x.file === 'u8_le_big.npy')!;
    const exact = [2n ** 64n - 1n, 2n ** 63n + 1n, 2n ** 53n + 1n, 2n ** 53n + 3n, 12345678901234567890n, 0n, 7n];
    expect(parseRepr(g.values)).toEqual(Float64Array.from(exact, (x) => Number(x)));
    expect(sameBits(await entropyOfFile(fixture(g.file)), entropy(exact.map((x) => Number(x))))).toBe(true);
  });

  it('divergence of two .npy files of different dtypes and byte orders', async () => {
    const p = parseRepr(manifest.good.find((x) => x.file === 'f8_be.npy')!.values);
    const q = parseRepr(manifest.good.find((x) => x.file === 'f4_le.npy')!.values).map((x) => x + 1);
    const { dir, cleanup } = tempDir();
    try {
      const qFile = path.join(dir, 'q.f64');
      writeFileSync(qFile, bytesOf(q));
      const r = await divergenceOfFiles(fixture('f8_be.npy'), qFile);
      expect(sameBits(r.crossEntropy, crossEntropy(p, q))).toBe(true);
      expect(sameBits(r.klDivergence, klDivergence(p, q))).toBe(true);
      expect(sameBits(r.entropyP, entropy(p))).toBe(true);
      expect(sameBits(r.entropyQ, entropy(q))).toBe(true);
      expect(r.count).toBe(p.length);
    } finally {
      cleanup();
    }
  });
});

describe('raw f64 and f32', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const a = weights(300_001, 7);

  it('f64 (auto), f32 (by option and by .f32 extension)', async () => {
    writeFileSync(path.join(dir, 'a.bin'), bytesOf(a));
    const f32 = new Float32Array(a);
    writeFileSync(path.join(dir, 'a.raw'), bytesOf(f32));
    writeFileSync(path.join(dir, 'a.f32'), bytesOf(f32));
    expect(sameBits(await entropyOfFile(path.join(dir, 'a.bin')), entropy(a))).toBe(true);
    expect(sameBits(await entropyOfFile(path.join(dir, 'a.raw'), { format: 'f32' }), entropy(f32))).toBe(true);
    expect(sameBits(await entropyOfFile(path.join(dir, 'a.f32')), entropy(f32))).toBe(true);
  });

  it('rows of raw data need rowLength, and give entropyBatch', async () => {
    const m = a.subarray(0, 1000 * 300);
    writeFileSync(path.join(dir, 'm.f64'), bytesOf(m));
    const rows = await collect(entropyRowsOfFile(path.join(dir, 'm.f64'), { rowLength: 300 }));
    const expected = entropyBatch(m, 300);
    expect(rows.length).toBe(1000);
    rows.forEach((h, r) => expect(sameBits(h, expected[r]), `row ${r}`).toBe(true));
    await expect(collect(entropyRowsOfFile(path.join(dir, 'm.f64')))).rejects.toThrow(/rowLength is needed/);
    // a row length that does not divide the data: the last row is incomplete
    await expect(collect(entropyRowsOfFile(path.join(dir, 'm.f64'), { rowLength: 7 }))).rejects.toMatchObject({
      code: 'format', message: expect.stringMatching(/last row \(row 42857\) is incomplete: 1 of 7 values/),
    });
  });

  it('rows longer than a batch (a row split across reads) still give entropy(row)', async () => {
    const m = weights(3 * 1_500_000, 11);
    writeFileSync(path.join(dir, 'long.f64'), bytesOf(m));
    const rows = await collect(entropyRowsOfFile(path.join(dir, 'long.f64'), { rowLength: 1_500_000 }));
    expect(rows).toHaveLength(3);
    for (let r = 0; r < 3; r++) expect(sameBits(rows[r], entropy(m.subarray(r * 1_500_000, (r + 1) * 1_500_000)))).toBe(true);
  });
});

describe('CSV and TSV', () => {
  const sample = path.join(NPY_DIR, manifest.csv.file);
  const tsv = path.join(NPY_DIR, manifest.csv.tsv);
  const count = csvColumn('count');
  const model = csvColumn('model p');

  it('a column by name (quoted header) or index; header detected', async () => {
    expect(sameBits(await entropyOfFile(sample, { column: 'count' }), entropy(count))).toBe(true);
    expect(sameBits(await entropyOfFile(sample, { column: 2, base: 10 }), entropy(model, { base: 10 }))).toBe(true);
    expect(sameBits(await entropyOfFile(sample, { column: 'model p', header: true }), entropy(model))).toBe(true);
  });

  it('TSV without a header, by index (header detected as absent)', async () => {
    expect(sameBits(await entropyOfFile(tsv, { column: 1 }), entropy(count))).toBe(true);
    expect(sameBits(await entropyOfFile(tsv, { column: 1, header: false }), entropy(count))).toBe(true);
    // header: true makes the first line a header, so the data starts at the second value
    expect(sameBits(await entropyOfFile(tsv, { column: 1, header: true }), entropy(count.subarray(1)))).toBe(true);
  });

  it('divergence of two columns of one file', async () => {
    const r = await divergenceOfFiles(sample, sample, { column: 1 });
    expect(sameBits(r.klDivergence, klDivergence(count, count))).toBe(true);
    const p = await entropyOfFile(sample, { column: 'count' });
    expect(sameBits(p, r.entropyP)).toBe(true);
  });

  it('a CSV column against a raw file: column applies to the text input only', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const q = path.join(dir, 'q.f64');
      writeFileSync(q, bytesOf(model));
      const r = await divergenceOfFiles(sample, q, { column: 'count' });
      expect(sameBits(r.crossEntropy, crossEntropy(count, model))).toBe(true);
      await expect(entropyOfFile(q, { column: 'count' })).rejects.toMatchObject({ code: 'option', message: expect.stringMatching(/column applies to CSV\/TSV input only/) });
    } finally {
      cleanup();
    }
  });

  it('rows are lines (all cells), header skipped', async () => {
    const rows = await collect(entropyRowsOfFile(sample));
    const ids = csvColumn('id');
    expect(rows).toHaveLength(ids.length);
    rows.forEach((h, r) => expect(sameBits(h, entropy([ids[r], count[r], model[r]])), `row ${r}`).toBe(true));
  });

  it('several columns and none chosen, a missing name, a name without header: option errors', async () => {
    await expect(entropyOfFile(sample)).rejects.toMatchObject({ code: 'option', message: expect.stringMatching(/has 3 columns \("id", "count", "model p"\)/) });
    await expect(entropyOfFile(sample, { column: 'nope' })).rejects.toMatchObject({ code: 'option', message: expect.stringMatching(/no column named "nope"/) });
    await expect(entropyOfFile(tsv, { column: 'count' })).rejects.toMatchObject({ code: 'option', message: expect.stringMatching(/no header line/) });
    await expect(entropyOfFile(sample, { column: 3 })).rejects.toMatchObject({ code: 'option' });
  });

  it('quoted cells, CRLF, blank lines, nan/inf spellings reported as values', async () => {
    const text = 'w\r\n"1.5"\r\n\r\n2\r\n 3e0 \r\n';
    expect(sameBits(await entropyOfStream(iterate([new TextEncoder().encode(text)]), { format: 'csv' }), entropy([1.5, 2, 3]))).toBe(true);
    await expect(entropyOfStream(iterate([new TextEncoder().encode('w\n1\n-inf\n')]), { format: 'csv' }))
      .rejects.toMatchObject({ code: 'infinite', index: 1, message: expect.stringMatching(/line 3, column 0 \("w"\)/) });
    await expect(entropyOfStream(iterate([new TextEncoder().encode('1\nNaN\n')]), { format: 'csv' }))
      .rejects.toBeInstanceOf(EntropyInputError);
  });
});

describe('auto detection', () => {
  it('.npy by magic whatever the name; text by extension; otherwise f64', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const v = parseRepr(manifest.good.find((x) => x.file === 'i4_le.npy')!.values);
      const npy = (await import('node:fs')).readFileSync(fixture('i4_le.npy'));
      writeFileSync(path.join(dir, 'counts.dat'), npy);
      expect(sameBits(await entropyOfFile(path.join(dir, 'counts.dat')), entropy(v))).toBe(true);
      writeFileSync(path.join(dir, 'c.txt'), '1\n2\n3\n');
      expect(sameBits(await entropyOfFile(path.join(dir, 'c.txt')), entropy([1, 2, 3]))).toBe(true);
      writeFileSync(path.join(dir, 'fake.npy'), bytesOf(new Float64Array([1, 2])));
      await expect(entropyOfFile(path.join(dir, 'fake.npy'))).rejects.toMatchObject({ code: 'format', message: expect.stringMatching(/magic/) });
    } finally {
      cleanup();
    }
  });
});
