/**
 * State `qualify`: ask the facility whether this card is registered for health-insurance use,
 * what consent items it asks for and what this patient consented to here last time.
 * The facility checks the card's certificate first: a refusal (revoked, expired, unknown CA)
 * ends the visit on the screen for its code (endings.ts). Unreachable facility →
 * FACILITY_UNREACHABLE (fallback guidance, from the runner).
 */
import type { VisitContext } from '../context.ts';
import { VisitError, codeOf } from '../errors.ts';
import { to, type Transition } from '../states.ts';

export async function qualifyStep(v: VisitContext): Promise<Transition> {
  const cert = v.certificate;
  if (!cert) throw new VisitError('INTERNAL', 'qualify before the certificate was read');
  v.answer = await v.step('qualification request', v.deps.settings.timeouts.facilityMs, (signal) =>
    v.deps.facility.qualify({ visitId: v.visitId, certificateSerial: cert.serial, certificate: cert.der }, { timeoutMs: v.t.facilityMs, signal })).catch((err: unknown) => {
    throw codeOf(err) === 'TIMEOUT' ? new VisitError('FACILITY_UNREACHABLE', 'the facility did not answer in time', { cause: err }) : err;
  });
  return to(v.answer.registered ? 'method' : 'registration');
}
