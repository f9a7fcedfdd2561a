// Every engine behind one list, for describe.each: the WebAssembly engine on the SIMD release binary
// and on the scalar release binary (the bytes that ship, optimized by asc -O3 with Binaryen
// fast-math), and the pure-TS engine.
import { createEngine } from '../../src/engine';
import { createWasmCore, instantiateWasm, type WasmExports } from '../../src/wasm/instance';
import { createTsCore } from '../../src/ts-core';
import type { Engine } from '../../src/api';
import type { Core } from '../../src/driver';
import { hex, sameBits } from './bits';

export const wasmExports: WasmExports = await instantiateWasm('simd');
export const wasmCore: Core = createWasmCore(wasmExports, 'wasm-simd');
export const scalarExports: WasmExports = await instantiateWasm('scalar');
export const scalarCore: Core = createWasmCore(scalarExports, 'wasm');
export const tsCore: Core = createTsCore();
export const wasmEngine: Engine = createEngine(() => wasmCore);
export const scalarEngine: Engine = createEngine(() => scalarCore);
export const tsEngineUnderTest: Engine = createEngine(() => tsCore);

/** [name, engine] pairs for describe.each. The first two keep their places (tests index them). */
export const ENGINES: [string, Engine][] = [
  ['wasm-simd', wasmEngine],
  ['ts', tsEngineUnderTest],
  ['wasm-scalar', scalarEngine],
];

/**
 * Both WebAssembly binaries as one Engine: each call runs on the SIMD and on the scalar engine,
 * throws unless both return the same bits (or throw the same error), and returns the SIMD result.
 * The agreement tests compare it with the TS engine, so every comparison covers all three.
 */
export const wasmBoth: Engine = pairEngine(wasmEngine, scalarEngine);

function outcome(f: () => unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
}

function describeError(e: unknown): string {
  const x = e as { name?: string; code?: string; index?: number; message?: string };
  return `${x?.name}:${x?.code}:${x?.index}:${x?.message}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return sameBits(a, b);
  if (a instanceof Float64Array && b instanceof Float64Array) {
    return a.length === b.length && a.every((x, i) => sameBits(x, b[i]));
  }
  return false;
}

function pairEngine(simd: Engine, scalar: Engine): Engine {
  const wrap = (name: keyof Engine) => (...args: unknown[]): never => {
    const a = outcome(() => (simd[name] as (...x: unknown[]) => unknown)(...args));
    const b = outcome(() => (scalar[name] as (...x: unknown[]) => unknown)(...args));
    if ('error' in a || 'error' in b) {
      if (!('error' in a && 'error' in b) || describeError(a.error) !== describeError(b.error)) {
        throw new Error(`${name}: SIMD and scalar wasm differ: ${'error' in a ? describeError(a.error) : String(a.value)} vs ${'error' in b ? describeError(b.error) : String(b.value)}`);
      }
      throw a.error;
    }
    if (!sameValue(a.value, b.value)) {
      const show = (v: unknown) => (typeof v === 'number' ? `${v} (0x${hex(v)})` : String(v));
      throw new Error(`${name}: SIMD wasm ${show(a.value)} vs scalar wasm ${show(b.value)}`);
    }
    return a.value as never;
  };
  return {
    entropy: wrap('entropy'),
    crossEntropy: wrap('crossEntropy'),
    klDivergence: wrap('klDivergence'),
    entropyBatch: wrap('entropyBatch'),
    crossEntropyBatch: wrap('crossEntropyBatch'),
    klDivergenceBatch: wrap('klDivergenceBatch'),
  };
}
