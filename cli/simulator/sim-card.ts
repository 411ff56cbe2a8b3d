/**
 * The simulated patient's card for the simulator: a virtual My Number Card issued under the test
 * PKI from a hardware-sim patient (their face as the chip photo, their 照合番号B and PIN), or a
 * card that is not a My Number Card, or one whose user-auth certificate has expired.
 * Retry counters live in the given store (a fresh one per scenario: a full set of tries).
 */
import sharp from 'sharp';
import type { Store } from '../../firmware/ports/store.ts';
import { encodeGreyJp2 } from '../../hardware-sim/card/jp2.ts';
import { issueVirtualCard } from '../../hardware-sim/card/issue.ts';
import type { CardProfile } from '../../hardware-sim/card/patient.ts';
import type { TestPki } from '../../hardware-sim/card/test-pki.ts';
import type { VirtualMyNumberCard } from '../../hardware-sim/card/virtual-card.ts';
import type { LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';

export type CardKind = 'patient' | 'not-my-number-card' | 'expired';

const photoCache = new Map<string, Promise<Uint8Array>>();

/**
 * The chip photo of a simulated patient: their card's photograph (`chipImage`, another photo of
 * them) or else their face crop, with a margin around it (the crops are tight; an ID photo shows
 * the shoulders and some background), greyscale 240×300, JPEG 2000.
 */
export function chipPhotoOf(p: LoadedPatient): Promise<Uint8Array> {
  let photo = photoCache.get(p.id);
  if (!photo) {
    photo = (async () => {
      const { width, height, data } = p.chipImage ?? p.faceImage;
      const x = Math.round(width * 0.2);
      const y = Math.round(height * 0.2);
      const grey = await sharp(data, { raw: { width, height, channels: 3 } })
        .extend({ left: x, right: x, top: y, bottom: y, extendWith: 'copy' })
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data: d, info }) =>
          sharp(d, { raw: { width: info.width, height: info.height, channels: 3 } })
            .resize(240, 300, { fit: 'fill' })
            .greyscale()
            .toColourspace('b-w')
            .raw()
            .toBuffer(),
        );
      return encodeGreyJp2(new Uint8Array(grey), 240, 300);
    })();
    photoCache.set(p.id, photo);
  }
  return photo;
}

export async function simCard(p: LoadedPatient, kind: CardKind, pki: TestPki, counters: Store): Promise<VirtualMyNumberCard> {
  const profile: CardProfile = {
    id: kind === 'patient' ? p.id : `${p.id}-${kind}`,
    birthDate: p.birthDate,
    sex: p.sex,
    cardExpiry: kind === 'expired' ? { year: 2020, month: 1, day: 1 } : p.cardExpiry,
    securityCode: p.securityCode,
    pin: p.pin,
    photoJp2: await chipPhotoOf(p),
  };
  return issueVirtualCard(profile, { pki, counters, ...(kind === 'not-my-number-card' ? { tokenLabel: 'TRANSITICCARD' } : {}) });
}
