import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initFacilityCa, PairingError, revokeReader, signReaderCsr } from '../../../../firmware/facility/pairing/facility-ca.ts';
import { ensureReaderIdentity, normaliseCode, parseQrPayload } from '../../../../firmware/facility/pairing/identity.ts';
import { installPairingBundle, loadReaderPairing, unpairReader } from '../../../../firmware/facility/pairing/reader-pairing.ts';
import { x509 } from '../../../../firmware/facility/pairing/x509.ts';
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
  assert.is(statSync(join(caDir, 'ca-key.pem')).mode & 0o777, 0o600);
  const state = tmp('kao-reader-');
  const id = await ensureReaderIdentity(state);
  await rejects(signReaderCsr(caDir, id.csrPem, 'AAAAA-AAAAA'), 'CODE_MISMATCH');
  await rejects(signReaderCsr(caDir, id.csrPem, id.pairingCode, 'ab'.repeat(32)), 'FINGERPRINT_MISMATCH');
  const der = Buffer.from(new x509.Pkcs10CertificateRequest(id.csrPem).rawData);
  der.writeUInt8(der.readUInt8(der.length - 3) ^ 0x01, der.length - 3); // flip a bit of the signature
  await rejects(signReaderCsr(caDir, x509.PemConverter.encode(der, 'CERTIFICATE REQUEST'), id.pairingCode), 'CSR_INVALID');
  await rejects(signReaderCsr(caDir, 'hello', id.pairingCode), 'CSR_INVALID');
  const bundle = await signReaderCsr(caDir, id.csrPem, id.pairingCode.toLowerCase(), id.fingerprint);
  assert.is(bundle.readerId, id.readerId);
  const cert = new x509.X509Certificate(bundle.certificatePem);
  assert.is(cert.subject, `CN=${id.readerId}`);
  // A bundle for another reader's key is refused.
  const stranger = tmp('kao-reader-');
  await rejects(installPairingBundle(stranger, bundle), 'FINGERPRINT_MISMATCH');
  const pairing = await installPairingBundle(state, bundle);
  assert.equal(await loadReaderPairing(state), pairing);
  assert.is(pairing.facilityId, 'clinic-a');
  assert.is(await revokeReader(caDir, id.readerId), 1);
  const crl = new x509.X509Crl(readFileSync(join(caDir, 'crl.pem'), 'utf8'));
  assert.equal(crl.entries.map((e) => e.serialNumber), [cert.serialNumber]);
  await rejects(revokeReader(caDir, id.readerId), 'NOT_PAIRED');
  await unpairReader(state, { factoryReset: true });
  assert.is(await loadReaderPairing(state), undefined);
  assert.is.not((await ensureReaderIdentity(state)).readerId, id.readerId, 'factory reset makes a new identity');
});

test.run();
