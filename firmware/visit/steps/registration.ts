/**
 * State `registration`: the facility says the card is not registered for health-insurance use.
 * Offer 健康保険証利用登録; the registration itself is carried out (state `register`) only once
 * the holder has passed the identity check. Declining ends with guidance to show an insurance
 * document to staff.
 */
import type { VisitContext } from '../context.ts';
import { VisitError, codeOf } from '../errors.ts';
import { end, to, type Transition } from '../states.ts';

export async function registrationStep(v: VisitContext): Promise<Transition> {
  const choice = await v.choose('registration-offer');
  if (choice === 'decline') return end({ outcome: 'fallback', screen: 'not-registered', errorCode: 'NOT_REGISTERED' });
  v.registrationWanted = true;
  return to('method');
}

/** State `register`: after the identity check, carry the registration out at the facility. */
export async function registerStep(v: VisitContext): Promise<Transition> {
  const cert = v.certificate;
  if (v.registrationWanted && !v.registeredNow && cert) {
    await v.step('registration', v.t.facilityMs, (signal) => v.deps.facility.register(cert.serial, { timeoutMs: v.t.facilityMs, signal })).catch((err: unknown) => {
      if (codeOf(err) === 'CARD_REMOVED' || codeOf(err) === 'CANCELLED') throw err;
      throw new VisitError(codeOf(err) === 'FACILITY_UNREACHABLE' ? 'FACILITY_UNREACHABLE' : 'REGISTRATION_FAILED', 'registration at the facility failed', { cause: err });
    });
    v.registeredNow = true;
    v.deps.audit.record('registered', { visitId: v.visitId, certificateSerial: cert.serial });
    await v.show('registration-done');
  }
  return to('consent');
}
