/**
 * A minimal static HTTP server for a TUF repository folder (GET/HEAD, `Range: bytes=N-`),
 * for `kaoreader release serve` on a facility machine, benches and tests. `before` may answer
 * a request itself (return true), e.g. to log or to restrict access.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';

export type BeforeHook = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

async function serveFile(root: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = resolve(join(root, path));
  if (!file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    res.writeHead(404).end();
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (range && start >= size) {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    return;
  }
  const headers = {
    'content-length': size - start,
    'accept-ranges': 'bytes',
    ...(range ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
  };
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file, { start })
    .on('error', () => res.destroy())
    .pipe(res);
}

export async function serveStatic(dir: string, o: { host?: string; port?: number; before?: BeforeHook } = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (o.before?.(req, res, path)) return;
    serveFile(root, path, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ok) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
