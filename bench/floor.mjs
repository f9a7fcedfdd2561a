// The floor: what the unavoidable parts of a one-shot call cost, next to the naive loop and the
// library, on a 10^7-bin dense histogram (the target case). A plain Float64Array lives in
// JS memory, so a WebAssembly kernel must first copy it into linear memory ("copy": Float64Array.set
// in the library's STAGE_LEN chunks); then it must take the library's own log of every element
// (rule 1: no Math.log) and sum. bench/floor/floor.ts does only that: the owned f64x2 log and a
// plain inexact f64x2 sum, on data already in wasm memory, with no exact sums, no validation and no
// special lanes. So copy + floor kernel is a lower bound for any implementation under the project's
// rules, and the ratio naive / (copy + floor) an upper bound on what such an implementation can
// reach against the naive loop.
// Usage (after npm run build): node bench/floor.mjs [rounds=5] [n=1e7]. It compiles
// bench/floor/floor.ts with asc (-O3, SIMD, the release options) into a temporary directory.
// Times are process CPU time (user + system), best of 3 per round, median over rounds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossEntropy, entropy, init, klDivergence } from '../dist/index.js';
import { naiveCrossEntropy, naiveEntropy, naiveKlDivergence, normalizeRows, weights } from './data.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 1e7);
const REPS = 3;
const STAGE_LEN = 65536; // src/driver.ts

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'entropy-floor-'));
const wasmFile = join(dir, 'floor.wasm');
execFileSync(process.execPath, [join(root, 'node_modules/assemblyscript/bin/asc.js'), 'bench/floor/floor.ts',
  '-O3', '--shrinkLevel', '0', '--noAssert', '--runtime', 'stub', '--enable', 'simd',
  '--initialMemory', String(Math.ceil((2 * N * 8 + (4 << 20)) / 65536)), '-o', wasmFile], { cwd: root, stdio: 'inherit' });
const fx = (await WebAssembly.instantiate(readFileSync(wasmFile))).instance.exports;
rmSync(dir, { recursive: true, force: true });

await init();
const n8 = N - (N % 8);
const p = normalizeRows(weights('dense', n8, 11), n8);
const q = normalizeRows(weights('dense', n8, 13), n8);
const mem = () => new Float64Array(fx.memory.buffer);
const bytes = n8 * 8;
const pAt = Number(fx.buf(0, bytes)), qAt = Number(fx.buf(1, bytes));
const stage = new Float64Array(fx.memory.buffer, Number(fx.buf(2, bytes)), STAGE_LEN);
mem().set(p, pAt / 8);
mem().set(q, qAt / 8);

/** The staging copy alone: every chunk of x into one STAGE_LEN buffer in wasm memory. */
function copy(x) {
  for (let i = 0; i < x.length; i += STAGE_LEN) stage.set(x.subarray(i, Math.min(i + STAGE_LEN, x.length)));
  return stage[0];
}

const cases = [
  ['entropy', 'naive', () => naiveEntropy(p)],
  ['entropy', 'library', () => entropy(p)],
  ['entropy', 'copy', () => copy(p)],
  ['entropy', 'floor kernel', () => fx.entropy_floor(pAt, n8)],
  ['crossEntropy', 'naive', () => naiveCrossEntropy(p, q)],
  ['crossEntropy', 'library', () => crossEntropy(p, q)],
  ['crossEntropy', 'copy', () => copy(p) + copy(q)],
  ['crossEntropy', 'floor kernel', () => fx.cross_entropy_floor(pAt, qAt, n8)],
  ['klDivergence', 'naive', () => naiveKlDivergence(p, q)],
  ['klDivergence', 'library', () => klDivergence(p, q)],
  ['klDivergence', 'copy', () => copy(p) + copy(q)],
  ['klDivergence', 'floor kernel', () => fx.kl_floor(pAt, qAt, n8)],
];
// the floor kernels compute the same quantity, inexactly: a gross error would mean a broken probe
for (const [m, , f] of cases.filter((c) => c[1] === 'floor kernel')) {
  const lib = cases.find((c) => c[0] === m && c[1] === 'library')[2]();
  if (!(Math.abs(f() - lib) <= 1e-9 * Math.abs(lib))) throw new Error(`${m}: floor kernel ${f()} vs library ${lib}`);
}
const times = cases.map(() => []);
let sink = 0;
for (const c of cases) sink += c[2]();
for (let r = 0; r < ROUNDS; r++) {
  cases.forEach((c, i) => {
    let best = Infinity;
    for (let k = 0; k < REPS; k++) {
      const t0 = process.cpuUsage();
      sink += c[2]();
      const d = process.cpuUsage(t0);
      best = Math.min(best, ((d.user + d.system) * 1000) / n8);
    }
    times[i].push(best);
  });
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const t = (m, name) => med(times[cases.findIndex((c) => c[0] === m && c[1] === name)]);
const target = { entropy: 2.5, crossEntropy: 2, klDivergence: 2 };
console.log(`n=${n8}, dense, ${ROUNDS} rounds, best of ${REPS} per round; CPU ns/el, median over rounds`);
for (const m of Object.keys(target)) {
  const naive = t(m, 'naive'), lib = t(m, 'library'), cp = t(m, 'copy'), fk = t(m, 'floor kernel');
  const floor = cp + fk;
  console.log(`${m.padEnd(13)} naive ${naive.toFixed(2)}  library ${lib.toFixed(2)} (${(naive / lib).toFixed(2)}x)  ` +
    `copy ${cp.toFixed(2)} + floor kernel ${fk.toFixed(2)} = ${floor.toFixed(2)} (at most ${(naive / floor).toFixed(2)}x)  ` +
    `target ${target[m]}x needs <= ${(naive / target[m]).toFixed(2)}`);
}
if (!Number.isFinite(sink)) throw new Error('sink not finite');
