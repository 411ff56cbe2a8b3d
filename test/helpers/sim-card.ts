/**
 * Test fixture: a virtual My Number Card for a test patient (face cropped from the public
 * face-api sample photo), under the cached test PKI, with counters in a fresh temp directory.
 */
import { mkdtemp, readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../firmware/platform/file-store.ts';
import type { Store } from '../../firmware/ports/store.ts';
import type { MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import { chipPhotoFromImage } from '../../hardware-sim/card/face-photo.ts';
import { issueVirtualCard } from '../../hardware-sim/card/issue.ts';
import { DEFAULT_CARD_FACTS } from '../../hardware-sim/card/default-patient.ts';
import type { CardProfile, RetryLimits } from '../../hardware-sim/card/patient.ts';
import { loadTestPki, trustFor, type TestPki } from '../../hardware-sim/card/test-pki.ts';
import type { VirtualMyNumberCard } from '../../hardware-sim/card/virtual-card.ts';

export const SAMPLE = 'node_modules/@vladmandic/face-api/demo/sample1.jpg';
export const FACE_BOX = { left: 760, top: 330, width: 360, height: 450 };

export interface TestCard {
  readonly card: VirtualMyNumberCard;
  readonly pki: TestPki;
  readonly trust: MyNumberCardTrust;
  readonly profile: CardProfile;
  readonly numberB: string;
  readonly counters: Store;
}

export async function testPhoto(): Promise<Uint8Array> {
  const cache = 'var/sim-card/test-photo.jp2';
  try {
    return new Uint8Array(await readFile(cache));
  } catch {
    const jp2 = await chipPhotoFromImage(SAMPLE, FACE_BOX);
    await mkdir('var/sim-card', { recursive: true });
    const tmp = `${cache}.${process.pid}.tmp`;
    await writeFile(tmp, jp2);
    await rename(tmp, cache); // parallel test files never read a half-written cache
    return jp2;
  }
}

export async function makeTestCard(
  options: { id?: string; limits?: Partial<RetryLimits>; tokenLabel?: string; counters?: Store } = {},
): Promise<TestCard> {
  const pki = await loadTestPki();
  const counters = options.counters ?? new FileStore(await mkdtemp(join(tmpdir(), 'kaoreader-card-')));
  const profile: CardProfile = {
    id: options.id ?? 'test-patient',
    ...DEFAULT_CARD_FACTS,
    photoJp2: await testPhoto(),
  };
  const card = await issueVirtualCard(profile, {
    pki,
    counters,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.tokenLabel ? { tokenLabel: options.tokenLabel } : {}),
  });
  return { card, pki, trust: trustFor(pki), profile, numberB: '55021720352285', counters };
}

export const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
