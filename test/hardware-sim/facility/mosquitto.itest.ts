/**
 * The test broker is up only when our own mosquitto runs on its port, not when anything answers
 * there: after a kill -9 another process may take the port before the restart binds it (on a
 * shared machine, another engineer's broker and facility), and a rig that then talked to it would
 * see results refused by a facility that never issued their challenges.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeviceUnavailableError } from '../../../firmware/core/errors.ts';
import { freePort, startMosquitto } from '../../../hardware-sim/facility/mosquitto.ts';

/** Another program listening on `port` (what our mosquitto then cannot bind). */
function squat(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer((sock) => sock.destroy());
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}
const close = (s: Server): Promise<void> => new Promise((r) => s.close(() => r()));

test('a start on a port another program holds fails (mosquitto could not bind), though a connect to the port succeeds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-mosq-'));
  const port = await freePort();
  const other = await squat(port);
  try {
    const err = await startMosquitto({ dir, port }).then(
      async (b) => {
        await b.stop();
        return undefined;
      },
      (e: unknown) => e,
    );
    assert.instance(err, DeviceUnavailableError, 'startMosquitto must not take another listener for our broker');
    assert.match(String((err as Error).message), /Address already in use/);
  } finally {
    await close(other);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a restart after kill -9 fails when another program took the port meanwhile; it succeeds once the port is free again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-mosq-'));
  const broker = await startMosquitto({ dir });
  try {
    await broker.kill9();
    const other = await squat(broker.port);
    const err = await broker.restart().then(
      () => undefined,
      (e: unknown) => e,
    );
    await close(other);
    assert.instance(err, DeviceUnavailableError, 'the restart must not report the other listener as our broker');
    await broker.restart();
    assert.ok(broker.pid() !== undefined && /running$/m.test(broker.log()), 'our broker runs again');
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
