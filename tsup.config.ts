import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  // One build, so that every entry shares the chunks (one EntropyInputError class, one runtime).
  entry: { index: 'src/index.ts', ts: 'src/ts.ts', node: 'src/node/index.ts', cli: 'src/node/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', ts: 'src/ts.ts', node: 'src/node/index.ts' } },
  clean: true,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  // node:* modules are imported by entropy-wasm/node and the CLI only; keep them external.
  external: [/^node:/],
  removeNodeProtocol: false, // keep node:fs etc. as written (tsup 8 strips the prefix by default)
  define: { __ENTROPY_WASM_VERSION__: JSON.stringify(version) }, // the CLI's --version
  splitting: true,
  treeshake: true,
});
