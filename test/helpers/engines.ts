// Both engines behind one list, for describe.each: the WebAssembly engine on the release binary
// (the bytes that ship, optimized by asc -O3 with Binaryen fast-math) and the pure-TS engine.
import { createEngine } from '../../src/engine';
import { createWasmCore, instantiateWasm, type WasmExports } from '../../src/wasm/instance';
import { createTsCore } from '../../src/ts-core';
import type { Engine } from '../../src/api';
import type { Core } from '../../src/driver';

export const wasmExports: WasmExports = await instantiateWasm();
export const wasmCore: Core = createWasmCore(wasmExports);
export const tsCore: Core = createTsCore();
export const wasmEngine: Engine = createEngine(() => wasmCore);
export const tsEngineUnderTest: Engine = createEngine(() => tsCore);

/** [name, engine] pairs for describe.each. */
export const ENGINES: [string, Engine][] = [
  ['wasm', wasmEngine],
  ['ts', tsEngineUnderTest],
];
