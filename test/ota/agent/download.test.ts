/**
 * The download's overall deadline (issue #14 finding 10): a server that keeps sending a byte
 * now and then never trips the idle timeout, but the download still ends at its deadline with
 * a typed error, the request is closed, and nothing is left running.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { downloadWithResume } from '../../../ota/agent/download.ts';
import { UpdateFetchError } from '../../../ota/agent/errors.ts';

function tricklingServer(): Promise<{ server: Server; url: string; open: () => number }> {
  let open = 0;
  const server = createServer((req, res) => {
    open += 1;
    res.writeHead(200, { 'content-length': '1000000' });
    const t = setInterval(() => res.write('x'), 40); // well inside any idle timeout
    req.socket.on('close', () => {
      clearInterval(t);
      open -= 1;
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/release.tar.gz`, open: () => open }),
    ),
  );
}

test('a trickling server cannot hold the download past its overall deadline', async () => {
  const { server, url, open } = await tricklingServer();
  const dest = join(mkdtempSync(join(tmpdir(), 'kao-dl-')), 'release.part');
  try {
    const outcome = await Promise.race([
      downloadWithResume({ url, dest, length: 1_000_000, idleTimeoutMs: 1000, deadlineMs: 600, clock: systemClock, maxAttempts: 3 }).then(
        () => 'finished',
        (err: unknown) => err,
      ),
      new Promise((r) => setTimeout(() => r('still running after 5 s'), 5000).unref()),
    ]);
    assert.instance(outcome, UpdateFetchError, String(outcome));
    assert.match((outcome as Error).message, /deadline/);
    for (let i = 0; i < 50 && open() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(open(), 0, 'the request is closed');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test.run();
