/**
 * The one result record of a visit (`VisitResult`), built from what the visit established.
 * Only an accepted visit carries consent, prescription and the card's signature over the
 * facility's challenge (every mode: PIN, face through 特定機関認証 or face then PIN, staff with a
 * terminal authenticator): a visit that ended any other way sends nothing it had half-collected.
 */
import type { VisitResult } from '../ports/facility-link.ts';
import type { VisitContext } from './context.ts';
import { cardProofOf } from './proof.ts';
import type { Ending } from './states.ts';
import { certificateOf } from './steps/card.ts';
import { consentOf } from './steps/consent.ts';
import { prescriptionOf } from './steps/prescription.ts';
import { registeredNowOf } from './steps/registration.ts';

export function buildResult(v: VisitContext, ending: Ending): VisitResult {
  const { clock, readerId, newId } = v.deps;
  const accepted = ending.outcome === 'accepted';
  const cert = certificateOf(v);
  const proof = cardProofOf(v);
  const consent = consentOf(v);
  const prescription = prescriptionOf(v);
  return {
    schema: 'kaoreader.result/1',
    id: newId(),
    readerId,
    visitId: v.visitId,
    startedAt: new Date(v.startedAt).toISOString(),
    finishedAt: new Date(clock.now()).toISOString(),
    method: v.method,
    outcome: ending.outcome,
    segment: accepted ? 1 : 9,
    ...(ending.errorCode ? { errorCode: ending.errorCode } : {}),
    ...(cert ? { certificateSerial: cert.serial, certificate: Buffer.from(cert.der).toString('base64') } : {}),
    ...(accepted && proof
      ? { signature: Buffer.from(proof.signature).toString('base64'), challenge: proof.challenge, signatureUnlock: proof.unlock }
      : {}),
    ...(accepted && consent ? { consent } : {}),
    ...(accepted && prescription ? { prescription } : {}),
    ...(registeredNowOf(v) ? { registeredNow: true } : {}),
    processingMs: Math.max(0, Math.round(clock.monotonic() - v.startedMono)),
  };
}
