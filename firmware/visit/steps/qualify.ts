/**
 * State `qualify`: ask the facility whether this card is registered for health-insurance use,
 * what consent items it asks for and what this patient consented to here last time.
 * The facility checks the card's certificate first: a refusal (revoked, expired, unknown CA)
 * ends the visit on the screen for its code (endings.ts). Unreachable facility →
 * FACILITY_UNREACHABLE (fallback guidance, from the runner).
 */
import type { VisitContext } from '../context.ts';
import { VisitError, errorCodeOrInternal } from '../errors.ts';
import type { QualificationAnswer } from '../../ports/facility-link.ts';
import { to, type Transition } from '../states.ts';
import { stepState } from '../step-state.ts';
import { certificateOf } from './card.ts';

const ANSWER = stepState('qualify', (): { answer?: QualificationAnswer } => ({}));

/** The facility's qualification answer (registered, consent items, the challenge), once asked. */
export function qualificationOf(v: VisitContext): QualificationAnswer | undefined {
  return v.own(ANSWER).answer;
}

export async function qualifyStep(v: VisitContext): Promise<Transition> {
  const cert = certificateOf(v);
  if (!cert) throw new VisitError('INTERNAL', 'qualify before the certificate was read');
  const answer = await v
    .step('qualification request', v.deps.settings.timeouts.facilityMs, (signal) =>
      v.deps.facility.qualify(
        { visitId: v.visitId, certificateSerial: cert.serial, certificate: cert.der },
        { timeoutMs: v.t.facilityMs, signal },
      ),
    )
    .catch((err: unknown) => {
      throw errorCodeOrInternal(err) === 'TIMEOUT'
        ? new VisitError('FACILITY_UNREACHABLE', 'the facility did not answer in time', { cause: err })
        : err;
    });
  v.own(ANSWER).answer = answer;
  return to(answer.registered ? 'method' : 'registration');
}
