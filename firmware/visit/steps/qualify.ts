/**
 * State `qualify`: ask the facility whether this card is registered for health-insurance use,
 * what consent items it asks for and what this patient consented to here last time.
 * The request is sent and the visit goes on to the method screen at once: the patient reads and
 * chooses while the facility answers. Nothing is decided, signed or sent on the card's behalf
 * before the answer is in: the method step waits for it (`qualification`) before it hands over.
 * The facility checks the card's certificate first: a refusal (revoked, expired, unknown CA)
 * ends the visit on the screen for its code (endings.ts), whenever it arrives. Unreachable
 * facility → FACILITY_UNREACHABLE (fallback guidance, from the runner).
 */
import type { VisitContext } from '../context.ts';
import { VisitError, codeOf } from '../errors.ts';
import type { QualificationAnswer } from '../../ports/facility-link.ts';
import { to, type Transition } from '../states.ts';
import { stepState } from '../step-state.ts';
import { certificateOf } from './card.ts';

const ANSWER = stepState('qualify', (): { answer?: QualificationAnswer; asked?: Promise<QualificationAnswer> } => ({}));

/** The facility's qualification answer (registered, consent items, the challenge), once it is in. */
export function qualificationOf(v: VisitContext): QualificationAnswer | undefined {
  return v.own(ANSWER).answer;
}

/** The answer to the request sent in state `qualify`; rejects with its typed error (refusal, FACILITY_UNREACHABLE). */
export function qualification(v: VisitContext): Promise<QualificationAnswer> {
  return v.own(ANSWER).asked ?? Promise.reject(new VisitError('INTERNAL', 'no qualification request was sent'));
}

export function qualifyStep(v: VisitContext): Promise<Transition> {
  const cert = certificateOf(v);
  if (!cert) return Promise.reject(new VisitError('INTERNAL', 'qualify before the certificate was read'));
  const own = v.own(ANSWER);
  const asked = v.step('qualification request', v.deps.settings.timeouts.facilityMs, (signal) =>
    v.deps.facility.qualify({ visitId: v.visitId, certificateSerial: cert.serial, certificate: cert.der }, { timeoutMs: v.t.facilityMs, signal })).then((answer) => {
    own.answer = answer;
    return answer;
  }, (err: unknown) => {
    throw codeOf(err) === 'TIMEOUT' ? new VisitError('FACILITY_UNREACHABLE', 'the facility did not answer in time', { cause: err }) : err;
  });
  asked.catch(() => undefined); // the method step reports it; never an unhandled rejection
  own.asked = asked;
  return Promise.resolve(to('method'));
}
