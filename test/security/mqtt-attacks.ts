/**
 * Attacks over MQTT with a stolen reader's certificate (reader B) or none: session takeover of
 * another reader and of the facility (finding 1), cross-reader publish and subscribe, commands
 * from a reader's certificate, a foreign CA, an expired certificate, oversized and malformed
 * payloads, and a command left queued past its expiry (finding 2).
 */
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import { encode } from '../../firmware/facility/messages/codec.ts';
import { readerTopics } from '../../firmware/facility/messages/topics.ts';
import { caFiles, initFacilityCa, signReaderCsr } from '../../firmware/facility/pairing/facility-ca.ts';
import { ensureReaderIdentity } from '../../firmware/facility/pairing/identity.ts';
import { importP256, SIGN } from '../../firmware/facility/pairing/p256.ts';
import { x509 } from '../../firmware/core/x509.ts';
import { sampleResult } from '../firmware/facility/fixtures.ts';
import { until } from '../firmware/facility/link/helpers.ts';
import { rawClient, refusedToConnect, sleep, startLinkA, useBrokerWorld, within, type BrokerWorld } from './broker-fixture.ts';
import { attack } from './ledger.ts';
import { rawCommand } from '../helpers/raw-command.ts';

const world = useBrokerWorld();
let w: BrokerWorld;

/** Watches reader A for `ms`: was it ever disconnected, did an "offline" status for it reach the facility? */
async function watchA(ms: number, during: () => Promise<void>): Promise<{ dropped: boolean; offline: boolean }> {
  const seenBefore = w.sim.statusLog.length;
  let dropped = false;
  const t = setInterval(() => {
    if (!w.link.connected) dropped = true;
  }, 10);
  try {
    await during();
    await sleep(ms);
  } finally {
    clearInterval(t);
  }
  const offline = w.sim.statusLog.slice(seenBefore).some((s) => s.readerId === w.a.readerId && s.state === 'offline');
  return { dropped, offline };
}

const collect = (c: MqttClient): string[] => {
  const seen: string[] = [];
  c.on('message', (topic) => seen.push(topic));
  return seen;
};

attack(1, "a stolen reader certificate connects with reader A's client id (clean start) to knock A off and fire its will", async () => {
  w = world();
  let thief: MqttClient | undefined;
  const r = await watchA(1500, async () => {
    thief = await rawClient(w.broker.url, w.b.tls, { clientId: w.a.readerId, clean: true });
  });
  const seen = collect(thief as MqttClient);
  await within(2000, thief?.subscribeAsync(`facility/${w.a.readerId}/#`, { qos: 1 }));
  await w.sim.command(w.a.readerId, { command: 'set-facility-name', args: { name: 'still A' } });
  await sleep(300);
  await within(2000, thief?.endAsync(true));
  assert.not.ok(r.dropped, 'reader A was disconnected');
  assert.not.ok(r.offline, "reader A's last will was fired");
  assert.equal(seen, [], "the thief inherited reader A's session");
  return 'client id replaced by the certificate CN';
});

attack(1, "a stolen reader certificate resumes reader A's persistent session (clean start off) to inherit its queue", async () => {
  w = world();
  await w.link.close();
  const name = `queued-${Date.now()}`;
  // the facility queues a command for A while A is away
  const queued = w.sim.command(w.a.readerId, { command: 'set-facility-name', args: { name } }, 4000).catch(() => undefined);
  await sleep(300);
  const thief = await rawClient(w.broker.url, w.b.tls, {
    clientId: w.a.readerId,
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
  });
  const seen = collect(thief);
  await sleep(800);
  await within(2000, thief.endAsync(true));
  ({ link: w.link, settings: w.settings } = await startLinkA(w));
  await queued;
  assert.equal(seen, [], 'the queued command went to the thief');
  await until(() => w.settings.name === name, 5000, 'reader A gets its own queued command');
  return 'the thief got its own (empty) session';
});

attack(
  1,
  "a stolen reader certificate takes the facility consumer's client id to knock the facility offline for every reader",
  async () => {
    w = world();
    const sim = w.sim;
    let facilityDropped = false;
    const t = setInterval(() => {
      if (!sim.service.connected) facilityDropped = true;
    }, 10);
    const thief = await rawClient(w.broker.url, w.b.tls, { clientId: 'facility', clean: true });
    const thief2 = await rawClient(w.broker.url, w.b.tls, { clientId: 'facility-clinic-a', clean: true }).catch(() => undefined);
    await sleep(1200);
    clearInterval(t);
    await within(2000, thief.endAsync(true));
    await within(2000, thief2?.endAsync(true));
    assert.not.ok(facilityDropped, 'the facility consumer was disconnected');
    assert.ok(w.link.facilityOnline, 'readers still see the facility online');
    return 'client id replaced by the certificate CN';
  },
);

attack('more', 'reader B publishes a forged result and a forged status as reader A', async () => {
  w = world();
  const thief = await rawClient(w.broker.url, w.b.tls, { clientId: 'b' });
  const forged = sampleResult({ readerId: w.a.readerId, outcome: 'cancelled', segment: 9 }); // claims no identity: only the ACL stands in its way
  await within(2000, thief.publishAsync(`readers/${w.a.readerId}/results`, encode('kaoreader.result', forged), { qos: 1 }));
  await within(
    2000,
    thief.publishAsync(
      `readers/${w.a.readerId}/status`,
      encode('kaoreader.status', {
        schema: 'kaoreader.status/1',
        readerId: w.a.readerId,
        state: 'offline',
        bootCounter: 99,
        at: new Date().toISOString(),
      }),
      { qos: 1, retain: true },
    ),
  );
  await sleep(500);
  await within(2000, thief.endAsync(true));
  assert.not.ok(await w.sim.has(forged.id), 'the forged result was stored');
  assert.not.ok(
    w.sim.statusLog.some((s) => s.readerId === w.a.readerId && s.bootCounter === 99),
    'the forged status reached the facility',
  );
  return 'broker ACL (write readers/%u/#)';
});

attack('more', "reader B subscribes to reader A's commands and responses, to every reader's results, and to #", async () => {
  w = world();
  const thief = await rawClient(w.broker.url, w.b.tls, { clientId: 'b' });
  const seen = collect(thief);
  await within(2000, thief.subscribeAsync([`facility/${w.a.readerId}/#`, 'readers/#', '#', '$SYS/#'], { qos: 1 }));
  await w.sim.command(w.a.readerId, { command: 'request-logs', args: { lines: 1 } }).catch(() => undefined);
  await w.link.submitResult(sampleResult({ readerId: w.a.readerId, outcome: 'cancelled', segment: 9 }));
  await sleep(800);
  await within(2000, thief.endAsync(true));
  const foreign = seen.filter((t) => !t.includes(w.b.readerId) && t !== 'facility/status');
  assert.equal(foreign, [], "reader B read another reader's traffic");
  return 'broker ACL (read facility/%u/#)';
});

attack(2, 'reader B sends a command to reader A (and to itself) from a reader certificate', async () => {
  w = world();
  const thief = await rawClient(w.broker.url, w.b.tls, { clientId: 'b' });
  const before = [...w.settings.calls];
  const body = {
    schema: 'kaoreader.command/2',
    keyId: '0'.repeat(16),
    body: Buffer.from('{}').toString('base64'),
    signature: 'A'.repeat(86) + '==',
  };
  for (const target of [w.a.readerId, w.b.readerId])
    await within(2000, thief.publishAsync(readerTopics(target).commands, JSON.stringify(body), { qos: 1 }));
  await sleep(600);
  await within(2000, thief.endAsync(true));
  assert.equal(w.settings.calls, before, 'reader A ran a command a reader sent');
  return 'broker ACL (only the facility writes facility/#); and it is unsigned';
});

attack('more', 'a certificate from another CA (a foreign facility) connects', async () => {
  w = world();
  const otherCa = join(w.root, 'other-ca');
  await initFacilityCa(otherCa, { facilityId: 'clinic-x', brokerUrl: w.broker.url });
  const id = await ensureReaderIdentity(join(w.root, 'intruder'));
  const bundle = await signReaderCsr(otherCa, id.csrPem, id.pairingCode, id.fingerprint);
  assert.ok(
    await refusedToConnect(w.broker.url, { ca: w.a.tls.ca, cert: bundle.certificatePem, key: id.privateKeyPem }),
    'a foreign-CA certificate connected',
  );
  assert.ok(await refusedToConnect(w.broker.url, { ca: w.a.tls.ca, cert: '', key: '' }), 'no certificate connected');
  return 'TLS: require_certificate with the facility CA';
});

attack('more', 'an expired reader certificate (signed by the facility CA) connects', async () => {
  w = world();
  const id = await ensureReaderIdentity(join(w.root, 'expired'));
  const keys = await importP256(id.privateKeyPem);
  const f = caFiles(w.caDir);
  const ca = new x509.X509Certificate(readFileSync(f.caCert, 'utf8'));
  const caKey = (await importP256(readFileSync(f.caKey, 'utf8'))).privateKey;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0badc0ffee',
    subject: `CN=${id.readerId}`,
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 3 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  assert.ok(
    await refusedToConnect(w.broker.url, { ca: w.a.tls.ca, cert: cert.toString('pem'), key: id.privateKeyPem }),
    'an expired certificate connected',
  );
  return 'TLS: certificate validity';
});

attack('more', 'reader B sends an oversized packet (256 KiB) to the broker', async () => {
  w = world();
  // MQTT 3.1.1: the client learns no maximum packet size from the broker, so it really sends it
  const thief = await rawClient(w.broker.url, w.b.tls, { clientId: 'b', protocolVersion: 4 });
  let closed = false;
  thief.on('close', () => {
    closed = true;
  });
  const before = await w.sim.stored();
  void thief.publishAsync(readerTopics(w.b.readerId).results, Buffer.alloc(256 * 1024, 0x7b), { qos: 1 }).catch(() => undefined);
  await sleep(1000);
  thief.end(true);
  assert.ok(closed, 'the broker kept a client that sent an oversized packet');
  assert.is(await w.sim.stored(), before);
  return 'max_packet_size: disconnected';
});

attack('more', 'the facility side sends reader A an oversized (100 KiB) and a malformed command', async () => {
  w = world();
  const before = [...w.settings.calls];
  const big = JSON.stringify({
    schema: 'kaoreader.command/2',
    keyId: '0'.repeat(16),
    body: 'A'.repeat(100 * 1024),
    signature: 'A'.repeat(86) + '==',
  });
  const r1 = await rawCommand(w.sim.mqtt, w.a.readerId, big, 'unknown').catch((e: unknown) => e);
  const r2 = await rawCommand(w.sim.mqtt, w.a.readerId, '{"schema":"kaoreader.command/2",', 'unknown').catch((e: unknown) => e);
  assert.is((r1 as { error?: { code?: string } }).error?.code, 'MESSAGE_INVALID', JSON.stringify(r1));
  assert.is((r2 as { error?: { code?: string } }).error?.code, 'MESSAGE_INVALID', JSON.stringify(r2));
  assert.equal(w.settings.calls, before);
  assert.ok(w.link.connected, 'reader A survived');
  return 'codec: 64 KiB cap, schema';
});

attack('more', 'reader B floods the facility with malformed results, requests and status', async () => {
  w = world();
  const thief = await rawClient(w.broker.url, w.b.tls, { clientId: 'b' });
  const t = readerTopics(w.b.readerId);
  const invalid = w.sim.invalid.other + w.sim.invalid.results + w.sim.invalid.requests;
  for (const [topic, payload] of [
    [t.results, 'not json'],
    [t.requests, '{"schema":"kaoreader.request/1"}'],
    [t.status, '\u0000\u0001'],
    [t.results, JSON.stringify({ ...sampleResult({ readerId: w.b.readerId }), processingMs: -1 })],
  ] as const) {
    await within(2000, thief.publishAsync(topic, payload, { qos: 1 }));
  }
  await sleep(600);
  await within(2000, thief.endAsync(true));
  assert.ok(w.sim.invalid.other + w.sim.invalid.results + w.sim.invalid.requests > invalid, 'the facility counted them as invalid');
  const ok = sampleResult({ readerId: w.a.readerId, outcome: 'cancelled', segment: 9 });
  await w.link.submitResult(ok);
  for (let i = 0; i < 250 && !(await w.sim.has(ok.id)); i++) await sleep(20);
  assert.ok(await w.sim.has(ok.id), 'the facility still serves reader A');
  return 'validated and dropped; service goes on';
});

attack(2, 'a command queued for an offline reader outlives its validity at the broker', async () => {
  w = world();
  await w.link.close();
  const name = `stale-${Date.now()}`;
  await w.sim.command(w.a.readerId, { command: 'set-facility-name', args: { name } }, 300, 1500).catch(() => undefined);
  // The broker keeps expiry in whole seconds: the 1.5 s validity is sent as 2 s, counted from the
  // second the broker received it and judged once that second has passed, so up to ~3 s of wall time.
  await sleep(4000);
  ({ link: w.link, settings: w.settings } = await startLinkA(w));
  await sleep(800);
  assert.not.equal(w.settings.name, name, 'the expired command ran');
  assert.equal(w.settings.calls, [], 'something queued ran');
  return 'MQTT 5 message expiry: the broker dropped it';
});
