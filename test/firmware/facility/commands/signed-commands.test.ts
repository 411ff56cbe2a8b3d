/**
 * Signed facility commands (issue #14 finding 2): one signer, one verifier, one shape. The
 * signature is checked by OpenSSL (an implementation written apart from node:crypto's use here)
 * both ways; everything a reader must refuse is refused with its code; the replay window
 * survives a restart; the publish options make the broker drop a command when it expires.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import {
  commandKeyId,
  generateCommandKey,
  loadSigningKey,
  loadVerifyingKey,
  signingKeyPem,
  verifyingKeyPem,
} from '../../../../firmware/facility/commands/command-key.ts';
import { CommandRefusedError } from '../../../../firmware/facility/commands/errors.ts';
import { ReplayWindow } from '../../../../firmware/facility/commands/replay-window.ts';
import { signCommand } from '../../../../firmware/facility/commands/sign.ts';
import { verifyCommand } from '../../../../firmware/facility/commands/verify.ts';
import { CommandDispatcher } from '../../../../firmware/facility/link/commands.ts';
import { UnsupportedSchemaVersionError } from '../../../../firmware/facility/messages/codec.ts';
import type { SignedCommand } from '../../../../firmware/facility/messages/types.ts';
import { FileStore } from '../../../../firmware/platform/file-store.ts';
import { quietLog, RecordingSettings, tmp } from '../link/helpers.ts';

const key = generateCommandKey();
const T0 = Date.parse('2026-04-01T09:00:00Z');
const who = { facilityId: 'clinic-a', readerId: 'kr-0123456789ab' };
const restart = { command: 'restart', args: { reason: 'test' } } as const;
const check = (payload: Uint8Array, now = T0, o: Partial<Parameters<typeof verifyCommand>[1]> = {}) =>
  verifyCommand(payload, { key: key.publicKey, ...who, now, ...o });

function refusedWith(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    assert.is((err as { code?: string }).code, code, (err as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

function reSign(m: SignedCommand, body: object): Buffer {
  const bytes = Buffer.from(JSON.stringify(body));
  return Buffer.from(JSON.stringify({ ...m, body: bytes.toString('base64'), signature: execSign(bytes) }));
}
function execSign(bytes: Buffer): string {
  const dir = tmp('kao-sig-');
  writeFileSync(join(dir, 'key.pem'), signingKeyPem(key.privateKey), { mode: 0o600 });
  writeFileSync(join(dir, 'body'), bytes);
  execFileSync('openssl', [
    'pkeyutl',
    '-sign',
    '-inkey',
    join(dir, 'key.pem'),
    '-rawin',
    '-in',
    join(dir, 'body'),
    '-out',
    join(dir, 'sig'),
  ]);
  return readFileSync(join(dir, 'sig')).toString('base64');
}

test("round trip; OpenSSL verifies our signature and we verify OpenSSL's", () => {
  const s = signCommand(restart, { key: key.privateKey, ...who, now: T0 });
  assert.equal(check(s.payload), s.body);
  assert.is(s.message.keyId, commandKeyId(key.publicKey));
  const dir = tmp('kao-sig-');
  writeFileSync(join(dir, 'pub.pem'), verifyingKeyPem(key.publicKey));
  writeFileSync(join(dir, 'body'), Buffer.from(s.message.body, 'base64'));
  writeFileSync(join(dir, 'sig'), Buffer.from(s.message.signature, 'base64'));
  const out = execFileSync('openssl', [
    'pkeyutl',
    '-verify',
    '-pubin',
    '-inkey',
    join(dir, 'pub.pem'),
    '-rawin',
    '-in',
    join(dir, 'body'),
    '-sigfile',
    join(dir, 'sig'),
  ]).toString();
  assert.match(out, /Signature Verified Successfully/);
  // a body signed by OpenSSL with the same key is accepted as is
  const body = { ...s.body, id: uuidv7(T0) };
  assert.is(check(reSign(s.message, body)).id, body.id);
  // keys survive their PEM round trip; a P-256 key is not a command key
  assert.is(commandKeyId(loadVerifyingKey(verifyingKeyPem(loadSigningKey(signingKeyPem(key.privateKey))))), s.message.keyId);
});

test('forged, altered, foreign-key, misaddressed, expired, premature and overlong commands are refused', () => {
  const s = signCommand(restart, { key: key.privateKey, ...who, now: T0 });
  refusedWith(() => check(signCommand(restart, { key: generateCommandKey().privateKey, ...who, now: T0 }).payload), 'SIGNATURE_INVALID');
  const altered = {
    ...s.message,
    body: Buffer.from(JSON.stringify({ ...s.body, command: 'set-facility-name', args: { name: 'evil' } })).toString('base64'),
  };
  refusedWith(() => check(Buffer.from(JSON.stringify(altered))), 'SIGNATURE_INVALID');
  refusedWith(
    () => check(signCommand(restart, { key: key.privateKey, facilityId: 'clinic-a', readerId: 'kr-ffffffffffff', now: T0 }).payload),
    'WRONG_READER',
  );
  refusedWith(
    () => check(signCommand(restart, { key: key.privateKey, facilityId: 'clinic-b', readerId: who.readerId, now: T0 }).payload),
    'UNAUTHORISED',
  );
  refusedWith(() => check(s.payload, T0 + 5 * 60_000 + 2 * 60_000 + 1), 'EXPIRED');
  assert.ok(check(s.payload, T0 + 6 * 60_000), 'within the tolerated skew');
  refusedWith(() => check(s.payload, T0 - 2 * 60_000 - 1), 'NOT_YET_VALID');
  refusedWith(() => check(reSign(s.message, { ...s.body, expiresAt: new Date(T0 + 24 * 3600_000).toISOString() })), 'LIFETIME_TOO_LONG');
  refusedWith(() => check(reSign(s.message, { ...s.body, expiresAt: s.body.issuedAt })), 'LIFETIME_TOO_LONG');
  refusedWith(
    () =>
      check(
        Buffer.from(JSON.stringify({ schema: 'kaoreader.command/1', id: uuidv7(), facilityId: 'clinic-a', command: 'restart', args: {} })),
      ),
    'UNSUPPORTED_SCHEMA_VERSION',
  );
  try {
    check(Buffer.from(JSON.stringify({ schema: 'kaoreader.command/1' })));
  } catch (err) {
    assert.instance(err, UnsupportedSchemaVersionError);
  }
  refusedWith(() => check(Buffer.from(JSON.stringify({ ...s.message, signature: 'A'.repeat(86) + '==' }))), 'SIGNATURE_INVALID');
});

test('the replay window is durable: a command that ran is refused after a restart; expired ids are pruned; full refuses', async () => {
  const dir = tmp('kao-window-');
  const w1 = new ReplayWindow(new FileStore(dir));
  await w1.admit('a', T0 + 60_000, T0);
  const w2 = new ReplayWindow(new FileStore(dir)); // a restarted reader
  try {
    await w2.admit('a', T0 + 60_000, T0 + 1000);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, CommandRefusedError);
    assert.is((err as CommandRefusedError).code, 'REPLAYED');
  }
  await w2.admit('a', T0 + 60_000, T0 + 60_000 + 2 * 60_000 + 1); // long expired: forgotten (the verifier refuses it as EXPIRED anyway)
  // two commands at once: both recorded; the same command twice at once: run once
  const together = tmp('kao-window-');
  const w3 = new ReplayWindow(new FileStore(together));
  const both = await Promise.allSettled([w3.admit('p', T0 + 60_000, T0), w3.admit('q', T0 + 60_000, T0), w3.admit('p', T0 + 60_000, T0)]);
  assert.equal(
    both.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'rejected'],
  );
  const reread = new ReplayWindow(new FileStore(together));
  for (const id of ['p', 'q']) {
    try {
      await reread.admit(id, T0 + 60_000, T0);
      assert.unreachable(`${id} was not persisted`);
    } catch (err) {
      assert.is((err as CommandRefusedError).code, 'REPLAYED');
    }
  }
  const small = new ReplayWindow(new FileStore(tmp('kao-window-')), 2);
  await small.admit('x', T0 + 60_000, T0);
  await small.admit('y', T0 + 60_000, T0);
  try {
    await small.admit('z', T0 + 60_000, T0);
    assert.unreachable();
  } catch (err) {
    assert.is((err as CommandRefusedError).code, 'REPLAY_WINDOW_FULL');
  }
});

test('dispatcher: runs a signed command once, refuses its replay after a restart, refuses everything without a pinned key', async () => {
  const windowDir = tmp('kao-window-');
  const make = (trust = true) => {
    const settings = new RecordingSettings();
    const d = new CommandDispatcher({
      ...who,
      ...(trust ? { trust: { key: key.publicKey, window: new FileStore(windowDir) } } : {}),
      settings,
      system: {},
      clock: { now: () => T0 },
      log: quietLog().log,
    });
    return { d, settings };
  };
  const s = signCommand({ command: 'set-facility-name', args: { name: 'さくら' } }, { key: key.privateKey, ...who, now: T0 });
  const a = make();
  assert.ok((await a.d.handle(s.payload)).reply.ok);
  const b = make();
  const replay = (await b.d.handle(s.payload)).reply;
  assert.is(replay.error?.code, 'REPLAYED');
  assert.is(replay.commandId, s.body.id, 'the refusal names the command');
  assert.equal(b.settings.calls, []);
  const c = make(false);
  assert.is((await c.d.handle(signCommand(restart, { key: key.privateKey, ...who, now: T0 }).payload)).reply.error?.code, 'NO_COMMAND_KEY');
});

test('publish options: QoS 1 and, on MQTT 5, a message expiry equal to the validity', () => {
  const s = signCommand(restart, { key: key.privateKey, ...who, now: T0, ttlMs: 90_000 });
  assert.equal(s.publishOptions(5), {
    qos: 1,
    properties: { messageExpiryInterval: 90, userProperties: { schema: 'kaoreader.command/2' } },
  });
  assert.equal(s.publishOptions(4), { qos: 1 });
  const capped = signCommand(restart, { key: key.privateKey, ...who, now: T0, ttlMs: 7 * 86_400_000 });
  assert.is(Date.parse(capped.body.expiresAt) - T0, 3600_000, 'validity capped at one hour');
});

test.run();
