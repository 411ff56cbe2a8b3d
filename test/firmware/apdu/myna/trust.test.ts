/** Trust anchors from files: good ones load, every bad one is reported at once. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../../firmware/core/errors.ts';
import { loadCardTrust } from '../../../../firmware/apdu/myna/trust.ts';
import { makeTestCard } from '../../../helpers/sim-card.ts';

test('loads DER CA certificates and SPKI issuer keys; reports every bad file', async () => {
  const tc = await makeTestCard();
  const dir = await mkdtemp(join(tmpdir(), 'kaoreader-trust-'));
  await writeFile(join(dir, 'ca.der'), tc.pki.authCa.certificate);
  await writeFile(join(dir, 'cvca.spki'), tc.trust.cardFaceIssuers[0]?.publicKey ?? new Uint8Array(0));
  await writeFile(join(dir, 'junk'), 'not a certificate');
  const trust = await loadCardTrust({ jpkiCaFiles: [join(dir, 'ca.der')], cardFaceIssuers: [{ reference: 'JPTESTCVCA00001', publicKeyFile: join(dir, 'cvca.spki') }] });
  assert.is(trust.jpkiCaCertificates.length, 1);
  assert.is(trust.cardFaceIssuers[0]?.reference, 'JPTESTCVCA00001');
  try {
    await loadCardTrust({ jpkiCaFiles: [join(dir, 'junk'), join(dir, 'missing')], cardFaceIssuers: [{ reference: 'X', publicKeyFile: join(dir, 'junk') }] });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ConfigError);
    assert.is((err as ConfigError).problems.length, 3);
  }
});

test.run();
