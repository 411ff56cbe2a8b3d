/** Fault injection on the in-process reader: every fault ends in a typed error, never a hang. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeoutError } from '../../../../firmware/core/errors.ts';
import { KaoreaderError } from '../../../../firmware/core/errors.ts';
import { CardRemovedError, MalformedResponseError, StatusWordError } from '../../../../firmware/apdu/errors.ts';
import { MyNumberCardClient } from '../../../../firmware/apdu/myna/client.ts';
import { NotMyNumberCardError } from '../../../../firmware/apdu/myna/errors.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { SimCardReader } from '../../../../hardware-sim/card/sim-card-reader.ts';
import { ascii, makeTestCard } from '../../../helpers/sim-card.ts';

async function setup(): Promise<{ reader: SimCardReader; client: MyNumberCardClient; verificationNumberB: string }> {
  const tc = await makeTestCard();
  const reader = new SimCardReader();
  reader.insert(tc.card);
  const client = await MyNumberCardClient.open(await reader.connect(), { clock: systemClock, trust: tc.trust, timeoutMs: 200 });
  return { reader, client, verificationNumberB: tc.verificationNumberB };
}

test('card pulled mid-command → CardRemovedError, and later commands too', async () => {
  const { reader, client } = await setup();
  reader.faults.add({ kind: 'pull' }, { after: 2 });
  await client.readUserAuthCertificate().then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, CardRemovedError),
  );
  await client.pinTriesLeft().then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, CardRemovedError),
  );
  assert.is(reader.card, undefined);
});

test('slow card within the deadline works; beyond it → TimeoutError', async () => {
  const { reader, client } = await setup();
  reader.faults.add({ kind: 'slow', delayMs: 30 });
  assert.is((await client.pinTriesLeft()).triesLeft, 3);
  reader.faults.add({ kind: 'slow', delayMs: 10_000 }, { after: 1 });
  const started = Date.now();
  await client.readUserAuthCertificate().then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, TimeoutError),
  );
  assert.ok(Date.now() - started < 2000);
});

test('truncated response → MalformedResponseError; wrong SW → StatusWordError', async () => {
  const { reader, client } = await setup();
  reader.faults.add({ kind: 'truncate', keep: 1 }, { after: 1 });
  await client.readUserAuthCertificate().then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, MalformedResponseError),
  );
  reader.faults.add({ kind: 'wrong-sw', sw: 0x6a88 }, { after: 1 });
  await client.readUserAuthCertificate().then(
    () => assert.unreachable(),
    (e: unknown) => {
      assert.instance(e, StatusWordError);
      assert.is((e as StatusWordError).sw, 0x6a88);
    },
  );
});

test('garbled responses anywhere in face mode → typed errors only', async () => {
  for (let at = 0; at < 14; at++) {
    const { reader, client, verificationNumberB } = await setup();
    reader.faults.add({ kind: 'garble', seed: 1000 + at }, { after: at });
    try {
      await client.verifyVerificationNumberB(ascii(verificationNumberB));
      await client.readCardFace();
      await client.readCheckedCertificate();
    } catch (e) {
      assert.ok(e instanceof KaoreaderError, `command ${at}: ${String(e)}`);
    }
  }
});

test('a card that is not there at open → NotMyNumberCardError on a foreign answer', async () => {
  const tc = await makeTestCard();
  const reader = new SimCardReader();
  reader.insert(tc.card);
  reader.faults.add({ kind: 'wrong-sw', sw: 0x6a82 });
  await MyNumberCardClient.open(await reader.connect(), { clock: systemClock, trust: tc.trust }).then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, NotMyNumberCardError),
  );
});

test.run();
