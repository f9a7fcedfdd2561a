// Quick timing of entropy vs entropyParallel on a dense 10^7-bin histogram (run after a build).
// Usage: node bench/parallel-quick.mjs [bins=1e7] [reps=9] [workers=2]
// Prints medians (and minimum) of `reps` timed runs after a warm-up, per case, in one process,
// rounds interleaved so that the machine's load affects every case alike; checks the bits.
// CPU is the process's CPU time per call (all threads): CPU / wall is the parallelism obtained,
// and the 1-worker cases show the overhead of going through a worker at all.
import { Worker } from 'node:worker_threads';
import { init, entropy, entropyParallel, terminatePool } from '../dist/index.js';

/**
 * How many cores `workers` busy threads actually get right now (the machine may be shared):
 * each spins for `ms`; process CPU time over wall time.
 */
async function coresAvailable(workers, ms = 300) {
  const code = `const { parentPort } = require('worker_threads'); let x = 0; const t = Date.now();
    while (Date.now() - t < ${ms}) x += Math.sqrt(x + 1); parentPort.postMessage(x);`;
  const c = process.cpuUsage();
  const t = performance.now();
  await Promise.all(Array.from({ length: workers }, () => new Promise((r) => new Worker(code, { eval: true }).on('message', r))));
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e3 / (performance.now() - t);
}

const n = Number(process.argv[2] ?? 1e7);
const reps = Number(process.argv[3] ?? 9);
const workers = Number(process.argv[4] ?? 2);

// seeded xorshift, U(0,1] weights: no zeros (dense)
let s = 0x9e3779b9 >>> 0;
const rnd = () => {
  s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
  return (s + 1) / 4294967296;
};
const plain = new Float64Array(n);
for (let i = 0; i < n; i++) plain[i] = rnd();
const shared = new Float64Array(new SharedArrayBuffer(n * 8));
shared.set(plain);

console.log(`backend ${await init()}, ${n} bins, ${workers} workers, ${reps} reps; ` +
  `cores obtained by ${workers} spinning threads before: ${(await coresAvailable(workers)).toFixed(2)}`);
const want = entropy(plain);
const cases = {
  'entropy (1 thread)': async () => entropy(plain),
  'entropyParallel plain': async () => entropyParallel(plain, { workers }),
  'entropyParallel SAB': async () => entropyParallel(shared, { workers }),
  'entropyParallel 1w plain': async () => entropyParallel(plain, { workers: 1 }),
  'entropyParallel 1w SAB': async () => entropyParallel(shared, { workers: 1 }),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const f of Object.values(cases)) if (!Object.is(await f(), want)) throw new Error('bits differ');
for (let r = 0; r < reps; r++) {
  for (const [k, f] of Object.entries(cases)) {
    const c = process.cpuUsage(); // the whole process: this thread and the workers
    const t = process.hrtime.bigint();
    const v = await f();
    times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
    const d = process.cpuUsage(c);
    cpu[k].push((d.user + d.system) / 1e3);
    if (!Object.is(v, want)) throw new Error(`${k}: bits differ`);
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = med(times['entropy (1 thread)']);
for (const [k, t] of Object.entries(times)) {
  const m = med(t);
  console.log(`${k.padEnd(26)} median ${m.toFixed(1)} ms (${(m * 1e6 / n).toFixed(2)} ns/el), min ${Math.min(...t).toFixed(1)} ms, ` +
    `speed-up ${(base / m).toFixed(2)}x, CPU ${med(cpu[k]).toFixed(1)} ms`);
}
console.log(`cores obtained by ${workers} spinning threads after: ${(await coresAvailable(workers)).toFixed(2)}`);
await terminatePool();
