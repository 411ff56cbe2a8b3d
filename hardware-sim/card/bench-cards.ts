/**
 * Cards for benches and fault tests that need many proofs quickly: user-auth key pairs and
 * certificates under the test PKI (generated once under var/, like the virtual cards), without
 * the rest of a virtual card. The facility verifies their proofs exactly like a real card's.
 */
import { randomInt, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureGenerated } from './generated-dir.ts';
import { loadKey, makeCertificate, newRsaKey, saveKey } from './keys.ts';
import { CA_NAME, type TestPki } from './test-pki.ts';

export interface BenchCard {
  /** Lower-case hex, as the reader reports it. */
  readonly serial: string;
  readonly certificate: Uint8Array;
  readonly key: KeyObject;
}

/** `count` cards (at most 64), cached under `dir`. */
export async function loadBenchCards(pki: TestPki, count: number, dir = 'var/sim-card/bench-cards'): Promise<BenchCard[]> {
  const n = Math.max(1, Math.min(64, count));
  const cards: BenchCard[] = [];
  for (let i = 0; i < n; i++) {
    const cardDir = join(dir, `card-${i}`);
    await ensureGenerated(cardDir, async (tmp) => {
      const serial = `b${Buffer.from(Array.from({ length: 7 }, () => randomInt(256))).toString('hex')}`;
      const key = await newRsaKey();
      await saveKey(join(tmp, 'auth.key.pem'), key);
      const now = Date.now();
      await writeFile(
        join(tmp, 'auth.crt.der'),
        await makeCertificate(
          {
            subject: `C=JP, CN=${serial}`,
            serial,
            ca: false,
            notBefore: new Date(now - 86_400_000),
            notAfter: new Date(now + 5 * 365 * 86_400_000),
          },
          key,
          { name: CA_NAME, key: pki.authCa.key },
        ),
      );
      await writeFile(join(tmp, 'serial'), serial);
    });
    cards.push({
      serial: (await readFile(join(cardDir, 'serial'), 'utf8')).trim(),
      certificate: new Uint8Array(await readFile(join(cardDir, 'auth.crt.der'))),
      key: await loadKey(join(cardDir, 'auth.key.pem')),
    });
  }
  return cards;
}
