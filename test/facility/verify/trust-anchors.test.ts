import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProofRefusedError } from '../../../facility/verify/errors.ts';
import { TEXT_CACHE_LIMIT, TrustAnchors } from '../../../facility/verify/trust-anchors.ts';
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

test('a certificate given as text answers as its DER does, each text its own card, alternating, from memory the second time', async () => {
  const { anchors, cards, stranger } = await rig();
  const [a, b] = cards as [{ serial: string; text: string }, { serial: string; text: string }];
  const first = [anchors.certificateText(a.text), anchors.certificateText(b.text)];
  for (let round = 0; round < 3; round++) {
    const ca = anchors.certificateText(a.text);
    const cb = anchors.certificateText(b.text);
    assert.is(ca.serial, a.serial);
    assert.is(cb.serial, b.serial);
    assert.is(ca, first[0], 'the same text is answered from memory');
    assert.is(cb, first[1]);
    assert.equal(ca, anchors.certificate(Buffer.from(a.text, 'base64')));
  }
  assert.ok(anchors.certificateText(a.text).ca, 'signed by the configured CA');
  assert.is(anchors.certificateText(stranger).ca, undefined, 'another CA: no chain, remembered as such');
  assert.is(anchors.certificateText(stranger).serial, 'c33');
});

test('text that is no certificate is refused every time and not remembered; the text cache stays bounded', async () => {
  const { anchors, cards } = await rig();
  for (let i = 0; i < 2; i++) {
    try {
      anchors.certificateText('bm90IGEgY2VydGlmaWNhdGU=');
      assert.unreachable('refused');
    } catch (err) {
      assert.instance(err, ProofRefusedError);
      assert.is((err as ProofRefusedError).code, 'CERTIFICATE_INVALID');
    }
  }
  assert.is(anchors.textCacheSize, 0);
  const card = cards[0] as { serial: string; text: string };
  // Whitespace does not change the DER (base64 decoding skips it): many texts, one card.
  for (let i = 0; i < TEXT_CACHE_LIMIT + 20; i++) assert.is(anchors.certificateText(`${card.text}${'\n'.repeat(i)}`).serial, card.serial);
  assert.is(anchors.textCacheSize, TEXT_CACHE_LIMIT);
});

test.run();
