/** The MQTT facility link against a real mosquitto and the facility simulator (plain loopback, MQTT 5 and 3.1.1). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../../firmware/core/logger.ts';
import { hashStaffPassword } from '../../../../firmware/core/staff-password-hash.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import { generateCommandKey } from '../../../../firmware/facility/commands/command-key.ts';
import { signCommand } from '../../../../firmware/facility/commands/sign.ts';
import { FacilityUnreachableError, OutboxFullError } from '../../../../firmware/ports/facility-link.ts';
import { SimulatedQualificationProvider } from '../../../../facility/qualification/simulated-provider.ts';
import { startMosquitto } from '../../../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator } from '../../../../hardware-sim/facility/simulator.ts';
import { loadBenchCards } from '../../../../hardware-sim/card/bench-cards.ts';
import { loadTestPki } from '../../../../hardware-sim/card/test-pki.ts';
import { ProofSource } from '../../../../hardware-sim/facility/proofs.ts';
import { sampleResult } from '../fixtures.ts';
import { makeLink, TEST_COMMAND_KEY, tmp, until } from './helpers.ts';
import { rawCommand } from '../../../helpers/raw-command.ts';

const simLog = createLogger({ sink: { write: () => undefined }, level: 'error' });
const someCard = { visitId: 'v-offline', certificateSerial: 'ab', certificate: new Uint8Array([0x30, 0x00]) };

for (const version of [5, 4] as const) {
  test(`MQTT ${version === 5 ? '5' : '3.1.1'}: results stored once and removed on the facility ack; qualify; birth; health`, async () => {
    const dir = tmp();
    const broker = await startMosquitto({ dir: join(dir, 'broker') });
    const sim = await startFacilitySimulator({
      brokerUrl: broker.url,
      facilityId: 'clinic-a',
      log: simLog,
      protocolVersion: version,
      dataDir: join(dir, 'fac'),
      xml: { dir: join(dir, 'xml'), institutionCode: '1312345678' },
    });
    const { link, outbox } = await makeLink({ brokerUrl: broker.url, protocolVersion: version });
    try {
      await link.start();
      assert.ok(link.connected);
      const cards = await loadBenchCards(await loadTestPki(), 4);
      const proofs = new ProofSource(link, cards, 'reader-01');
      await proofs.prefetch(20, 4);
      const results = Array.from({ length: 20 }, () => proofs.result()).filter((r) => r !== undefined);
      await Promise.all(results.map((r) => link.submitResult(r)));
      await until(() => outbox.depth === 0, 5000, 'outbox drained');
      assert.is(await sim.stored(), 20);
      assert.is(link.delivery.stats.refused, 0, 'every proof verified');
      await sim.service.xml?.idle();
      const xmls = readdirSync(join(dir, 'xml')).filter((f) => f.endsWith('.xml'));
      assert.is(xmls.length, 20);
      // About one card in four is not registered with the simulated provider: its record has no insured data.
      const provider = new SimulatedQualificationProvider();
      const registered = results.filter((r) => provider.lookup(r.certificateSerial ?? '').registered).length;
      const texts = xmls.map((f) => readFileSync(join(dir, 'xml', f), 'utf8'));
      for (const xml of texts) {
        assert.match(xml, '<MedicalInstitutionCode>1312345678</MedicalInstitutionCode>');
        assert.match(xml, '<OperationInfoConsFlg>1</OperationInfoConsFlg>');
      }
      const insured = texts.filter((xml) => /<InsuredPartialContributionRatio>0[123]0<\/InsuredPartialContributionRatio>/.test(xml));
      assert.is(insured.length, registered, "every registered card's record carries its copay ratio");
      assert.is(sim.readers.get('reader-01')?.duplicates ?? 0, 0, JSON.stringify(link.delivery.stats));
      const card = cards[3];
      const answer = await link.qualify(
        { visitId: 'again', certificateSerial: card?.serial ?? '', certificate: card?.certificate ?? new Uint8Array() },
        { timeoutMs: 2000 },
      );
      assert.equal(answer.previousConsent, results[19]?.consent, 'consent given at this facility comes back');
      assert.ok(/^[0-9a-f]{64}$/.test(answer.challenge));
      await until(
        () => sim.readers.get('reader-01')?.status?.state === 'online' && sim.readers.get('reader-01')?.health !== undefined,
        3000,
        'birth + health',
      );
      assert.is(sim.readers.get('reader-01')?.status?.bootCounter, 1);
      await until(() => sim.readers.get('reader-01')?.health?.outboxDepth === 0, 3000, 'health after drain');
    } finally {
      await link.close();
      await sim.close();
      await broker.stop();
    }
  });
}

test('commands: signed commands run; forged, misaddressed, unsigned and malformed ones are refused with a clear error and no change', async () => {
  const dir = tmp();
  const broker = await startMosquitto({ dir: join(dir, 'broker') });
  const sim = await startFacilitySimulator({
    brokerUrl: broker.url,
    facilityId: 'clinic-a',
    log: simLog,
    commandKey: TEST_COMMAND_KEY.privateKey,
  });
  const restarts: string[] = [];
  const { link, settings } = await makeLink({
    brokerUrl: broker.url,
    system: {
      restart: (r) => {
        restarts.push(r);
        return Promise.resolve();
      },
      recentLogs: (n) => Promise.resolve([`line 1 of ${n}`]),
    },
  });
  try {
    await link.start();
    const ok = await sim.command('reader-01', { command: 'set-facility-name', args: { name: 'さくらクリニック' } });
    assert.ok(ok.ok, JSON.stringify(ok.error));
    assert.is(settings.name, 'さくらクリニック');
    const hash = await hashStaffPassword(new Uint8Array(Buffer.from('2468013579')), 1 << 14);
    assert.ok((await sim.command('reader-01', { command: 'set-staff-password', args: { hash } })).ok);
    assert.is(settings.passwordSet, 1);
    const logs = await sim.command('reader-01', { command: 'request-logs', args: { lines: 5 } });
    assert.equal(logs.result, { lines: ['line 1 of 5'] });
    const upd = await sim.command('reader-01', { command: 'check-update', args: {} });
    assert.is(upd.error?.code, 'UNSUPPORTED_COMMAND');
    const forOther = signCommand(
      { command: 'set-facility-name', args: { name: 'evil' } },
      { key: TEST_COMMAND_KEY.privateKey, facilityId: 'clinic-b', readerId: 'reader-01', now: Date.now() },
    );
    const other = await rawCommand(sim.mqtt, 'reader-01', forOther.payload, forOther.body.id);
    assert.is(other.error?.code, 'UNAUTHORISED');
    const forged = signCommand(
      { command: 'set-facility-name', args: { name: 'evil' } },
      { key: generateCommandKey().privateKey, facilityId: 'clinic-a', readerId: 'reader-01', now: Date.now() },
    );
    assert.is((await rawCommand(sim.mqtt, 'reader-01', forged.payload, forged.body.id)).error?.code, 'SIGNATURE_INVALID');
    const id = uuidv7();
    const unsigned = await rawCommand(
      sim.mqtt,
      'reader-01',
      JSON.stringify({ schema: 'kaoreader.command/1', id, facilityId: 'clinic-a', command: 'set-facility-name', args: { name: 'evil' } }),
      id,
    );
    assert.is(unsigned.error?.code, 'UNSUPPORTED_SCHEMA_VERSION');
    const bad = await rawCommand(sim.mqtt, 'reader-01', JSON.stringify({ schema: 'kaoreader.command/2', id }), id);
    assert.is(bad.error?.code, 'MESSAGE_INVALID');
    assert.is(settings.name, 'さくらクリニック');
    assert.equal(settings.calls, ['name', 'password']);
    assert.ok((await sim.command('reader-01', { command: 'restart', args: { reason: 'test' } })).ok);
    await until(() => restarts.length === 1, 2000, 'restart after reply');
  } finally {
    await link.close();
    await sim.close();
    await broker.stop();
  }
});

test('offline: qualify fails fast with FacilityUnreachableError, results wait in the outbox and go out after the broker returns', async () => {
  const dir = tmp();
  const broker = await startMosquitto({ dir: join(dir, 'broker') });
  const { link, outbox } = await makeLink({ brokerUrl: broker.url, connectWaitMs: 300 });
  try {
    await link.start();
    await broker.kill9();
    await until(() => !link.connected, 3000, 'offline');
    try {
      await link.qualify(someCard, { timeoutMs: 500 });
      assert.unreachable();
    } catch (err) {
      assert.instance(err, FacilityUnreachableError);
      assert.is((err as FacilityUnreachableError).reason, 'offline');
    }
    for (let i = 0; i < 10; i++) await link.submitResult(sampleResult({ visitId: `o${i}`, outcome: 'cancelled', segment: 9 }));
    assert.is(outbox.depth, 10);
    await new Promise((r) => setTimeout(r, 50));
    const h = link.healthNumbers();
    assert.is(h.outboxDepth, 10);
    assert.ok(h.oldestUndeliveredAgeMs >= 50, `oldest ${h.oldestUndeliveredAgeMs}`);
    assert.is((await link.health()).find((c) => c.name === 'facility-link')?.ok, false);
    await broker.restart();
    const sim = await startFacilitySimulator({ brokerUrl: broker.url, facilityId: 'clinic-a', log: simLog });
    await until(() => outbox.depth === 0, 8000, 'drained after restart');
    assert.is(await sim.stored(), 10);
    assert.is(sim.readers.get('reader-01')?.outOfOrder, 0, 'nothing sent into a broker without the facility: order kept');
    await sim.close();
    // The facility said goodbye: requests fail at once, results wait.
    await until(() => !link.facilityOnline, 2000, 'facility offline seen');
    const gone = await link.qualify(someCard, { timeoutMs: 5000 }).catch((e: unknown) => e);
    assert.is((gone as FacilityUnreachableError).reason, 'offline');
    // A facility that claims to be online but never answers: qualify times out.
    const mute = await connectAsync(broker.url, { clientId: 'mute-facility' });
    await mute.publishAsync(
      'facility/status',
      JSON.stringify({ schema: 'kaoreader.facility-status/1', facilityId: 'clinic-a', state: 'online', at: new Date().toISOString() }),
      { qos: 1, retain: true },
    );
    await until(() => link.facilityOnline, 2000, 'facility online seen');
    const slow = await link.qualify(someCard, { timeoutMs: 300 }).catch((e: unknown) => e);
    assert.is((slow as FacilityUnreachableError).reason, 'timeout');
    await mute.endAsync();
  } finally {
    await link.close();
    await broker.stop();
  }
});

test('outbox full surfaces as OutboxFullError from submitResult', async () => {
  const dir = tmp();
  const { Outbox } = await import('../../../../firmware/facility/outbox/outbox.ts');
  const outbox = await Outbox.open({ dir: join(dir, 'ob'), maxBytes: 8192, segmentBytes: 4096 });
  const { link } = await makeLink({ brokerUrl: 'mqtt://127.0.0.1:1', outbox, connectWaitMs: 50 });
  await link.start();
  let err: unknown;
  for (let i = 0; i < 50 && !err; i++)
    await link.submitResult(sampleResult()).catch((e: unknown) => {
      err = e;
    });
  assert.instance(err, OutboxFullError);
  assert.is(link.healthNumbers().outboxStatus, 'full');
  await link.close();
});

test.run();
