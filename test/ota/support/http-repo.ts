/**
 * The repository server for tests: ota/tuf/static-server.ts on 127.0.0.1, recording requests;
 * `override` answers one path differently (a replayed old timestamp, a dropped connection)
 * the way a hostile or broken server would.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveStatic } from '../../../ota/tuf/static-server.ts';

export type Override = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

export interface RepoServer {
  readonly url: string;
  readonly requests: string[];
  override: Override | undefined;
  close(): Promise<void>;
}

export async function serveRepository(root: string): Promise<RepoServer> {
  const requests: string[] = [];
  const state: { override: Override | undefined } = { override: undefined };
  const srv = await serveStatic(root, {
    before: (req, res, path) => {
      requests.push(`${req.method} ${path}${req.headers.range ? ` ${req.headers.range}` : ''}`);
      return state.override?.(req, res, path) ?? false;
    },
  });
  return {
    url: srv.url,
    requests,
    get override() {
      return state.override;
    },
    set override(o) {
      state.override = o;
    },
    close: () => srv.close(),
  };
}

/** Serves `root` for the duration of `body` and closes the server however `body` ends. */
export async function withRepository<T>(root: string, body: (srv: RepoServer) => Promise<T>): Promise<T> {
  const srv = await serveRepository(root);
  try {
    return await body(srv);
  } finally {
    await srv.close();
  }
}
