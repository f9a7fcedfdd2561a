// The built package as users get it: imported by name, ESM and CJS, the ./ts subpath without
// WebAssembly bytes, init() idempotent, functions synchronous before and after init.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/** A dist file with the chunks it imports (one level: entries import chunks, chunks import chunks). */
function withChunks(f: string): string {
  let code = readFileSync(f, 'utf8');
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) {
    for (const m of code.matchAll(/from ["']\.\/(chunk-[\w-]+\.(?:js|cjs))["']|require\(["']\.\/(chunk-[\w-]+\.cjs)["']\)/g)) {
      const c = m[1] ?? m[2];
      if (!seen.has(c)) {
        seen.add(c);
        code += readFileSync(`dist/${c}`, 'utf8');
      }
    }
  }
  return code;
}

describe('package', () => {
  it('is built (npm test builds first)', () => {
    for (const f of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'ts.js', 'ts.cjs', 'ts.d.ts', 'ts.d.cts',
      'node.js', 'node.cjs', 'node.d.ts', 'node.d.cts', 'cli.js']) {
      expect(existsSync(`dist/${f}`), f).toBe(true);
    }
  });

  it('ESM by name: sync before init, the same bits after', async () => {
    const m = await import('entropy-wasm');
    const p = [0.1, 0.2, 0.3, 0.4];
    expect(m.backend()).toBe('ts');
    const before = m.entropy(p);
    const b = await m.init();
    expect(['wasm', 'wasm-simd']).toContain(b);
    expect(await m.init()).toBe(b);
    expect(m.backend()).toBe(b);
    expect(Object.is(m.entropy(p), before)).toBe(true);
    expect(m.crossEntropy([1, 0, 0], [0.7, 0.1, 0.2])).toBe(0.35667494393873245);
    expect(m.tsEngine.entropy(p)).toBe(before);
    expect(new m.EntropyAccumulator().update(p).entropy()).toBe(before);
    expect(() => m.entropy([-1])).toThrow(m.EntropyInputError);
  });

  it('ESM by name: a workspace computes in place with the bits of the top-level functions', async () => {
    const m = await import('entropy-wasm');
    const ws = await m.createWorkspace();
    expect(ws.backend).toBe(await m.init());
    const h = ws.histogram(4);
    h.array.set([1, 2, 3, 4]);
    expect(Object.is(ws.entropy(h, { base: 2 }), m.entropy([1, 2, 3, 4], { base: 2 }))).toBe(true);
    h.dispose();
    expect(() => ws.entropy(h)).toThrow(m.EntropyInputError);
    ws.dispose();
  });

  it('CJS by name, in a fresh process', () => {
    const out = execFileSync(process.execPath, ['-e', `
      const m = require('entropy-wasm');
      const t = require('entropy-wasm/ts');
      m.init().then((b) => {
        console.log(JSON.stringify([b, m.entropy([1, 2, 3]) === t.entropy([1, 2, 3]), typeof m.EntropyInputError,
          m.klDivergenceBatch(new Float64Array([1, 1, 1, 3]), new Float64Array([1, 3, 1, 1]), 2).length,
          require('entropy-wasm/package.json').name]));
      });`], { encoding: 'utf8' });
    const [b, same, errType, rows, name] = JSON.parse(out);
    expect(['wasm', 'wasm-simd']).toContain(b);
    expect(same).toBe(true);
    expect(errType).toBe('function');
    expect(rows).toBe(2);
    expect(name).toBe('entropy-wasm');
    expect(require('entropy-wasm/ts').entropy([1, 1])).toBe(0.6931471805599453);
  });

  it('the ./ts entry carries no WebAssembly bytes, in ESM or CJS', () => {
    const base64Wasm = 'AGFzbQ'; // "\0asm" in base64
    for (const f of ['dist/ts.js', 'dist/ts.cjs']) {
      let code = readFileSync(f, 'utf8');
      // follow ESM chunk imports
      for (const m of code.matchAll(/from ["']\.\/(chunk-[\w-]+\.(?:js|cjs))["']|require\(["']\.\/(chunk-[\w-]+\.cjs)["']\)/g)) {
        code += readFileSync(`dist/${m[1] ?? m[2]}`, 'utf8');
      }
      expect(code.includes(base64Wasm), f).toBe(false);
      expect(code.includes('WebAssembly'), f).toBe(false);
    }
    // the main entry re-exports from shared chunks (shared with ./node), so follow them
    expect(withChunks('dist/index.js').includes(base64Wasm)).toBe(true);
  });

  it('only ./node and the CLI import node:* modules; the main and ./ts entries import none', () => {
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/ts.js', 'dist/ts.cjs']) {
      expect(withChunks(f), f).not.toMatch(/from ["']node:|require\(["']node:|from ["'](fs|path|stream|util)["']/);
    }
    expect(withChunks('dist/node.js')).toMatch(/from ["']node:fs\/promises["']/);
    expect(readFileSync('dist/cli.js', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('./node by name in ESM and CJS, sharing EntropyInputError with the main entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entropy-wasm-pkg-'));
    try {
      const file = join(dir, 'w.f64');
      writeFileSync(file, new Uint8Array(new Float64Array([1, 2, 3, 0]).buffer));
      const node = await import('entropy-wasm/node');
      const main = await import('entropy-wasm');
      expect(await node.entropyOfFile(file)).toBe(main.entropy([1, 2, 3, 0]));
      await expect(node.entropyOfFile(file, { format: 'npy' })).rejects.toBeInstanceOf(main.EntropyInputError);
      const out = execFileSync(process.execPath, ['-e', `
        const n = require('entropy-wasm/node');
        const m = require('entropy-wasm');
        n.entropyOfFile(${JSON.stringify(file)}, { base: 2 }).then(async (h) => {
          const e = await n.entropyOfFile(${JSON.stringify(file)}, { format: 'npy' }).catch((x) => x);
          console.log(JSON.stringify([h === m.entropy([1, 2, 3, 0], { base: 2 }), e instanceof m.EntropyInputError, e.code, m.backend()]));
        });`], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual([true, true, 'format', 'wasm-simd']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Node process with WebAssembly removed still computes, on the TS engine', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      delete globalThis.WebAssembly;
      const m = await import('entropy-wasm');
      const ws = await m.createWorkspace().then(() => 'created', (e) => e.message);
      console.log(JSON.stringify([await m.init(), m.backend(), m.entropy([1, 1]), ws]));`], { encoding: 'utf8' });
    const [b, now, h, ws] = JSON.parse(out);
    expect([b, now, h]).toEqual(['ts', 'ts', 0.6931471805599453]);
    expect(ws).toMatch(/createWorkspace\(\) needs WebAssembly/);
  });
});
