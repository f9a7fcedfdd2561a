// entropyParallel in a browser: the built ESM package in headless Chromium, with no bundler. The
// pool runs Web Workers from a blob: URL; results must equal Node's single-threaded bits. Also:
// cross-origin isolated (SharedArrayBuffer input read in place), and a CSP that forbids blob:
// workers (the calls then compute on the calling thread, same bits). The page POSTs its result:
// --dump-dom with a virtual time budget would fast-forward past the workers' real-time work.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entropy, entropyBatch, klDivergence } from '../src/index';
import { hex } from './helpers/bits';
import { CHROMIUM, chromiumArgs, serveDist, type DistServer } from './helpers/chromium';

const N = 1 << 19; // above the parallel threshold
const GEN = `(n, a, b) => { const x = new Float64Array(n); for (let i = 0; i < n; i++) x[i] = (i * a) % b; return x; }`;

const PAGE = `<!doctype html><meta charset="utf-8"><title>entropy-wasm parallel</title><body>running</body>
<script type="module">
  const H = new Float64Array(1), U = new Uint32Array(H.buffer);
  const hex = (x) => { H[0] = x; return U[1].toString(16).padStart(8, '0') + U[0].toString(16).padStart(8, '0'); };
  let workers = 0;
  const W = globalThis.Worker;
  globalThis.Worker = class extends W { constructor(...a) { super(...a); workers++; } };
  try {
    const m = await import('/dist/index.js');
    const gen = ${GEN};
    const p = gen(${N}, 7919, 1000), q = gen(${N}, 104729, 997);
    const sab = typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated;
    const ps = sab ? new Float64Array(new SharedArrayBuffer(p.length * 8)) : p;
    if (sab) ps.set(p);
    const out = [
      hex(await m.entropyParallel(p, { workers: 2 })),
      hex(await m.entropyParallel(ps, { workers: 3, base: 2 })),
      hex(await m.klDivergenceParallel(p, q, { workers: 2 })),
      Array.from(await m.entropyBatchParallel(ps, 4096, { workers: 2 }), hex).join(','),
    ];
    let err = '';
    p[300000] = -1;
    try { await m.entropyParallel(p, { workers: 2 }); } catch (e) { err = e.name + ':' + e.code + ':' + e.message; }
    await m.terminatePool();
    await fetch('/result', { method: 'POST', body: JSON.stringify({ out, err, workers, sab }) });
  } catch (e) {
    await fetch('/result', { method: 'POST', body: JSON.stringify({ error: String(e && e.stack || e) }) });
  }
</script>`;

let server: DistServer;
let deliver: ((body: string) => void) | null = null;

/** COOP/COEP with ?isolated (a SharedArrayBuffer then exists), a CSP without blob: workers with ?csp. */
function headers(url: URL): Record<string, string> {
  const h: Record<string, string> = {};
  if (url.searchParams.get('isolated')) {
    h['cross-origin-opener-policy'] = 'same-origin';
    h['cross-origin-embedder-policy'] = 'require-corp';
  }
  // blob: is not allowed as a worker source
  if (url.searchParams.get('csp')) h['content-security-policy'] = "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; worker-src 'self'";
  return h;
}

beforeAll(async () => {
  server = await serveDist((req, res, url) => {
    if (url.pathname === '/result') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.writeHead(200).end('ok');
        deliver?.(body);
      });
      return true;
    }
    if (url.pathname.startsWith('/page')) {
      res.writeHead(200, { ...headers(url), 'content-type': 'text/html' }).end(PAGE);
      return true;
    }
    return false;
  }, headers);
});

afterAll(() => server?.close());

type Result = { out?: string[]; err?: string; workers?: number; sab?: boolean; error?: string };

/** Open the page in headless Chromium and wait for the result it POSTs (then close Chromium). */
function run(url: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM!, [...chromiumArgs(server.profile), url], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      deliver = null;
      child.kill();
      reject(new Error('no result from Chromium within 90 s'));
    }, 90_000);
    deliver = (body) => {
      deliver = null;
      clearTimeout(timer);
      child.once('exit', () => resolve(JSON.parse(body) as Result));
      child.kill();
    };
  });
}

function expected(): { out: string[]; err: string } {
  const gen = new Function(`return ${GEN}`)() as (n: number, a: number, b: number) => Float64Array;
  const p = gen(N, 7919, 1000), q = gen(N, 104729, 997);
  const out = [hex(entropy(p)), hex(entropy(p, { base: 2 })), hex(klDivergence(p, q)), Array.from(entropyBatch(p, 4096), hex).join(',')];
  p[300000] = -1;
  let err = '';
  try {
    entropy(p);
  } catch (e) {
    const x = e as { name: string; code: string; message: string };
    err = `${x.name}:${x.code}:${x.message}`;
  }
  return { out, err };
}

describe.skipIf(!CHROMIUM)('entropyParallel in headless Chromium', () => {
  it('runs on Web Workers with the same bits and errors as Node', async () => {
    const r = await run(`${server.base}/page`);
    expect(r.error).toBeUndefined();
    expect(r.workers).toBeGreaterThanOrEqual(2);
    expect(r.sab).toBe(false);
    expect({ out: r.out, err: r.err }).toEqual(expected());
  });

  it('cross-origin isolated: a SharedArrayBuffer histogram, same bits', async () => {
    const r = await run(`${server.base}/page?isolated=1`);
    expect(r.error).toBeUndefined();
    expect(r.sab).toBe(true);
    expect(r.workers).toBeGreaterThanOrEqual(2);
    expect({ out: r.out, err: r.err }).toEqual(expected());
  });

  it('a CSP that forbids blob: workers: computed on the calling thread, same bits', async () => {
    const r = await run(`${server.base}/page?csp=1`);
    expect(r.error).toBeUndefined();
    expect({ out: r.out, err: r.err }).toEqual(expected());
  });
});
