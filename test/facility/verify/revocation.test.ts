/**
 * A CRL without nextUpdate (allowed by RFC 5280 §5.1.2.5 for CAs that never issue another) is
 * used for `maxAgeMs` after its thisUpdate, then answers REVOCATION_UNKNOWN instead of being
 * trusted forever; /metrics shows until when each CA's list is used. Its revoked serials are
 * read from the DER (the x509 library returns none for such a list), checked against openssl. Real CRLs (@peculiar/x509),
 * the test's own generator, a manual clock.
 */
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { x509 } from '../../../firmware/core/x509.ts';
import { FacilityMetrics } from '../../../facility/metrics/metrics.ts';
import { Fleet } from '../../../facility/service/fleet.ts';
import { RevocationUnknownError, TrustMaterialError } from '../../../facility/verify/errors.ts';
import { Revocation } from '../../../facility/verify/revocation.ts';
import { crlSerials } from '../../../facility/verify/crl-serials.ts';
import { normaliseSerial, TrustAnchors, type TrustedCa } from '../../../facility/verify/trust-anchors.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import { makeCertificate, newRsaKey } from '../../../hardware-sim/card/keys.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';
import { silent } from '../helpers.ts';

const NAME = 'C=JP, CN=No-nextUpdate CA';
const HOUR = 3_600_000;
const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

async function rig(): Promise<{ revocation: Revocation; clock: ManualClock; ca: TrustedCa; file: string }> {
  const clock = new ManualClock();
  const key = await newRsaKey();
  const der = await makeCertificate(
    { subject: NAME, serial: '01', ca: true, notBefore: new Date(clock.now() - HOUR), notAfter: new Date(clock.now() + 1000 * HOUR) },
    key,
    { name: NAME, key },
  );
  const signingKey = await webcrypto.subtle.importKey('pkcs8', key.export({ format: 'der', type: 'pkcs8' }), ALG, false, ['sign']);
  const crl = await x509.X509CrlGenerator.create({
    issuer: NAME,
    thisUpdate: new Date(clock.now()),
    signingAlgorithm: ALG,
    signingKey,
    entries: ['0bad', '05e1a1', '7f'].map((serialNumber) => ({ serialNumber, revocationDate: new Date(clock.now()) })),
  });
  assert.is(crl.nextUpdate, undefined, 'the CRL has no nextUpdate');
  const file = join(tmp('kao-crl-'), 'ca.crl');
  await writeFile(file, new Uint8Array(crl.rawData));
  const anchors = TrustAnchors.fromDer([der]);
  const revocation = await Revocation.start({
    sources: [{ file }],
    anchors,
    clock,
    log: silent,
    refreshMs: HOUR,
    graceMs: HOUR,
    maxAgeMs: 24 * HOUR,
  });
  return { revocation, clock, ca: anchors.cas[0] as TrustedCa, file };
}

test('a CRL without nextUpdate answers until its maximum age, then REVOCATION_UNKNOWN', async () => {
  const { revocation, clock, ca } = await rig();
  revocation.check(ca, '1234');
  assert.throws(
    () => revocation.check(ca, '0bad'),
    (e: Error & { code?: string }) => e.code === 'CERTIFICATE_REVOKED',
  );
  clock.advance(24 * HOUR - 1000);
  revocation.check(ca, '1234');
  clock.advance(2000);
  assert.throws(
    () => revocation.check(ca, '1234'),
    (e: unknown) => e instanceof RevocationUnknownError && e.code === 'REVOCATION_UNKNOWN',
  );
  revocation.close();
});

test('the revoked serials read from the DER are the ones openssl lists', async () => {
  const { revocation, file } = await rig();
  const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
  const fromOpenssl = [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => normaliseSerial(m[1] ?? ''));
  assert.equal(crlSerials(await readFile(file), file), fromOpenssl);
  assert.equal(fromOpenssl, ['bad', '5e1a1', '7f']);
  revocation.close();
});

test('a cut or garbled CRL is a TrustMaterialError, never another error or a short list', async () => {
  const { revocation, file } = await rig();
  const der = new Uint8Array(await readFile(file));
  for (let cut = 0; cut < der.length; cut++)
    assert.throws(
      () => crlSerials(der.subarray(0, cut), file),
      (e: unknown) => e instanceof TrustMaterialError,
      `cut at ${cut}`,
    );
  for (let at = 0; at < der.length; at++) {
    const garbled = Uint8Array.from(der);
    garbled[at] = 0xff;
    try {
      crlSerials(garbled, file);
    } catch (e) {
      assert.ok(e instanceof TrustMaterialError, `0xff at ${at}: ${String(e)}`);
    }
  }
  revocation.close();
});

test('/metrics shows until when the list is used', async () => {
  const { revocation, clock } = await rig();
  const text = await new FacilityMetrics(new Fleet(), revocation).text();
  const until = /kaoreader_facility_crl_usable_until_timestamp_seconds\{issuer="[^"]*",ca="[0-9a-f]{16}"\} (\d+)/.exec(text)?.[1];
  assert.is(Number(until), (clock.now() + 24 * HOUR) / 1000);
  revocation.close();
});

test.run();
