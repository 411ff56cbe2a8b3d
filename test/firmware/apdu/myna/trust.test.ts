/** Trust anchors: the shipped J-LIS card-face keys, configured files; every bad file is reported at once. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../../firmware/core/errors.ts';
import { formatKeyId, keyIdFromText } from '../../../../firmware/apdu/myna/key-id.ts';
import { loadCardTrust } from '../../../../firmware/apdu/myna/trust.ts';
import { spkiOf } from '../../../../hardware-sim/card/keys.ts';
import { makeTestCard } from '../../../helpers/sim-card.ts';

test('with nothing configured: only the production J-LIS card-face key, no JPKI CA', async () => {
  const prod = await loadCardTrust({ jpkiCaFiles: [], cardFaceIssuers: [], trustJpkiTestCards: false });
  assert.equal(
    prod.cardFaceIssuers.map((k) => Buffer.from(k.keyId).toString('hex')),
    ['35303030303233080530303100000000'],
  );
  assert.is(prod.jpkiCaCertificates.length, 0);
});

test('a QA rig opting in to J-LIS test cards: the two J-LIS card-face keys of the spec', async () => {
  const trust = await loadCardTrust({ jpkiCaFiles: [], cardFaceIssuers: [], trustJpkiTestCards: true });
  assert.equal(
    trust.cardFaceIssuers.map((k) => formatKeyId(k.keyId)),
    ['5000023/001', '6000023/001'],
  );
  assert.equal(
    trust.cardFaceIssuers.map((k) => Buffer.from(k.keyId).toString('hex')),
    ['35303030303233080530303100000000', '36303030303233080530303100000000'],
  );
  for (const k of trust.cardFaceIssuers) {
    const jwk = k.publicKey.export({ format: 'jwk' });
    assert.is(jwk.e, 'AQAB');
    assert.is(Buffer.from(jwk.n ?? '', 'base64url').length, 256);
  }
  assert.is(trust.jpkiCaCertificates.length, 0);
});

test('loads DER CA certificates and configured card-face CA keys by key id; reports every bad entry', async () => {
  const tc = await makeTestCard();
  const dir = await mkdtemp(join(tmpdir(), 'kaoreader-trust-'));
  await writeFile(join(dir, 'ca.der'), tc.pki.authCa.certificate);
  await writeFile(join(dir, 'cvca.spki'), spkiOf(tc.pki.cardFaceCa.key));
  await writeFile(
    join(dir, 'ec.spki'),
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }),
  );
  await writeFile(join(dir, 'junk'), 'not a certificate');
  const trust = await loadCardTrust({
    jpkiCaFiles: [join(dir, 'ca.der')],
    cardFaceIssuers: [{ keyId: '9000023/001', publicKeyFile: join(dir, 'cvca.spki') }],
    trustJpkiTestCards: false,
  });
  assert.is(trust.jpkiCaCertificates.length, 1);
  assert.equal(
    trust.cardFaceIssuers.map((k) => formatKeyId(k.keyId)),
    ['5000023/001', '9000023/001'],
  );
  try {
    await loadCardTrust({
      jpkiCaFiles: [join(dir, 'junk'), join(dir, 'missing')],
      cardFaceIssuers: [
        { keyId: '9000023/001', publicKeyFile: join(dir, 'junk') },
        { keyId: '9000024/001', publicKeyFile: join(dir, 'ec.spki') },
        { keyId: '6000023/001', publicKeyFile: join(dir, 'cvca.spki') },
        { keyId: '39303030303233080530303100000000'.replace('0805', '0909'), publicKeyFile: join(dir, 'cvca.spki') },
      ],
      trustJpkiTestCards: false,
    });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ConfigError);
    assert.is((err as ConfigError).problems.length, 6, (err as ConfigError).problems.join('\n'));
  }
});

test('key ids from text: NNNNNNN/NNN is zero-padded, 32 hex digits keep their padding', () => {
  assert.is(Buffer.from(keyIdFromText('9000023/001') ?? []).toString('hex'), '39303030303233080530303100000000');
  assert.is(Buffer.from(keyIdFromText('363030303032300805303031000000a8') ?? []).toString('hex'), '363030303032300805303031000000a8');
  assert.is(keyIdFromText('600002/001'), undefined);
  assert.is(keyIdFromText('36303030303230ff05303031000000a8'), undefined);
});

test.run();
