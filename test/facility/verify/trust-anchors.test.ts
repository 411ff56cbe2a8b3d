import { X509Certificate } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProofRefusedError } from '../../../facility/verify/errors.ts';
import { CACHE_LIMIT, TrustAnchors } from '../../../facility/verify/trust-anchors.ts';
import { makeCertificate, newRsaKey } from '../../../hardware-sim/card/keys.ts';

const CA = 'C=JP, CN=Text cache CA';
const YEAR = 365 * 24 * 3_600_000;

async function rig(): Promise<{ anchors: TrustAnchors; cards: { serial: string; text: string }[]; stranger: string }> {
  const caKey = await newRsaKey();
  const now = Date.now();
  const when = { notBefore: new Date(now - YEAR), notAfter: new Date(now + YEAR) };
  const caDer = await makeCertificate({ subject: CA, serial: '01', ca: true, ...when }, caKey, { name: CA, key: caKey });
  const cards = [];
  for (const serial of ['0a11', '0b22']) {
    const key = await newRsaKey();
    const der = await makeCertificate({ subject: `C=JP, CN=${serial}`, serial, ca: false, ...when }, key, { name: CA, key: caKey });
    cards.push({ serial: serial.replace(/^0+/, ''), text: Buffer.from(der).toString('base64') });
  }
  const otherKey = await newRsaKey();
  const stranger = await makeCertificate({ subject: 'C=JP, CN=0c33', serial: '0c33', ca: false, ...when }, otherKey, {
    name: 'C=JP, CN=Other CA',
    key: otherKey,
  });
  return { anchors: TrustAnchors.fromDer([caDer]), cards, stranger: Buffer.from(stranger).toString('base64') };
}

test('a certificate given as text answers as node parses its DER, each text its own card, alternating, from memory the second time', async () => {
  const { anchors, cards, stranger } = await rig();
  const [a, b] = cards as [{ serial: string; text: string }, { serial: string; text: string }];
  const first = [anchors.certificate(a.text), anchors.certificate(b.text)];
  for (let round = 0; round < 3; round++) {
    const ca = anchors.certificate(a.text);
    const cb = anchors.certificate(b.text);
    assert.is(ca.serial, a.serial);
    assert.is(cb.serial, b.serial);
    assert.is(ca, first[0], 'the same text is answered from memory');
    assert.is(cb, first[1]);
    // Read apart from TrustAnchors: node's own parse of the same DER.
    const x = new X509Certificate(Buffer.from(a.text, 'base64'));
    assert.equal([ca.notBefore, ca.notAfter, ca.issuer], [Date.parse(x.validFrom), Date.parse(x.validTo), x.issuer]);
  }
  assert.ok(anchors.certificate(a.text).ca, 'signed by the configured CA');
  assert.is(anchors.certificate(stranger).ca, undefined, 'another CA: no chain, remembered as such');
  assert.is(anchors.certificate(stranger).serial, 'c33');
});

test('text that is no certificate is refused every time and not remembered; the text cache stays bounded', async () => {
  const { anchors, cards } = await rig();
  for (let i = 0; i < 2; i++) {
    try {
      anchors.certificate('bm90IGEgY2VydGlmaWNhdGU=');
      assert.unreachable('refused');
    } catch (err) {
      assert.instance(err, ProofRefusedError);
      assert.is((err as ProofRefusedError).code, 'CERTIFICATE_INVALID');
    }
  }
  assert.is(anchors.cacheSize, 0);
  const card = cards[0] as { serial: string; text: string };
  // Whitespace does not change the DER (base64 decoding skips it): many texts, one card.
  for (let i = 0; i < CACHE_LIMIT + 20; i++) assert.is(anchors.certificate(`${card.text}${'\n'.repeat(i)}`).serial, card.serial);
  assert.is(anchors.cacheSize, CACHE_LIMIT);
});

test.run();
