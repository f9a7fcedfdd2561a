// Shared helpers of the entropy-wasm/node tests: the numpy fixtures and their manifest, seeded
// chunk splits of a byte stream, temporary files, and running the built CLI.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../helpers/prng';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NPY_DIR = path.join(ROOT, 'test/fixtures/npy');
export const CLI = path.join(ROOT, 'dist/cli.js');

interface Good { file: string; descr: string; shape: number[]; values: string[] }
interface Bad { file: string; reason: string }
interface Manifest {
  good: Good[];
  bad: Bad[];
  csv: { file: string; tsv: string; columns: string[]; [column: string]: string[] | string };
}

/** manifest.json, written by make.py with the values as Python reprs (decoded without our reader). */
export const manifest: Manifest = JSON.parse(readFileSync(path.join(NPY_DIR, 'manifest.json'), 'utf8'));

/** Python float repr -> double (repr round-trips; 'inf'/'nan' do not occur in the good files). */
export function parseRepr(values: readonly string[]): Float64Array {
  return Float64Array.from(values, Number);
}

export const fixture = (name: string): string => path.join(NPY_DIR, name);

/** The CSV sample's column as doubles. */
export function csvColumn(name: string): Float64Array {
  return parseRepr(manifest.csv[name] as string[]);
}

/** Split bytes at seeded random points: chunk sizes from 1 byte to `max`, some of them 1-7 bytes. */
export function randomSplit(bytes: Uint8Array, seed: number, max = 4096): Uint8Array[] {
  const rng = new Rng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) {
    const len = rng.int(4) === 0 ? 1 + rng.int(7) : 1 + rng.int(max);
    // copies, as a stream would hand over fresh buffers at odd offsets
    const c = new Uint8Array(len + 3).subarray(3);
    const piece = bytes.subarray(i, i + len);
    c.set(piece);
    out.push(c.subarray(0, piece.length));
    i += len;
  }
  return out;
}

/** An AsyncIterable over the given chunks (yielding to the event loop between them). */
export async function* iterate<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'entropy-wasm-node-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The bytes of a Float64Array / Float32Array (little-endian host). */
export function bytesOf(a: Float64Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** Run the built CLI with piped stdio. */
export function cli(args: string[], input?: Uint8Array | string, env?: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    input, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20,
  });
}

/** Seeded weights with zeros: the test histograms. */
export function weights(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.int(5) === 0 ? 0 : rng.float() * 100;
  return a;
}
