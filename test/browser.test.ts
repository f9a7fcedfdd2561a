// Browsers are first-class: the built ESM package, loaded by a plain <script type="module"> with
// no bundler, in headless Chromium (Debian's package; .ci/run installs it). The page's results must
// equal Node's bit for bit, with WebAssembly, and on the TS engine when a CSP forbids WebAssembly.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsEngine } from '../src/ts';
import { hex } from './helpers/bits';
import { CHROMIUM, chromiumArgs, serveDist, type DistServer } from './helpers/chromium';

const CASES = `[
  ['entropy', [[0.5, 0.25, 0.125, 0.125]], { base: 2 }],
  ['entropy', [Array.from({ length: 70000 }, (_, i) => (i * 7919) % 1000)]],
  ['crossEntropy', [[1, 0, 0], [0.7, 0.1, 0.2]]],
  ['klDivergence', [[0.5, 0.5, 0], [0.9, 0.05, 0.05]]],
  ['entropy', [[5e-324, 1e-310, 1e300, 1.7976931348623157e308, 0]]],
]`;

function page(entry: string): string {
  return `<!doctype html><meta charset="utf-8"><title>entropy-wasm</title><body>running</body>
<script type="module">
  const H = new Float64Array(1), U = new Uint32Array(H.buffer);
  const hex = (x) => { H[0] = x; return U[1].toString(16).padStart(8, '0') + U[0].toString(16).padStart(8, '0'); };
  try {
    const m = await import('${entry}');
    const before = m.backend ? m.backend() : 'ts';
    const backend = m.init ? await m.init() : 'ts';
    const out = ${CASES}.map(([f, args, opt]) => hex(m[f](...args.map((a) => new Float64Array(a)), opt)));
    let err = '';
    try { m.entropy([1, -1]); } catch (e) { err = e.name + ':' + e.code; }
    document.body.textContent = 'RESULT' + JSON.stringify({ before, backend, out, err }) + 'END';
  } catch (e) {
    document.body.textContent = 'RESULT' + JSON.stringify({ error: String(e && e.stack || e) }) + 'END';
  }
</script>`;
}

let server: DistServer;

beforeAll(async () => {
  server = await serveDist((_req, res, url) => {
    if (!url.pathname.startsWith('/page')) return false;
    const headers: Record<string, string> = { 'content-type': 'text/html' };
    // no 'wasm-unsafe-eval': WebAssembly compilation is refused
    if (url.searchParams.get('csp')) headers['content-security-policy'] = "script-src 'self' 'unsafe-inline'";
    res.writeHead(200, headers).end(page(url.searchParams.get('entry') ?? '/dist/index.js'));
    return true;
  });
});

afterAll(() => server?.close());

function dump(url: string): Promise<{ before?: string; backend?: string; out?: string[]; err?: string; error?: string }> {
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM!, [...chromiumArgs(server.profile), '--virtual-time-budget=20000', '--dump-dom', url], { timeout: 90_000, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const m = /RESULT(.*)END/s.exec(stdout);
      if (!m) reject(new Error(`no result from Chromium (${error?.message ?? ''}): ${stdout.slice(0, 500)} ${stderr.slice(-500)}`));
      else resolve(JSON.parse(m[1]));
    });
  });
}

function expected(): string[] {
  const cases = new Function(`return ${CASES}`)() as [keyof typeof tsEngine, number[][], object?][];
  return cases.map(([f, args, opt]) => hex((tsEngine[f] as (...a: unknown[]) => number)(...args.map((a) => new Float64Array(a)), opt)));
}

describe.skipIf(!CHROMIUM)('in headless Chromium', () => {
  it('the main entry runs on WebAssembly with the same bits as Node', async () => {
    const r = await dump(`${server.base}/page`);
    expect(r.error).toBeUndefined();
    expect(r.before).toBe('ts');
    expect(['wasm', 'wasm-simd']).toContain(r.backend);
    expect(r.out).toEqual(expected());
    expect(r.err).toBe('EntropyInputError:negative');
  });

  it('with a CSP that forbids WebAssembly, init() resolves to the TS engine, same bits', async () => {
    const r = await dump(`${server.base}/page?csp=1`);
    expect(r.error).toBeUndefined();
    expect(r.backend).toBe('ts');
    expect(r.out).toEqual(expected());
  });

  it('the ./ts entry works alone', async () => {
    const r = await dump(`${server.base}/page?entry=/dist/ts.js`);
    expect(r.error).toBeUndefined();
    expect(r.out).toEqual(expected());
  });
});
