/**
 * The chip photo for this visit, read once: 照合番号B from the card front (held as a secret and
 * wiped right after the VERIFY), then the JPEG 2000 photo from the card-face applet, whose chip
 * proves it holds the card key by signing the facility's fresh challenge (the reader's nonce).
 * `onReading` runs once the reading screen has been asked for (the face step starts the camera then).
 */
import type { VisitContext } from '../context.ts';
import { VisitError } from '../errors.ts';
import { challengeBytes } from '../proof.ts';
import { stepState } from '../step-state.ts';
import { qualificationOf } from './qualify.ts';

/** The chip photo (JPEG 2000) once read: a secret, held in the visit's bag as well. */
const PHOTO = stepState('photo', (): { photo?: Uint8Array } => ({}));

/** Drops the reference to the chip photo (its bytes are wiped with the bag). */
export function forgetPhoto(v: VisitContext): void {
  v.own(PHOTO).photo = undefined;
}

export async function ensurePhoto(v: VisitContext, onReading?: () => void): Promise<Uint8Array> {
  const held = v.own(PHOTO);
  if (held.photo) return held.photo;
  const answer = qualificationOf(v);
  if (!answer) throw new VisitError('INTERNAL', 'chip photo before qualification');
  const nonce = challengeBytes(answer.challenge);
  const shown = v.show('face-reading-card');
  // The reading screen is asked for first, so nothing `onReading` shows can be covered by it.
  onReading?.();
  await shown;
  const photo = await v.step('reading the card front and the chip photo', v.t.facePrepareMs, async (signal) => {
    const verificationNumberB = v.bag.hold(await v.deps.cardFront.readVerificationNumberB(signal));
    try {
      return v.bag.hold(await v.card.readFacePhoto(verificationNumberB, nonce, signal));
    } finally {
      v.bag.release(verificationNumberB);
    }
  });
  held.photo = photo;
  return photo;
}
