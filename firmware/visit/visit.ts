/**
 * Runs one visit from card in to its result: loops over the state handlers (a capped number of
 * transitions), maps any typed error to an ending, wipes every secret of the visit whatever
 * the ending, and hands exactly one result record to the facility link's durable outbox.
 * Returns the ending so the caller can show its screen and wait for the card to come out.
 */
import type { VisitResult } from '../ports/facility-link.ts';
import { VisitContext } from './context.ts';
import type { VisitDeps } from './deps.ts';
import { endingCodeOf, endingFor } from './endings.ts';
import { VisitError, errorCodeOrInternal } from './errors.ts';
import type { VisitObserver } from './events.ts';
import { buildResult } from './result.ts';
import type { Ending, StateId, Transition } from './states.ts';
import { cardStep } from './steps/card.ts';
import { consentStep } from './steps/consent.ts';
import { faceStep } from './steps/face.ts';
import { finishStep } from './steps/finish.ts';
import { methodStep } from './steps/method.ts';
import { pinStep } from './steps/pin.ts';
import { prescriptionStep } from './steps/prescription.ts';
import { qualifyStep } from './steps/qualify.ts';
import { registerStep, registrationStep } from './steps/registration.ts';
import { forgetPhoto } from './steps/photo.ts';
import { staffStep } from './steps/staff.ts';

const HANDLERS: Readonly<Record<StateId, (v: VisitContext) => Promise<Transition>>> = {
  card: cardStep,
  qualify: qualifyStep,
  registration: registrationStep,
  method: methodStep,
  face: faceStep,
  pin: pinStep,
  staff: staffStep,
  register: registerStep,
  consent: consentStep,
  prescription: prescriptionStep,
  finish: finishStep,
};

export interface VisitOutcome {
  readonly result: VisitResult;
  readonly ending: Ending;
  /** The result could not be put in the outbox (disk full…): the facility never got it. */
  readonly submitError?: unknown;
}

async function drive(v: VisitContext): Promise<Ending> {
  const { log, clock, settings } = v.deps;
  let state: StateId = 'card';
  try {
    for (let n = 0; n < settings.maxSteps; n++) {
      v.observer({ type: 'state', state, at: clock.monotonic() });
      log.debug('state', { visitId: v.visitId, state });
      const next = await HANDLERS[state](v);
      if ('end' in next) return next.end;
      state = next.to;
    }
    throw new VisitError('VISIT_TOO_LONG', `visit exceeded ${settings.maxSteps} steps`);
  } catch (err) {
    const code = endingCodeOf(err);
    const level = code === 'CARD_REMOVED' || code === 'TIMEOUT' ? 'info' : code === 'INTERNAL' ? 'error' : 'warn';
    log[level]('visit ended early', { visitId: v.visitId, state, code, err });
    return endingFor(code);
  }
}

export async function runVisit(deps: VisitDeps, signal: AbortSignal, observer?: VisitObserver): Promise<VisitOutcome> {
  const v = new VisitContext(deps, signal, observer);
  deps.log.info('visit started', { visitId: v.visitId });
  let ending: Ending;
  try {
    ending = await drive(v);
  } finally {
    v.bag.wipeAll();
    forgetPhoto(v);
    deps.face.wipe();
    if (v.hasCard) await v.card.release();
  }
  const result = buildResult(v, ending);
  deps.audit.record('visit-result', {
    visitId: v.visitId,
    resultId: result.id,
    method: result.method,
    outcome: result.outcome,
    errorCode: result.errorCode,
  });
  try {
    await deps.facility.submitResult(result);
  } catch (err) {
    deps.log.error('result could not be stored in the outbox', { visitId: v.visitId, code: errorCodeOrInternal(err), err });
    observer?.({ type: 'result', result, at: deps.clock.monotonic() });
    return { result, ending: { outcome: ending.outcome, screen: 'fallback', errorCode: 'OUTBOX_FAILED' }, submitError: err };
  }
  observer?.({ type: 'result', result, at: deps.clock.monotonic() });
  deps.log.info('visit ended', {
    visitId: v.visitId,
    outcome: result.outcome,
    method: result.method,
    errorCode: result.errorCode,
    ms: result.processingMs,
  });
  return { result, ending };
}
