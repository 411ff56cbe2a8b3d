/**
 * Peer check: OpenSC's JPKI driver reads our virtual card through pcscd + vpcd. The certificate
 * it lists and reads is exactly the card's, and a signature it makes with the user-auth key
 * (after --login with the PIN) verifies against that certificate.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { X509Certificate, verify } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureQuickAckRoute, FAST_PATH_HOST } from '../../../../hardware-sim/card/fast-path.ts';
import { startPcscd, type Pcscd } from '../../../../hardware-sim/card/pcscd-process.ts';
import { VpcdBridge } from '../../../../hardware-sim/card/vpcd-bridge.ts';
import { makeTestCard, type TestCard } from '../../../helpers/sim-card.ts';

const run = promisify(execFile);
const MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so';
let pcscd: Pcscd;
let bridge: VpcdBridge | undefined;
let tc: TestCard;
let dir: string;

test.before(async () => {
  pcscd = await startPcscd();
  try {
    await ensureQuickAckRoute();
    tc = await makeTestCard({ id: 'opensc-peer' });
    bridge = new VpcdBridge({ host: FAST_PATH_HOST, port: pcscd.vpcdPort });
    bridge.attach(tc.card);
    await bridge.waitConnected(5000);
  } catch (err) {
    await pcscd.stop();
    throw err;
  }
  await new Promise((r) => setTimeout(r, 600)); // pcscd notices the card on its next poll
  dir = await mkdtemp(join(tmpdir(), 'kaoreader-opensc-'));
});

test.after(async () => {
  bridge?.close();
  await pcscd.stop();
});

test('pkcs15-tool lists the user-auth certificate', async () => {
  const { stdout } = await run('pkcs15-tool', ['--list-certificates'], { timeout: 30_000 });
  assert.match(stdout, /User Authentication Certificate\]/);
  assert.match(stdout, /Path\s+:\s+000a/i);
});

test('pkcs15-tool --read-certificate returns exactly our certificate', async () => {
  const { stdout } = await run('pkcs15-tool', ['--read-certificate', '01'], { timeout: 30_000 });
  const theirs = new X509Certificate(stdout).raw;
  const ours = await readFile('var/sim-card/cards/opensc-peer/auth.crt.der');
  assert.is(Buffer.compare(theirs, ours), 0);
});

test('pkcs11-tool --login --sign with the user-auth key verifies against the certificate', async () => {
  const msg = join(dir, 'msg');
  const sig = join(dir, 'sig');
  await writeFile(msg, 'kaoreader peer check');
  await run(
    'pkcs11-tool',
    [
      '--module',
      MODULE,
      '--login',
      '--pin',
      tc.profile.pin,
      '--sign',
      '--id',
      '01',
      '--mechanism',
      'SHA256-RSA-PKCS',
      '-i',
      msg,
      '-o',
      sig,
    ],
    { timeout: 30_000 },
  );
  const cert = new X509Certificate(await readFile('var/sim-card/cards/opensc-peer/auth.crt.der'));
  const ok = verify('sha256', await readFile(msg), cert.publicKey, await readFile(sig));
  assert.ok(ok, 'signature verifies');
  const forged = verify('sha256', Buffer.from('something else'), cert.publicKey, await readFile(sig));
  assert.not.ok(forged);
  // The PIN counter is intact after a correct login.
  assert.is(await tc.card.counters.left('jpki-auth-pin', 3), 3);
});

test.run();
