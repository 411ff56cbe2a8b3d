import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandKeyId, loadVerifyingKey } from '../../../../firmware/facility/commands/command-key.ts';
import {
  caFiles,
  facilityCommandKey,
  initFacilityCa,
  PairingError,
  revokeReader,
  signReaderCsr,
} from '../../../../firmware/facility/pairing/facility-ca.ts';
import { mosquittoConf } from '../../../../firmware/facility/pairing/mosquitto-config.ts';
import { ensureReaderIdentity, normaliseCode, parseQrPayload } from '../../../../firmware/facility/pairing/identity.ts';
import { installPairingBundle, loadReaderPairing, unpairReader } from '../../../../firmware/facility/pairing/reader-pairing.ts';
import { importP256, SIGN } from '../../../../firmware/facility/pairing/p256.ts';
import { x509 } from '../../../../firmware/core/x509.ts';
import { tmp } from '../link/helpers.ts';

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, PairingError);
    assert.is((err as PairingError).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('first boot makes a P-256 identity once; key file is private; QR carries id + fingerprint + code', async () => {
  const dir = tmp('kao-id-');
  const a = await ensureReaderIdentity(dir);
  const b = await ensureReaderIdentity(dir);
  assert.is(a.readerId, b.readerId);
  assert.is(a.pairingCode, b.pairingCode);
  assert.match(a.readerId, /^kr-[0-9a-f]{12}$/);
  assert.match(a.pairingCode, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  assert.is(statSync(a.keyPath).mode & 0o777, 0o600);
  assert.equal(parseQrPayload(a.qrPayload), { readerId: a.readerId, fingerprint: a.fingerprint, code: a.pairingCode });
  const csr = new x509.Pkcs10CertificateRequest(a.csrPem);
  assert.ok(await csr.verify());
  assert.not.match(a.csrPem, 'PRIVATE');
  const other = await ensureReaderIdentity(tmp('kao-id-'));
  assert.is.not(other.pairingCode, a.pairingCode);
  assert.is(normaliseCode(a.pairingCode.toLowerCase().replace('-', ' ')), a.pairingCode.replace(/O/g, '0').replace(/[IL]/g, '1'));
});

test('pair: facility signs only with the right code and fingerprint; bundle installs; unpair revokes via CRL', async () => {
  const caDir = tmp('kao-ca-');
  await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: 'mqtts://127.0.0.1:8883' });
  const f = caFiles(caDir);
  const state = tmp('kao-reader-');
  const id = await ensureReaderIdentity(state);
  await rejects(signReaderCsr(caDir, id.csrPem, 'AAAAA-AAAAA', id.fingerprint), 'CODE_MISMATCH');
  await rejects(signReaderCsr(caDir, id.csrPem, id.pairingCode, 'ab'.repeat(32)), 'FINGERPRINT_MISMATCH');
  const der = Buffer.from(new x509.Pkcs10CertificateRequest(id.csrPem).rawData);
  der.writeUInt8(der.readUInt8(der.length - 3) ^ 0x01, der.length - 3); // flip a bit of the signature
  await rejects(signReaderCsr(caDir, x509.PemConverter.encode(der, 'CERTIFICATE REQUEST'), id.pairingCode, id.fingerprint), 'CSR_INVALID');
  await rejects(signReaderCsr(caDir, 'hello', id.pairingCode, id.fingerprint), 'CSR_INVALID');
  const bundle = await signReaderCsr(caDir, id.csrPem, id.pairingCode.toLowerCase(), id.fingerprint);
  assert.is(bundle.readerId, id.readerId);
  assert.is(bundle.schema, 'kaoreader.pairing/2');
  assert.is(
    commandKeyId(loadVerifyingKey(bundle.commandKey)),
    commandKeyId(await facilityCommandKey(caDir)),
    'the bundle pins the facility command key',
  );
  const cert = new x509.X509Certificate(bundle.certificatePem);
  assert.is(cert.subject, `CN=${id.readerId}`);
  // A bundle for another reader is refused.
  const stranger = tmp('kao-reader-');
  await rejects(installPairingBundle(stranger, bundle), 'READER_MISMATCH');
  const pairing = await installPairingBundle(state, bundle);
  assert.equal(await loadReaderPairing(state), pairing);
  assert.is(pairing.facilityId, 'clinic-a');
  assert.is(await revokeReader(caDir, id.readerId), 1);
  const crl = new x509.X509Crl(readFileSync(f.crlFile, 'utf8'));
  assert.equal(
    crl.entries.map((e) => e.serialNumber),
    [cert.serialNumber],
  );
  await rejects(revokeReader(caDir, id.readerId), 'NOT_PAIRED');
  await unpairReader(state, { factoryReset: true });
  assert.is(await loadReaderPairing(state), undefined);
  assert.is.not((await ensureReaderIdentity(state)).readerId, id.readerId, 'factory reset makes a new identity');
});

test('the pairing code alone earns nothing: the key fingerprint from the QR is required (finding 5)', async () => {
  const caDir = tmp('kao-ca-');
  await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: 'mqtts://127.0.0.1:8883' });
  const id = await ensureReaderIdentity(tmp('kao-reader-'));
  // someone who read the code off the screen, with their own key and CSR carrying that code
  const thief = await ensureReaderIdentity(tmp('kao-thief-'));
  const thiefCsr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${thief.readerId}`,
    keys: await importP256(thief.privateKeyPem),
    signingAlgorithm: SIGN,
    attributes: [new x509.ChallengePasswordAttribute(id.pairingCode)],
  });
  await rejects(signReaderCsr(caDir, thiefCsr.toString('pem'), id.pairingCode, undefined as unknown as string), 'FINGERPRINT_REQUIRED');
  await rejects(signReaderCsr(caDir, thiefCsr.toString('pem'), id.pairingCode, ''), 'FINGERPRINT_REQUIRED');
  await rejects(signReaderCsr(caDir, thiefCsr.toString('pem'), id.pairingCode, id.fingerprint), 'FINGERPRINT_MISMATCH');
});

test('the bundle is for this reader only: its reader id and certificate must match the own key; TLS broker only (finding 8)', async () => {
  const caDir = tmp('kao-ca-');
  await rejects(initFacilityCa(tmp('kao-ca-'), { facilityId: 'clinic-a', brokerUrl: 'mqtt://10.0.0.5:1883' }), 'INSECURE_BROKER');
  await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: 'mqtts://127.0.0.1:8883' });
  const state = tmp('kao-reader-');
  const id = await ensureReaderIdentity(state);
  const bundle = await signReaderCsr(caDir, id.csrPem, id.pairingCode, id.fingerprint);
  const other = await ensureReaderIdentity(tmp('kao-reader-'));
  // the right certificate, but the bundle claims another reader's id (its topics, its client id)
  await rejects(installPairingBundle(state, { ...bundle, readerId: other.readerId }), 'READER_MISMATCH');
  await rejects(installPairingBundle(state, { ...bundle, brokerUrl: 'mqtt://127.0.0.1:1883' }), 'INSECURE_BROKER');
  await rejects(installPairingBundle(state, { ...bundle, commandKey: bundle.caPem }), 'BUNDLE_INVALID');
  await rejects(installPairingBundle(state, { ...bundle, schema: 'kaoreader.pairing/1' as 'kaoreader.pairing/2' }), 'BUNDLE_INVALID');
  // a pairing.json edited afterwards is refused at load too
  await installPairingBundle(state, bundle);
  const file = join(state, 'pairing.json');
  writeFileSync(file, JSON.stringify({ ...bundle, readerId: other.readerId }));
  await rejects(loadReaderPairing(state), 'READER_MISMATCH');
});

test("the CA key lives apart from the broker's files, 0600 in a 0700 directory (finding 9)", async () => {
  const caDir = tmp('kao-ca-');
  const f = await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: 'mqtts://127.0.0.1:8883' });
  assert.is(statSync(f.caKey).mode & 0o777, 0o600);
  assert.is(statSync(dirname(f.caKey)).mode & 0o777, 0o700);
  assert.is(statSync(f.commandKey).mode & 0o777, 0o600);
  assert.is(statSync(dirname(f.commandKey)).mode & 0o777, 0o700);
  const brokerDir = dirname(f.caFile);
  for (const path of [f.certFile, f.keyFile, f.crlFile]) assert.is(dirname(path), brokerDir);
  const inBroker = readdirSync(brokerDir);
  assert.equal(inBroker.sort(), ['broker-key.pem', 'broker.pem', 'ca.pem', 'crl.pem']);
  for (const name of inBroker)
    assert.not.match(
      readFileSync(join(brokerDir, name), 'utf8'),
      readFileSync(f.caKey, 'utf8').split('\n')[1] ?? 'x',
      `${name} holds no CA key material`,
    );
  assert.not.ok(existsSync(join(caDir, 'ca-key.pem')), 'no CA key at the top of the CA directory');
  const conf = mosquittoConf({
    port: 8883,
    caFile: f.caFile,
    certFile: f.certFile,
    keyFile: f.keyFile,
    crlFile: f.crlFile,
    aclFile: '/etc/mosquitto/acl',
  });
  assert.not.match(conf, 'private');
  assert.not.match(conf, 'facility/');
});

test.run();
