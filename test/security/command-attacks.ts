/**
 * Attacks on facility commands through the real broker (finding 2): an unsigned command, one
 * signed by another key, one signed for another reader or facility, an expired one, a replay
 * after the reader restarted, and a password change carrying the password in clear.
 */
import { sign } from 'node:crypto';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import { generateCommandKey } from '../../firmware/facility/commands/command-key.ts';
import { signCommand } from '../../firmware/facility/commands/sign.ts';
import { facilityCommandKey } from '../../firmware/facility/pairing/facility-ca.ts';
import type { CommandReply } from '../../firmware/facility/messages/types.ts';
import { startLinkA, useBrokerWorld } from './broker-fixture.ts';
import { attack } from './ledger.ts';
import { rawCommand } from '../helpers/raw-command.ts';

const world = useBrokerWorld();

function refusedWith(reply: CommandReply, code: string, before: readonly string[], after: readonly string[]): string {
  assert.is(reply.ok, false, `the reader ran it: ${JSON.stringify(reply)}`);
  assert.is(reply.error?.code, code, JSON.stringify(reply.error));
  assert.equal(after, before, 'a refused command changed something');
  return code;
}

attack(2, 'an unsigned command (the old kaoreader.command/1 shape)', async () => {
  const w = world();
  const before = [...w.settings.calls];
  const id = uuidv7();
  const reply = await rawCommand(
    w.sim.mqtt,
    w.a.readerId,
    JSON.stringify({ schema: 'kaoreader.command/1', id, facilityId: 'clinic-a', command: 'set-facility-name', args: { name: 'evil' } }),
    id,
  );
  return refusedWith(reply, 'UNSUPPORTED_SCHEMA_VERSION', before, w.settings.calls);
});

attack(2, 'a command signed by a key other than the pinned facility command key', async () => {
  const w = world();
  const before = [...w.settings.calls];
  const s = signCommand(
    { command: 'restart', args: {} },
    { key: generateCommandKey().privateKey, facilityId: 'clinic-a', readerId: w.a.readerId, now: Date.now() },
  );
  return refusedWith(await rawCommand(w.sim.mqtt, w.a.readerId, s.payload, s.body.id), 'SIGNATURE_INVALID', before, w.settings.calls);
});

attack(2, 'a genuine command for reader B replayed onto reader A', async () => {
  const w = world();
  const before = [...w.settings.calls];
  const s = signCommand(
    { command: 'set-facility-name', args: { name: 'for B' } },
    { key: await facilityCommandKey(w.caDir), facilityId: 'clinic-a', readerId: w.b.readerId, now: Date.now() },
  );
  return refusedWith(await rawCommand(w.sim.mqtt, w.a.readerId, s.payload, s.body.id), 'WRONG_READER', before, w.settings.calls);
});

attack(2, 'a genuine command for another facility', async () => {
  const w = world();
  const before = [...w.settings.calls];
  const s = signCommand(
    { command: 'set-facility-name', args: { name: 'other clinic' } },
    { key: await facilityCommandKey(w.caDir), facilityId: 'clinic-b', readerId: w.a.readerId, now: Date.now() },
  );
  return refusedWith(await rawCommand(w.sim.mqtt, w.a.readerId, s.payload, s.body.id), 'UNAUTHORISED', before, w.settings.calls);
});

attack(2, 'an expired command (signed two hours ago)', async () => {
  const w = world();
  const before = [...w.settings.calls];
  const s = signCommand(
    { command: 'restart', args: {} },
    { key: await facilityCommandKey(w.caDir), facilityId: 'clinic-a', readerId: w.a.readerId, now: Date.now() - 2 * 3600_000 },
  );
  return refusedWith(await rawCommand(w.sim.mqtt, w.a.readerId, s.payload, s.body.id), 'EXPIRED', before, w.settings.calls);
});

attack(2, 'a captured command replayed after the reader restarted', async () => {
  const w = world();
  const s = signCommand(
    { command: 'set-facility-name', args: { name: 'once' } },
    { key: await facilityCommandKey(w.caDir), facilityId: 'clinic-a', readerId: w.a.readerId, now: Date.now() },
  );
  const first = await rawCommand(w.sim.mqtt, w.a.readerId, s.payload, s.body.id);
  assert.ok(first.ok, JSON.stringify(first.error));
  await w.link.close();
  ({ link: w.link, settings: w.settings } = await startLinkA(w));
  const before = [...w.settings.calls];
  return refusedWith(await rawCommand(w.sim.mqtt, w.a.readerId, s.payload, s.body.id), 'REPLAYED', before, w.settings.calls);
});

attack(2, 'a staff password change carrying the password in clear', async () => {
  const w = world();
  const before = [...w.settings.calls];
  const key = await facilityCommandKey(w.caDir);
  const s = signCommand({ command: 'restart', args: {} }, { key, facilityId: 'clinic-a', readerId: w.a.readerId, now: Date.now() });
  // a genuine facility key signing the old shape: the body schema refuses it before anything runs
  const id = uuidv7();
  const body = Buffer.from(JSON.stringify({ ...s.body, id, command: 'set-staff-password', args: { password: '24681357' } }));
  const payload = JSON.stringify({ ...s.message, body: body.toString('base64'), signature: sign(null, body, key).toString('base64') });
  return refusedWith(await rawCommand(w.sim.mqtt, w.a.readerId, payload, id), 'MESSAGE_INVALID', before, w.settings.calls);
});
