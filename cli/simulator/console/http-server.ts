/**
 * The QA console over HTTP (node:http, no framework): the page and its scripts from web/, JSON
 * requests under /api/, the events as a server-sent event stream, the live screen as a long
 * poll (`/api/frame?after=N` answers as soon as a newer frame exists; `x-frame-rect: x,y,w,h` when
 * the PNG is only the part that changed since frame N), every screen as PNG.
 * Errors answer `{ error: { code, message } }`: 409 when the action cannot apply now, 400 for
 * a bad request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { KaoreaderError } from '../../../firmware/core/errors.ts';
import type { Logger } from '../../../firmware/core/logger.ts';
import { loadScenario, parseScenario } from '../scenario.ts';
import { ScreenKit } from '../screen-kit.ts';
import { catalog } from './catalog.ts';
import type { QaConsole } from './qa-console.ts';
import { parseDrawn, parseKey, parseSetup, parseTouch, RequestError } from './requests.ts';

const WEB_DIR = join(import.meta.dirname, 'web');
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const BODY_LIMIT = 256 * 1024;
const FRAME_WAIT_MS = 20_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function png(res: ServerResponse, data: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store', ...headers });
  res.end(data);
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new RequestError(`request body over ${BODY_LIMIT} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (err) {
    throw new RequestError('the request body is not JSON', { cause: err });
  }
}

export class ConsoleHttpServer {
  #server: Server | undefined;
  #files = new Map<string, string>();

  constructor(
    private readonly c: QaConsole,
    private readonly log: Logger,
  ) {}

  /** Listens on host:port (port 0: any free one); resolves with the URL. */
  async listen(host: string, port: number): Promise<string> {
    for (const f of await readdir(WEB_DIR)) this.#files.set(f, join(WEB_DIR, f));
    const server = createServer((req, res) => {
      void this.#handle(req, res);
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address() as AddressInfo;
    const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${shown}:${addr.port}/`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.c.hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    try {
      await this.#route(req.method ?? 'GET', url, req, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof RequestError) return send(res, 400, { error: { code: err.code, message: err.message } });
      if (err instanceof KaoreaderError) {
        const status = err.code === 'SCENARIO_INVALID' || err.code === 'USAGE' ? 400 : 409;
        return send(res, status, { error: { code: err.code, message: err.message } });
      }
      this.log.error('console request failed', { path: url.pathname, err });
      send(res, 500, { error: { code: 'INTERNAL', message: (err as Error).message } });
    }
  }

  async #route(method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const c = this.c;
    const path = url.pathname;
    const route = `${method} ${path}`;
    if (method === 'GET' && (path === '/' || path.startsWith('/static/')))
      return this.#static(path === '/' ? 'index.html' : path.slice(8), res);
    switch (route) {
      case 'GET /api/state':
        return send(res, 200, c.state());
      case 'GET /api/catalog': {
        const kit = c.actions.kit();
        const size =
          kit instanceof ScreenKit
            ? { width: kit.display.geometry.width, height: kit.display.geometry.height }
            : { width: 1024, height: 600 };
        return send(res, 200, catalog(await c.scenarioFiles(), size));
      }
      case 'GET /api/events':
        return c.hub.attach(res);
      case 'GET /api/frame':
        return this.#frame(url, req, res);
      case 'GET /api/frame.png': {
        const f = await c.feed.current();
        if (!f) return send(res, 409, { error: { code: 'NO_FRAME', message: 'nothing was drawn yet' } });
        return png(res, f.png, { 'content-disposition': `attachment; filename="screen-${c.actions.screenName()}.png"` });
      }
      case 'GET /api/shots':
        return send(res, 200, c.shots.list());
      case 'GET /api/latency':
        return send(res, 200, c.feed.latency());
      case 'GET /api/results': {
        const why = c.results.unavailable();
        return send(res, 200, why ? { unavailable: why, results: [] } : { results: await c.results.latest(20) });
      }
      case 'POST /api/step': {
        const raw = await body(req);
        const step = parseScenario(JSON.stringify({ name: 'console', steps: [raw] }), 'request').steps[0];
        if (step) await c.actions.perform(step);
        c.changed(); // the card slot, the camera, the facility: what the step changed
        return send(res, 200, { ok: true });
      }
      case 'POST /api/touch': {
        const { x, y } = parseTouch(await body(req));
        return send(res, 200, c.actions.touch(x, y));
      }
      case 'POST /api/key':
        c.actions.key(parseKey(await body(req)));
        return send(res, 200, { ok: true });
      case 'POST /api/setup':
        await c.host.change(parseSetup(await body(req)));
        return send(res, 200, { ok: true });
      case 'POST /api/staff-password': {
        const b = await body(req);
        const password = (b as { password?: unknown }).password;
        if (typeof password !== 'string') throw new RequestError('password must be a string');
        await c.actions.setStaffPassword(password);
        await c.refreshStaffPassword();
        return send(res, 200, { ok: true });
      }
      case 'POST /api/scenario':
        return this.#scenario(await body(req), res);
      case 'POST /api/frames-drawn': {
        for (const d of parseDrawn(await body(req))) c.feed.drawn(d.seq, d.after, d.at);
        c.hub.send('latency', c.feed.latency());
        return send(res, 200, { ok: true });
      }
      default: {
        const shot = /^\/api\/shots\/(\d+)\.png$/.exec(path);
        if (method === 'GET' && shot) {
          const s = c.shot(Number(shot[1]));
          if (!s) return send(res, 404, { error: { code: 'NOT_FOUND', message: 'no such screen (only the last 100 are kept)' } });
          return png(
            res,
            s.png,
            url.searchParams.has('download') ? { 'content-disposition': `attachment; filename="${s.view.file}"` } : {},
          );
        }
        return send(res, 404, { error: { code: 'NOT_FOUND', message: `${route} is not a console request` } });
      }
    }
  }

  async #static(name: string, res: ServerResponse): Promise<void> {
    const file = this.#files.get(name);
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (!file || !type) return send(res, 404, { error: { code: 'NOT_FOUND', message: `no file ${name}` } });
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    res.end(await readFile(file));
  }

  async #frame(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const after = Number(url.searchParams.get('after') ?? '0');
    if (!Number.isInteger(after) || after < 0) throw new RequestError('after must be a frame number');
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const f = await this.c.feed.next(after, FRAME_WAIT_MS, gone.signal);
    if (gone.signal.aborted) return;
    if (!f) {
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    const headers: Record<string, string> = {
      'x-frame-seq': String(f.seq),
      'x-frame-at': String(f.at),
      'x-frame-size': `${f.width}x${f.height}`,
    };
    if (f.rect) headers['x-frame-rect'] = `${f.rect.x},${f.rect.y},${f.rect.w},${f.rect.h}`;
    png(res, f.png, headers);
  }

  async #scenario(b: unknown, res: ServerResponse): Promise<void> {
    const c = this.c;
    const why = c.actions.blocked().scenario;
    if (why) return send(res, 409, { error: { code: 'STEP_NOT_APPLICABLE', message: why } });
    const { file, yaml } = b as { file?: unknown; yaml?: unknown };
    let name: string;
    let scenario;
    if (typeof file === 'string') {
      if (!(await c.scenarioFiles()).includes(file)) throw new RequestError(`no scenario file "${file}"`);
      name = file;
      scenario = await loadScenario(join(c.o.scenariosDir, file));
    } else if (typeof yaml === 'string') {
      name = 'uploaded scenario';
      scenario = parseScenario(yaml, name);
    } else throw new RequestError('give a scenario file name (file) or its text (yaml)');
    const report = await c.runScenario(name, scenario);
    send(res, 200, { file: name, ...report });
  }
}
