/**
 * State `card`: the card just went in. Detect a My Number Card (JPKI token label), read the
 * user-auth certificate (free read) and check its validity dates against the clock.
 * Not a My Number Card / expired / unreadable → a typed error the runner maps to a screen.
 */
import type { VisitContext } from '../context.ts';
import type { CertificateInfo } from '../deps.ts';
import { VisitError, codeOf } from '../errors.ts';
import { to, type Transition } from '../states.ts';
import { stepState } from '../step-state.ts';

const READ = stepState('card', (): { certificate?: CertificateInfo } => ({}));

/** The user-auth certificate read from the card (public data), once read. */
export function certificateOf(v: VisitContext): CertificateInfo | undefined {
  return v.own(READ).certificate;
}

export async function cardStep(v: VisitContext): Promise<Transition> {
  const { clock } = v.deps;
  await v.show('card-reading');
  const certificate = await v.step('reading the card', v.t.cardMs, async (signal): Promise<CertificateInfo> => {
    const card = await v.deps.cards.open(signal);
    if (signal.aborted) {
      await card.release();
      throw new VisitError('CANCELLED', 'card opened after the step ended');
    }
    v.card = card;
    await card.detect(signal);
    return card.readCertificate(signal);
  }).catch((err: unknown) => {
    // A card that does not answer in time is a card problem for the patient, not a timeout of theirs.
    throw codeOf(err) === 'TIMEOUT' ? new VisitError('CARD_UNREADABLE', 'the card did not answer in time', { cause: err }) : err;
  });
  v.own(READ).certificate = certificate;
  const now = clock.now();
  if (now > certificate.notAfter.getTime()) throw new VisitError('CERT_EXPIRED', `user-auth certificate expired on ${certificate.notAfter.toISOString()}`);
  if (now < certificate.notBefore.getTime()) throw new VisitError('CERT_INVALID', `user-auth certificate not valid before ${certificate.notBefore.toISOString()}`);
  return to('qualify');
}
