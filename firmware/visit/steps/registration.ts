/**
 * State `registration`: the facility says the card is not registered for health-insurance use.
 * Offer 健康保険証利用登録; the registration itself is carried out (state `register`) only once
 * the holder has passed the identity check. Declining ends with guidance to show an insurance
 * document to staff.
 */
import type { VisitContext } from '../context.ts';
import { VisitError, errorCodeOrInternal } from '../errors.ts';
import { end, to, type Transition } from '../states.ts';
import { cardProofOf } from '../proof.ts';
import { stepState } from '../step-state.ts';
import { certificateOf } from './card.ts';
import { qualificationOf } from './qualify.ts';

/** The patient accepted the offer (carried out after the identity check), and whether it was. */
const REGISTRATION = stepState('registration', () => ({ wanted: false, done: false }));

/** The card was registered for health-insurance use during this visit. */
export function registeredNowOf(v: VisitContext): boolean {
  return v.own(REGISTRATION).done;
}

export async function registrationStep(v: VisitContext): Promise<Transition> {
  const choice = await v.choose('registration-offer');
  if (choice === 'decline') return end({ outcome: 'fallback', screen: 'not-registered', errorCode: 'NOT_REGISTERED' });
  v.own(REGISTRATION).wanted = true;
  return to('method');
}

/**
 * State `register`: after the identity check. A visit whose card signed the facility's
 * challenge shows the facility that proof while it is fresh; a refusal ends the visit on the
 * screen for its code (endings.ts), before anything is registered or consented. Then, when the
 * patient asked for it, the registration is carried out at the facility (it needs the proved
 * challenge).
 */
export async function registerStep(v: VisitContext): Promise<Transition> {
  const cert = certificateOf(v);
  const signed = cardProofOf(v);
  if (cert && signed) {
    const proof = {
      visitId: v.visitId,
      certificateSerial: cert.serial,
      certificate: cert.der,
      challenge: signed.challenge,
      signature: signed.signature,
    };
    await v
      .step('proof at the facility', v.t.facilityMs, (signal) => v.deps.facility.prove(proof, { timeoutMs: v.t.facilityMs, signal }))
      .catch((err: unknown) => {
        throw errorCodeOrInternal(err) === 'TIMEOUT'
          ? new VisitError('FACILITY_UNREACHABLE', 'the facility did not answer in time', { cause: err })
          : err;
      });
    v.deps.audit.record('proof-accepted-by-facility', { visitId: v.visitId, certificateSerial: cert.serial });
  }
  const challenge = signed?.challenge ?? qualificationOf(v)?.challenge;
  const registration = v.own(REGISTRATION);
  if (registration.wanted && !registration.done && cert && challenge) {
    const card = { visitId: v.visitId, certificateSerial: cert.serial, certificate: cert.der, challenge };
    await v
      .step('registration', v.t.facilityMs, (signal) => v.deps.facility.register(card, { timeoutMs: v.t.facilityMs, signal }))
      .catch((err: unknown) => {
        if (errorCodeOrInternal(err) === 'CARD_REMOVED' || errorCodeOrInternal(err) === 'CANCELLED') throw err;
        throw new VisitError(
          errorCodeOrInternal(err) === 'FACILITY_UNREACHABLE' ? 'FACILITY_UNREACHABLE' : 'REGISTRATION_FAILED',
          'registration at the facility failed',
          { cause: err },
        );
      });
    registration.done = true;
    v.deps.audit.record('registered', { visitId: v.visitId, certificateSerial: cert.serial });
    await v.show('registration-done');
  }
  return to('consent');
}
