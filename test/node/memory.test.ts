// Flat memory: a 512 MiB raw f64 file (written in 8 MiB pieces, larger than anything the reader
// holds) through the CLI and through the API in child processes, whose peak RSS
// (process.resourceUsage().maxRSS, read at exit) must stay under 150 MB. The result is checked
// against the in-memory entropy of the same numbers, generated piece by piece and merged
// with EntropyAccumulator (exact, so this equals the one-shot bits).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntropyAccumulator, init } from '../../src/index';
import { sameBits } from '../helpers/bits';
import { Rng } from '../helpers/prng';
import { CLI, ROOT, tempDir } from './helpers';

const MIB = 1 << 20;
const SIZE_MIB = Number(process.env.ENTROPY_WASM_MEMORY_TEST_MIB ?? 512);
const LIMIT = 150e6;
const { dir, cleanup } = tempDir();
const file = path.join(dir, 'large.f64');
let expected = 0;

beforeAll(async () => {
  await init();
  const rng = new Rng(512);
  const piece = new Float64Array(MIB); // 8 MiB
  const acc = new EntropyAccumulator();
  const fd = openSync(file, 'w');
  try {
    for (let k = 0; k < SIZE_MIB / 8; k++) {
      // cheap seeded values: a few random doubles per piece, spread by a multiplicative walk
      let x = rng.float() + 0.5;
      for (let i = 0; i < piece.length; i++) {
        x = x * 1.0000001 + 1e-9;
        piece[i] = (i & 7) === 0 ? 0 : x;
      }
      acc.update(piece);
      writeSync(fd, new Uint8Array(piece.buffer));
    }
  } finally {
    closeSync(fd);
  }
  expected = acc.entropy();
});
afterAll(cleanup);

/** Node args that print maxRSS (bytes) as the last stderr line at exit. */
const REPORT_RSS = ['--import', 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxRSS="+process.resourceUsage().maxRSS*1024+"\\n"))'];

function run(args: string[]): { out: string; rss: number } {
  const r = spawnSync(process.execPath, [...REPORT_RSS, ...args], { encoding: 'utf8', cwd: ROOT });
  expect(r.status, r.stderr).toBe(0);
  const m = /maxRSS=(\d+)/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return { out: r.stdout, rss: Number(m![1]) };
}

describe(`a ${SIZE_MIB} MiB file`, () => {
  it('the CLI: the one-shot bits, peak RSS under 150 MB', () => {
    const { out, rss } = run([CLI, 'entropy', '--quiet', file]);
    expect(sameBits(Number(out), expected)).toBe(true);
    console.log(`CLI entropy of ${SIZE_MIB} MiB: maxRSS ${(rss / 1e6).toFixed(1)} MB`);
    expect(rss).toBeLessThan(LIMIT);
  });

  it('the API (entropyOfFile, and divergenceOfFiles of the file with itself)', () => {
    const script = `
      const { entropyOfFile, divergenceOfFiles } = await import(${JSON.stringify(path.join(ROOT, 'dist/node.js'))});
      const h = await entropyOfFile(${JSON.stringify(file)});
      const d = await divergenceOfFiles(${JSON.stringify(file)}, ${JSON.stringify(file)});
      console.log(JSON.stringify([h, d.entropyP, d.klDivergence, d.count]));`;
    const { out, rss } = run(['--input-type=module', '-e', script]);
    const [h, hp, kl, count] = JSON.parse(out);
    expect(sameBits(h, expected)).toBe(true);
    expect(sameBits(hp, expected)).toBe(true);
    expect(kl).toBe(0);
    expect(count).toBe((SIZE_MIB * MIB) / 8);
    console.log(`API entropy + divergence of ${SIZE_MIB} MiB: maxRSS ${(rss / 1e6).toFixed(1)} MB`);
    expect(rss).toBeLessThan(LIMIT);
  });
});
