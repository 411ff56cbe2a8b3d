/**
 * `kaoreader sim card --fast-path` as a user runs it: the virtual card appears in our own pcscd,
 * our client reads it through PC/SC, and Ctrl-C (SIGTERM) removes it. Also `bench card --help`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MyNumberCardClient } from '../../../firmware/apdu/myna/client.ts';
import { PcscCardReader } from '../../../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { startPcscd, type Pcscd } from '../../../hardware-sim/card/pcscd-process.ts';
import { loadTestPki, trustFor } from '../../../hardware-sim/card/test-pki.ts';
import { EventWaiter } from '../../helpers/event-waiter.ts';
import { exitWhenDone } from '../../helpers/exit-when-done.ts';

const bin = new URL('../../../bin/kaoreader.js', import.meta.url).pathname;
let pcscd: Pcscd | undefined;

test.after(async () => {
  await pcscd?.stop();
  exitWhenDone();
});

test('bench card and sim card have --help', () => {
  for (const args of [
    ['bench', 'card', '--help'],
    ['sim', 'card', '--help'],
  ]) {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
    assert.is(r.status, 0);
    assert.match(r.stdout, `kaoreader ${args[0]} card`);
  }
});

test('sim card puts a readable My Number Card into pcscd; SIGTERM removes it', async () => {
  pcscd = await startPcscd();
  const reader = new PcscCardReader({ clock: systemClock, readerName: 'Virtual PCD 00 00' });
  const events = new EventWaiter(reader);
  const child = spawn(
    process.execPath,
    [bin, 'sim', 'card', '--fast-path', '--vpcd', `127.0.0.1:${pcscd.vpcdPort}`, '--patient', 'cli-patient'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  try {
    await events.next('inserted', 20_000);
    assert.match(out, /virtual My Number Card "cli-patient"/);
    assert.match(out, /照合番号B 55021720352285/);
    const client = await MyNumberCardClient.open(await reader.connect(), { clock: systemClock, trust: trustFor(await loadTestPki()) });
    const cert = await client.readCheckedCertificate();
    assert.match(cert.issuer, /Test JPKI User Authentication CA/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await events.next('removed', 5000);
    assert.is(await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]), 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await reader.close();
  }
});

test.run();
