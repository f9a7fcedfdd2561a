// Which core serves the calls. The TS core serves until init() installs the WebAssembly one;
// that is legitimate only because both return the same bits (test/agreement proves it).
import type { Core } from './driver';
import { createTsCore } from './ts-core';

let tsCore: Core | null = null;
let current: Core | null = null;

/** The shared pure-TS core. */
export function getTsCore(): Core {
  return (tsCore ??= createTsCore());
}

/** The core that serves calls now. */
export function currentCore(): Core {
  return current ?? getTsCore();
}

/** Install the core that serves calls from now on. */
export function setCurrentCore(core: Core): void {
  current = core;
}
