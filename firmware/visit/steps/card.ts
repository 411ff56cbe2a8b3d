/**
 * State `card`: the card just went in. Detect a My Number Card (JPKI token label), read the
 * user-auth certificate (free read) and check its validity dates against the clock.
 * Not a My Number Card / expired / unreadable → a typed error the runner maps to a screen.
 * The card is read while the card-reading screen is drawn (the card's round trips and the
 * render overlap); both have finished before the visit goes on.
 */
import type { VisitContext } from '../context.ts';
import type { CertificateInfo } from '../deps.ts';
import { VisitError, errorCodeOrInternal } from '../errors.ts';
import { to, type Transition } from '../states.ts';
import { stepState } from '../step-state.ts';

const READ = stepState('card', (): { certificate?: CertificateInfo } => ({}));

/** The user-auth certificate read from the card (public data), once read. */
export function certificateOf(v: VisitContext): CertificateInfo | undefined {
  return v.own(READ).certificate;
}

function readCard(v: VisitContext): Promise<CertificateInfo> {
  return v
    .step('reading the card', v.t.cardMs, async (signal): Promise<CertificateInfo> => {
      const card = await v.deps.cards.open(signal);
      if (signal.aborted) {
        await card.release();
        throw new VisitError('CANCELLED', 'card opened after the step ended');
      }
      v.card = card;
      await card.detect(signal);
      return card.readCertificate(signal);
    })
    .catch((err: unknown) => {
      // A card that does not answer in time is a card problem for the patient, not a timeout of theirs.
      throw errorCodeOrInternal(err) === 'TIMEOUT'
        ? new VisitError('CARD_UNREADABLE', 'the card did not answer in time', { cause: err })
        : err;
    });
}

export async function cardStep(v: VisitContext): Promise<Transition> {
  const { clock } = v.deps;
  // Both settle before either's failure ends the visit: no card session opens after the visit is over.
  const [shown, read] = await Promise.allSettled([v.show('card-reading'), readCard(v)]);
  if (shown.status === 'rejected') throw shown.reason;
  if (read.status === 'rejected') throw read.reason;
  const certificate = read.value;
  v.own(READ).certificate = certificate;
  const now = clock.now();
  if (now > certificate.notAfter.getTime())
    throw new VisitError('CERT_EXPIRED', `user-auth certificate expired on ${certificate.notAfter.toISOString()}`);
  if (now < certificate.notBefore.getTime())
    throw new VisitError('CERT_INVALID', `user-auth certificate not valid before ${certificate.notBefore.toISOString()}`);
  return to('qualify');
}
