// Streams: random chunk splits of the byte stream (a number split anywhere), p and q in different
// chunk sizes, every accepted source type, progress callbacks, and abort.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, entropy, entropyBatch, init, klDivergence } from '../../src/index';
import {
  divergenceOfFiles, divergenceOfStreams, entropyOfFile, entropyOfStream, entropyRowsOfStream,
} from '../../src/node/index';
import { sameBits } from '../helpers/bits';
import { bytesOf, fixture, iterate, manifest, NPY_DIR, parseRepr, randomSplit, tempDir, weights } from './helpers';

beforeAll(async () => {
  await init();
});

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('random chunk splits give the in-memory bits', () => {
  const a = weights(20_011, 3);
  const cases: [string, Uint8Array, string, Float64Array | Float32Array][] = [
    ['f64', bytesOf(a), 'f64', a],
    ['f32', bytesOf(new Float32Array(a)), 'f32', new Float32Array(a)],
    ['npy >f8', readFileSync(fixture('f8_be.npy')), 'auto', parseRepr(manifest.good.find((g) => g.file === 'f8_be.npy')!.values)],
    ['npy >i8', readFileSync(fixture('i8_be.npy')), 'npy', parseRepr(manifest.good.find((g) => g.file === 'i8_be.npy')!.values)],
    ['npy v3', readFileSync(fixture('f8_v3.npy')), 'auto', parseRepr(manifest.good.find((g) => g.file === 'f8_v3.npy')!.values)],
  ];
  for (const [name, bytes, format, values] of cases) {
    it(name, async () => {
      const expected = entropy(values);
      for (const seed of SEEDS) {
        const chunks = randomSplit(bytes, seed, seed % 2 ? 64 : 50_000);
        const h = await entropyOfStream(iterate(chunks), { format: format as 'auto' });
        expect(sameBits(h, expected), `seed ${seed}, ${chunks.length} chunks`).toBe(true);
      }
      // one byte at a time
      const ones = Array.from(bytes.subarray(0, Math.min(bytes.length, 4000)), (b) => Uint8Array.of(b));
      if (bytes.length <= 4000) expect(sameBits(await entropyOfStream(iterate(ones), { format: format as 'auto' }), expected)).toBe(true);
    });
  }

  it('CSV split inside numbers, lines and UTF-8 characters', async () => {
    const text = 'größe;x\n' + Array.from(a.subarray(0, 3000), (x, i) => `"é${i}",${x}`).join('\n') + '\n';
    const csv = new TextEncoder().encode(text.replace('größe;x', 'größe,x'));
    for (const seed of SEEDS) {
      const h = await entropyOfStream(iterate(randomSplit(csv, seed, 97)), { format: 'csv', column: 'x' });
      expect(sameBits(h, entropy(a.subarray(0, 3000))), `seed ${seed}`).toBe(true);
    }
  });

  it('rows of a 2-D .npy from a stream split anywhere', async () => {
    const g = manifest.good.find((x) => x.file === 'rows_f8.npy')!;
    const expected = entropyBatch(parseRepr(g.values), g.shape[1]);
    const bytes = readFileSync(fixture(g.file));
    for (const seed of SEEDS) {
      const out: number[] = [];
      for await (const h of entropyRowsOfStream(iterate(randomSplit(bytes, seed, 100)))) out.push(h);
      expect(out.length).toBe(expected.length);
      out.forEach((h, r) => expect(sameBits(h, expected[r]), `seed ${seed} row ${r}`).toBe(true));
    }
  });

  it('p and q in different chunk sizes (and formats) are aligned by element count', async () => {
    const p = weights(30_000, 21);
    const q = weights(30_000, 22).map((x) => x + 0.25);
    const pBytes = bytesOf(p);
    const qBytes = bytesOf(new Float32Array(q));
    const q32 = new Float32Array(q);
    for (const seed of SEEDS) {
      const r = await divergenceOfStreams(iterate(randomSplit(pBytes, seed, 3000)), iterate(randomSplit(bytesOf(q), seed + 100, 40)));
      expect(sameBits(r.crossEntropy, crossEntropy(p, q)), `seed ${seed}`).toBe(true);
      expect(sameBits(r.klDivergence, klDivergence(p, q, {}))).toBe(true);
      expect(sameBits(r.entropyP, entropy(p))).toBe(true);
      expect(sameBits(r.entropyQ, entropy(q))).toBe(true);
      expect(r.count).toBe(30_000);
    }
    // format applies to both inputs
    const r = await divergenceOfStreams(iterate(randomSplit(bytesOf(new Float32Array(p)), 9, 500)), iterate(randomSplit(qBytes, 10, 7000)), { format: 'f32', base: 2 });
    expect(sameBits(r.klDivergence, klDivergence(new Float32Array(p), q32, { base: 2 }))).toBe(true);
  });
});

describe('source types', () => {
  const a = weights(5000, 5);
  const bytes = bytesOf(a);

  it('Node Readable, web ReadableStream, Float64Array chunks, Buffers', async () => {
    const expected = entropy(a);
    expect(sameBits(await entropyOfStream(Readable.from(randomSplit(bytes, 1, 999).map((c) => Buffer.from(c)))), expected)).toBe(true);
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of randomSplit(bytes, 2, 999)) controller.enqueue(c);
        controller.close();
      },
    });
    expect(sameBits(await entropyOfStream(web), expected)).toBe(true);
    const f64chunks = [a.subarray(0, 1), a.subarray(1, 2500), a.subarray(2500)];
    expect(sameBits(await entropyOfStream(iterate(f64chunks)), expected)).toBe(true);
    // a web ReadableStream without async iteration is read through getReader()
    const chunks = randomSplit(bytes, 3, 999);
    const bare = { getReader: () => ({ read: async () => (chunks.length ? { done: false, value: chunks.shift() } : { done: true, value: undefined }), cancel: async () => {} }) };
    expect(sameBits(await entropyOfStream(bare as unknown as ReadableStream<Uint8Array>), expected)).toBe(true);
  });

  it('a file stream (fs.createReadStream) and entropyOfFile agree', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = path.join(dir, 'a.f64');
      writeFileSync(f, bytes);
      expect(sameBits(await entropyOfStream(createReadStream(f, { highWaterMark: 1000 })), await entropyOfFile(f))).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('rejects strings, other typed arrays, Float64Array chunks in a non-f64 format, and non-streams', async () => {
    await expect(entropyOfStream(iterate(['1,2,3'] as never[]))).rejects.toMatchObject({ code: 'not-array', message: expect.stringMatching(/chunk 0 is a string/) });
    await expect(entropyOfStream(iterate([new Float32Array(2)] as never[]))).rejects.toMatchObject({ code: 'not-array' });
    await expect(entropyOfStream(iterate([a]), { format: 'csv' })).rejects.toMatchObject({ code: 'option' });
    await expect(entropyOfStream(iterate([new Uint8Array(8), a]), { format: 'f32' })).rejects.toMatchObject({ code: 'option' });
    await expect(entropyOfStream(42 as never)).rejects.toMatchObject({ code: 'not-array' });
    await expect(entropyOfStream(iterate([]))).rejects.toMatchObject({ code: 'empty' });
    await expect(entropyOfStream(iterate([new Uint8Array(16)]))).rejects.toMatchObject({ code: 'zero-sum', message: expect.stringMatching(/all 2 values are 0/) });
  });
});

describe('progress and abort', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const a = weights(3_000_000, 8); // 24 MB: three 8 MiB reads
  const file = path.join(dir, 'a.f64');
  writeFileSync(file, bytesOf(a));

  it('onProgress: increasing byte counts up to the file size, with the total', async () => {
    const calls: [number, number | undefined][] = [];
    const h = await entropyOfFile(file, { onProgress: (b, t) => calls.push([b, t]) });
    expect(sameBits(h, entropy(a))).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.at(-1)).toEqual([a.byteLength, a.byteLength]);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThan(calls[i - 1][0]);
    // two files: both counted against the sum of the sizes; streams: total unknown unless given
    const both: number[] = [];
    await divergenceOfFiles(file, file, { onProgress: (b, t) => both.push(b, t!) });
    expect(both.slice(-2)).toEqual([2 * a.byteLength, 2 * a.byteLength]);
    const s: (number | undefined)[] = [];
    await entropyOfStream(iterate([bytesOf(a.subarray(0, 10))]), { onProgress: (_b, t) => s.push(t) });
    expect(s).toEqual([undefined]);
  });

  it('an aborted signal rejects with its reason, before or during the read, and releases the stream', async () => {
    const before = new AbortController();
    before.abort(new Error('stop now'));
    await expect(entropyOfFile(file, { signal: before.signal })).rejects.toThrow('stop now');

    const during = new AbortController();
    await expect(entropyOfFile(file, { signal: during.signal, onProgress: () => during.abort() })).rejects.toMatchObject({ name: 'AbortError' });

    const stream = createReadStream(file, { highWaterMark: 1 << 16 });
    const ac = new AbortController();
    let chunks = 0;
    await expect(entropyOfStream(stream, { signal: ac.signal, onProgress: () => ++chunks === 3 && ac.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBe(3);
    expect(stream.destroyed).toBe(true);

    const rows = new AbortController();
    const it = entropyRowsOfStream(createReadStream(file), { rowLength: 1000, signal: rows.signal });
    await it.next();
    rows.abort();
    // the current read is processed, the next read sees the abort
    await expect((async () => { for (;;) if ((await it.next()).done) return; })()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('the same file twice through NPY_DIR paths works after an abort (no leaked state)', async () => {
    const v = parseRepr(manifest.good[0].values);
    expect(sameBits(await entropyOfFile(path.join(NPY_DIR, manifest.good[0].file)), entropy(v))).toBe(true);
  });
});
