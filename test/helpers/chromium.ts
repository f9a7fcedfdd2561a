// Headless Chromium for the browser tests (Debian's package; .ci/run installs it): where it is,
// the flags it needs on this closed network, and a local server for the built package.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';

/** The Chromium binary, or undefined (the browser tests are then skipped, except in CI). */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM && process.env.CI) throw new Error('CI needs Chromium for the browser tests (.ci/run installs it)');

/**
 * Headless flags: without the background-networking ones Chromium keeps trying hosts this
 * machine cannot reach. A fresh profile per test file.
 */
export function chromiumArgs(profile: string): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`,
  ];
}

/** A request handler for everything but /dist files; returns false to fall through to them. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/** A loopback server for a test file: `route` first, then the files of dist/ (with `headers(url)`). */
export interface DistServer {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** A fresh Chromium profile directory. */
  readonly profile: string;
  close(): void;
}

export async function serveDist(route: Route, headers: (url: URL) => Record<string, string> = () => ({})): Promise<DistServer> {
  const dist = join(process.cwd(), 'dist');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (route(req, res, url)) return;
    const file = normalize(join(process.cwd(), url.pathname));
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...headers(url), 'content-type': 'text/javascript' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const profile = mkdtempSync(join(tmpdir(), 'entropy-wasm-chromium-'));
  return {
    base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    profile,
    close() {
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
