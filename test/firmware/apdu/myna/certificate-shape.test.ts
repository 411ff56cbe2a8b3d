/**
 * The certificate's outer shape (RFC 5280 §4.1) is checked on its bytes: the fuzz oracle found a
 * certificate with a non-zero unused-bits byte in its signature accepted by the X.509 library.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MalformedResponseError } from '../../../../firmware/apdu/errors.ts';
import { checkCertificate } from '../../../../firmware/apdu/myna/certificate.ts';
import { checkCertificateShape } from '../../../../firmware/apdu/myna/certificate-shape.ts';
import { makeTestCard } from '../../../helpers/sim-card.ts';

const malformed = async (p: Promise<unknown>): Promise<boolean> =>
  p.then(
    () => false,
    (e: unknown) => e instanceof MalformedResponseError,
  );

test('the card certificate passes; a non-zero unused-bits byte, another outer algorithm or a fourth field do not', async () => {
  const tc = await makeTestCard();
  const der = tc.card.authCertificate;
  checkCertificateShape(der);
  const now = new Date('2030-01-01T00:00:00Z');
  await checkCertificate(der, tc.trust.jpkiCaCertificates, now);
  // signatureValue BIT STRING: 03 82 01 01 00 <256 bytes> at the end.
  const bits = der.slice();
  const unusedAt = der.length - 257;
  assert.is(bits[unusedAt], 0x00);
  bits[unusedAt] = 0x02;
  assert.ok(await malformed(checkCertificate(bits, tc.trust.jpkiCaCertificates, now)), 'unused bits in the signature');
  // The outer AlgorithmIdentifier (sha256WithRSAEncryption … 0B 05 00) just before the BIT STRING: make it …05 (sha1WithRSA).
  const alg = der.slice();
  const oidLast = der.length - 256 - 5 - 3;
  assert.is(alg[oidLast], 0x0b);
  alg[oidLast] = 0x05;
  assert.ok(await malformed(checkCertificate(alg, tc.trust.jpkiCaCertificates, now)), 'outer algorithm differs from the inner one');
  const extra = new Uint8Array([
    0x30,
    0x82,
    ((der.length - 4 + 2) >> 8) & 0xff,
    (der.length - 4 + 2) & 0xff,
    ...der.subarray(4),
    0x05,
    0x00,
  ]);
  assert.throws(
    () => checkCertificateShape(extra),
    (e: unknown) => e instanceof MalformedResponseError,
  );
});

test.run();
