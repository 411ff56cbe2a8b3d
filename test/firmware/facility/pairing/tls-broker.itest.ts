/**
 * Pairing end to end against a real mosquitto with TLS client certificates and per-reader
 * ACLs: a paired reader delivers results; a certificate from another CA is refused; a reader
 * cannot publish as another or read another's commands; a revoked (unpaired) reader is refused.
 */
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../../firmware/core/logger.ts';
import { encode } from '../../../../firmware/facility/messages/codec.ts';
import { loadVerifyingKey } from '../../../../firmware/facility/commands/command-key.ts';
import { caFiles, initFacilityCa, revokeReader, signReaderCsr } from '../../../../firmware/facility/pairing/facility-ca.ts';
import { FileStore } from '../../../../firmware/platform/file-store.ts';
import { ensureReaderIdentity } from '../../../../firmware/facility/pairing/identity.ts';
import { installPairingBundle, unpairReader, type ReaderPairing } from '../../../../firmware/facility/pairing/reader-pairing.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import { freePort, startMosquitto, type RunningMosquitto } from '../../../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator, type FacilitySimulator } from '../../../../hardware-sim/facility/simulator.ts';
import { sampleResult } from '../fixtures.ts';
import { makeLink, tmp, until } from '../link/helpers.ts';
import { rawCommand } from '../../../helpers/raw-command.ts';

const simLog = createLogger({ sink: { write: () => undefined }, level: 'error' });
const root = tmp('kao-tls-');
const caDir = join(root, 'ca');
let broker: RunningMosquitto;
let sim: FacilitySimulator;
let readerA: ReaderPairing;
let readerB: ReaderPairing;

async function pairReader(name: string): Promise<ReaderPairing> {
  const state = join(root, name);
  const id = await ensureReaderIdentity(state);
  const bundle = await signReaderCsr(caDir, id.csrPem, id.pairingCode, id.fingerprint);
  return installPairingBundle(state, bundle);
}

function rawClient(p: { readerId: string; tls: { ca: string; cert: string; key: string } }, url: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = connect(url, {
      clientId: `${p.readerId}-raw`,
      protocolVersion: 5,
      ca: p.tls.ca,
      cert: p.tls.cert,
      key: p.tls.key,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (err) => {
      c.end(true);
      reject(err);
    });
    c.once('close', () => reject(new Error('closed before connect')));
  });
}

test.before(async () => {
  const port = await freePort();
  await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: `mqtts://127.0.0.1:${port}` });
  const f = caFiles(caDir);
  broker = await startMosquitto({
    dir: join(root, 'broker'),
    port,
    tls: { caFile: f.caFile, certFile: f.certFile, keyFile: f.keyFile, crlFile: f.crlFile },
  });
  sim = await startFacilitySimulator({ brokerUrl: broker.url, facilityId: 'clinic-a', caDir, log: simLog });
  readerA = await pairReader('reader-a');
  readerB = await pairReader('reader-b');
});

test.after(async () => {
  await sim.close();
  await broker.stop();
});

test('paired reader connects with its certificate, delivers results, answers commands', async () => {
  const { link, outbox } = await makeLink({
    brokerUrl: readerA.brokerUrl,
    readerId: readerA.readerId,
    facilityId: readerA.facilityId,
    tls: readerA.tls,
    commands: { key: loadVerifyingKey(readerA.commandKey), window: new FileStore(join(root, 'reader-a', 'window')) },
  });
  try {
    await link.start();
    assert.ok(link.connected, broker.log());
    for (let i = 0; i < 5; i++) await link.submitResult(sampleResult({ readerId: readerA.readerId, outcome: 'cancelled', segment: 9 }));
    await until(() => outbox.depth === 0, 5000, 'delivered over TLS');
    assert.is(sim.readers.get(readerA.readerId)?.stored, 5);
    const reply = await sim.command(readerA.readerId, { command: 'set-facility-name', args: { name: 'さくらクリニック' } });
    assert.ok(reply.ok);
    const id = uuidv7();
    const bad = await rawCommand(sim.mqtt, readerA.readerId, '{"schema":"kaoreader.command/2","id":"' + id + '","command":"restart"}', id);
    assert.is(bad.error?.code, 'MESSAGE_INVALID');
  } finally {
    await link.close();
  }
});

test('a certificate from another CA is refused by the broker', async () => {
  const otherCa = join(root, 'other-ca');
  await initFacilityCa(otherCa, { facilityId: 'clinic-x', brokerUrl: broker.url });
  const state = join(root, 'intruder');
  const id = await ensureReaderIdentity(state);
  const bundle = await signReaderCsr(otherCa, id.csrPem, id.pairingCode, id.fingerprint);
  const p = await installPairingBundle(state, bundle);
  let refused = false;
  await rawClient({ readerId: p.readerId, tls: { ...p.tls, ca: readerA.tls.ca } }, broker.url).then(
    (c) => c.end(true),
    () => {
      refused = true;
    },
  );
  assert.ok(refused, 'foreign certificate must not connect');
  let noCert = false;
  await new Promise<void>((resolve) => {
    const c = connect(broker.url, {
      clientId: 'anon',
      ca: readerA.tls.ca,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });
    c.once('connect', () => {
      c.end(true);
      resolve();
    });
    c.once('error', () => {
      noCert = true;
      c.end(true);
      resolve();
    });
    c.once('close', () => {
      noCert = true;
      resolve();
    });
  });
  assert.ok(noCert, 'no client certificate, no connection');
});

test('a reader cannot publish as another reader, nor read its commands', async () => {
  const a = await rawClient(readerA, broker.url);
  const before = sim.readers.get(readerB.readerId)?.stored ?? 0;
  const forged = sampleResult({ readerId: readerB.readerId });
  await a.publishAsync(`readers/${readerB.readerId}/results`, encode('kaoreader.result', forged), { qos: 1 }).catch(() => undefined);
  const seen: string[] = [];
  a.on('message', (t) => seen.push(t));
  await a.subscribeAsync(`facility/${readerB.readerId}/commands`, { qos: 1 }).catch(() => undefined);
  await sim.command(readerB.readerId, { command: 'check-update', args: {} }, 500).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  assert.is(await sim.has(forged.id), false, 'forged result must not reach the facility');
  assert.is(sim.readers.get(readerB.readerId)?.stored ?? 0, before);
  assert.equal(seen, [], 'reader A must not see reader B commands');
  // and a reader cannot send commands to itself (only the facility writes facility/#)
  const own: string[] = [];
  a.on('message', (t) => own.push(t));
  await a.subscribeAsync(`facility/${readerA.readerId}/commands`, { qos: 1 });
  await a.publishAsync(`facility/${readerA.readerId}/commands`, '{}', { qos: 1 }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(own, []);
  await a.endAsync();
});

test('unpair: a revoked reader is refused after the broker reloads the CRL', async () => {
  await revokeReader(caDir, readerB.readerId);
  await broker.stop();
  await broker.restart();
  let refused = false;
  await rawClient(readerB, broker.url).then(
    (c) => c.end(true),
    () => {
      refused = true;
    },
  );
  assert.ok(refused, 'revoked certificate must not connect');
  const a = await rawClient(readerA, broker.url);
  await a.endAsync();
});

test('re-pair after a factory reset: new identity, new certificate, connects again', async () => {
  const state = join(root, 'reader-b');
  await unpairReader(state, { factoryReset: true });
  const again = await pairReader('reader-b');
  assert.is.not(again.readerId, readerB.readerId);
  const { link, outbox } = await makeLink({
    brokerUrl: again.brokerUrl,
    readerId: again.readerId,
    facilityId: again.facilityId,
    tls: again.tls,
  });
  try {
    await link.start();
    assert.ok(link.connected);
    await link.submitResult(sampleResult({ readerId: again.readerId }));
    await until(() => outbox.depth === 0, 5000, 'delivered after re-pair');
  } finally {
    await link.close();
  }
});

test.run();
