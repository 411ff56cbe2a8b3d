/**
 * A static file server on 127.0.0.1 for tests and the bench: serves a TUF repository folder
 * with HTTP Range support. `override` lets a test answer one path differently (a replayed old
 * timestamp, a truncated or oversized target, a dropped connection) the way a hostile or
 * broken server would.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export type Override = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

export interface RepoServer {
  readonly url: string;
  readonly requests: string[];
  override: Override | undefined;
  close(): Promise<void>;
}

async function serveFile(root: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = join(root, normalize(path).replace(/^(\.\.[/\\])+/, ''));
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
  if (range) {
    const start = Number(range[1]);
    if (start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, { 'content-length': size - start, 'content-range': `bytes ${start}-${size - 1}/${size}`, 'accept-ranges': 'bytes' });
    createReadStream(file, { start }).pipe(res);
    return;
  }
  res.writeHead(200, { 'content-length': size, 'accept-ranges': 'bytes' });
  createReadStream(file).pipe(res);
}

export async function serveRepository(root: string): Promise<RepoServer> {
  const requests: string[] = [];
  const state: { override: Override | undefined } = { override: undefined };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(`${req.method} ${path}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    if (state.override?.(req, res, path)) return;
    serveFile(root, path, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get override() { return state.override; },
    set override(o) { state.override = o; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
