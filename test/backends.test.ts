// The two WebAssembly binaries and the choice between them: the scalar binary really has no SIMD and
// computes the same bits on its own; feature detection picks SIMD where the probe validates and the
// scalar binary where it does not; backend() names the binary that runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { compileWasm, instantiateWasm, simdSupported, wasmBytes } from '../src/wasm/instance';
import { tsEngine } from '../src/ts';
import { sameBits } from './helpers/bits';
import { histogram } from './helpers/gen';
import { Rng } from './helpers/prng';

const EXPORTS = [
  'function:cross_entropy_update_f64', 'function:kl_divergence_update_f64', 'function:layout_end',
  'function:log_f64', 'function:pair_rows_f64', 'function:rows_out_ptr', 'function:scratch_ptr',
  'function:shannon_rows_f64', 'function:shannon_update_f64', 'function:stage_ptr', 'function:state_ptr', 'memory:memory',
];

describe('the two release binaries', () => {
  it('both import nothing and export the same kernel interface; memory can grow', async () => {
    for (const flavor of ['simd', 'scalar'] as const) {
      const mod = await compileWasm(flavor);
      expect(WebAssembly.Module.imports(mod)).toEqual([]);
      expect(WebAssembly.Module.exports(mod).map((e) => `${e.kind}:${e.name}`).sort()).toEqual(EXPORTS);
      const x = await instantiateWasm(flavor);
      const before = x.memory.buffer.byteLength;
      expect(x.layout_end()).toBeLessThanOrEqual(before);
      x.memory.grow(1); // no maximum: the workspace grows it
      expect(x.memory.buffer.byteLength).toBe(before + 65536);
    }
  });

  it('the scalar binary has no SIMD instruction or type; the SIMD binary has them', () => {
    // build/*.wat are the text forms asc writes beside the binaries embedded in src/wasm/binary.ts
    const simd = /\b(v128|[if](8x16|16x8|32x4|64x2))\b/;
    expect(readFileSync('build/release-scalar.wat', 'utf8')).not.toMatch(simd);
    expect(readFileSync('build/release.wat', 'utf8')).toMatch(simd);
    expect(WebAssembly.validate(wasmBytes('scalar') as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  it('the scalar binary in Node, directly: its kernels against the TS engine', async () => {
    const { createEngine } = await import('../src/engine');
    const { createWasmCore } = await import('../src/wasm/instance');
    const core = createWasmCore(await instantiateWasm('scalar'), 'wasm');
    const e = createEngine(() => core);
    const rng = new Rng(2026);
    for (const n of [1, 7, 65536, 65537, 200_000]) {
      const p = histogram(rng, 'dense', n);
      const q = histogram(rng, 'zipf', n);
      expect(sameBits(e.entropy(p), tsEngine.entropy(p))).toBe(true);
      expect(sameBits(e.crossEntropy(p, q), tsEngine.crossEntropy(p, q))).toBe(true);
      expect(sameBits(e.klDivergence(q, p, { base: 2 }), tsEngine.klDivergence(q, p, { base: 2 }))).toBe(true);
    }
  });
});

describe('feature detection', () => {
  it('this Node validates the SIMD probe, and init() picks the SIMD binary', async () => {
    vi.resetModules();
    const inst = await import('../src/wasm/instance');
    const m = await import('../src/index');
    expect(inst.simdSupported()).toBe(true);
    expect(m.backend()).toBe('ts');
    expect(await m.init()).toBe('wasm-simd');
    expect(m.backend()).toBe('wasm-simd');
    expect((await inst.loadWasm()).flavor).toBe('simd');
  });

  it('picks the scalar binary when SIMD validation fails, with the same bits', async () => {
    vi.resetModules();
    const inst = await import('../src/wasm/instance');
    const seen: Uint8Array[] = [];
    inst.setSimdValidatorForTests((bytes) => {
      seen.push(bytes);
      return false;
    });
    const m = await import('../src/index');
    expect(await m.init()).toBe('wasm');
    expect(m.backend()).toBe('wasm');
    expect(seen.length).toBe(1);
    // the probe is a valid SIMD module, so the real validator accepts it
    expect(WebAssembly.validate(seen[0] as Uint8Array<ArrayBuffer>)).toBe(true);
    const { module, flavor } = await inst.loadWasm();
    expect(flavor).toBe('scalar');
    expect(module).toBe(await inst.compileWasm('scalar'));
    const rng = new Rng(77);
    const p = histogram(rng, 'zipf', 100_000);
    const q = histogram(rng, 'dense', 100_000);
    expect(sameBits(m.entropy(p), tsEngine.entropy(p))).toBe(true);
    expect(sameBits(m.klDivergence(p, q), tsEngine.klDivergence(p, q))).toBe(true);
    inst.setSimdValidatorForTests(null);
  });

  it('a validator that throws counts as no SIMD', async () => {
    vi.resetModules();
    const inst = await import('../src/wasm/instance');
    inst.setSimdValidatorForTests(() => {
      throw new Error('no WebAssembly.validate here');
    });
    expect(inst.simdSupported()).toBe(false);
    expect((await inst.loadWasm()).flavor).toBe('scalar');
    inst.setSimdValidatorForTests(null);
    expect(inst.simdSupported()).toBe(true);
  });

  it('falls back to the TS engine when neither binary compiles', async () => {
    vi.resetModules();
    const compile = vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new Error('blocked'));
    try {
      const m = await import('../src/index');
      expect(await m.init()).toBe('ts');
      expect(m.backend()).toBe('ts');
      expect(compile).toHaveBeenCalledTimes(2); // SIMD first, then scalar
      expect(m.entropy([1, 1])).toBe(tsEngine.entropy([1, 1]));
    } finally {
      compile.mockRestore();
    }
  });

  it('simdSupported() is what the default validator says', () => {
    expect(simdSupported()).toBe(true);
  });
});
