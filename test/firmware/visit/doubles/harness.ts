/**
 * Builds a visit from scripted doubles and runs it under sinon fake timers, advancing time
 * until the visit ends (bounded), so timeouts are exercised without waiting.
 */
import type { FaceHint } from '../../../../firmware/ports/screens.ts';
import sinon from 'sinon';
import { MemorySink, createAuditLog, createLogger } from '../../../../firmware/core/logger.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import type { FaceDecision, StaffAuth, VisitDeps } from '../../../../firmware/visit/deps.ts';
import type { VisitEvent } from '../../../../firmware/visit/events.ts';
import { defaultVisitSettings, type VisitSettings } from '../../../../firmware/visit/settings.ts';
import { runVisit, type VisitOutcome } from '../../../../firmware/visit/visit.ts';
import { CardRemovedError } from '../../../../firmware/visit/errors.ts';
import { ScriptedCard, type CardProfile } from './card.ts';
import type { TestIdentity } from './cert.ts';
import { ScriptedFace } from './face.ts';
import { ScriptedFacility, type FacilityScript } from './facility.ts';
import { ScriptedFront } from './front.ts';
import { ScriptedPatient, type PatientStep } from './patient.ts';

export const PHOTO = new Uint8Array([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 1, 2, 3, 4]);
export const VERIFICATION_NUMBER_B = '55021720352285';

export interface Scenario {
  readonly identity: TestIdentity;
  readonly card?: Omit<CardProfile, 'identity'>;
  readonly cardCalls: readonly string[];
  readonly front?: string | 'unreadable';
  readonly face?: readonly FaceDecision[];
  readonly faceDecisionMs?: number;
  readonly faceHints?: readonly FaceHint[];
  /** Hints the attempt begun during the card read sends. */
  readonly faceBeginHints?: readonly FaceHint[];
  readonly facility?: Omit<FacilityScript, 'serial'>;
  readonly facilityCalls?: readonly string[];
  readonly patient: readonly PatientStep[];
  readonly staff?: StaffAuth;
  readonly settings?: Partial<VisitSettings>;
  /** How long each screen takes to reach the panel (fake time). */
  readonly drawMs?: number;
  /** Pull the card after this much (fake) time, whatever the visit is doing. */
  readonly pullAtMs?: number;
}

export interface Ran {
  readonly outcome: VisitOutcome;
  readonly card: ScriptedCard;
  readonly face: ScriptedFace;
  readonly front: ScriptedFront;
  readonly facility: ScriptedFacility;
  readonly patient: ScriptedPatient;
  readonly events: VisitEvent[];
  readonly audit: Record<string, unknown>[];
  readonly logs: string[];
  readonly screens: string[];
}

const noStaff: StaffAuth = { check: () => Promise.reject(new Error('staff.check() is not part of this scenario')) };

export async function runScenario(s: Scenario): Promise<Ran> {
  const clock = sinon.useFakeTimers({
    now: new Date('2026-04-01T09:00:00Z'),
    toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'],
  });
  try {
    const ac = new AbortController();
    const card = new ScriptedCard(
      { identity: s.identity, pin: '1234', verificationNumberB: VERIFICATION_NUMBER_B, photo: PHOTO, ...s.card },
      ['open', ...s.cardCalls],
      systemClock,
    );
    const front = new ScriptedFront(s.front ?? VERIFICATION_NUMBER_B, s.front !== undefined || s.cardCalls.includes('readFacePhoto'));
    const face = new ScriptedFace(PHOTO, s.face ?? [], systemClock, {
      hints: s.faceHints ?? [],
      beginHints: s.faceBeginHints ?? [],
      ...(s.faceDecisionMs ? { decisionMs: s.faceDecisionMs } : {}),
    });
    const facility = new ScriptedFacility(
      { serial: s.identity.serial, ...s.facility },
      s.facilityCalls ?? ['qualify', 'prove', 'submitResult'],
      systemClock,
    );
    const patient = new ScriptedPatient(s.patient, () => ac.abort(new CardRemovedError()), s.drawMs);
    const sink = new MemorySink();
    const auditSink = new MemorySink();
    let n = 0;
    const deps: VisitDeps = {
      readerId: 'reader-test-1',
      cards: card,
      cardFront: front,
      face,
      ui: patient,
      facility,
      staff: s.staff ?? noStaff,
      clock: systemClock,
      log: createLogger({ sink, level: 'debug' }),
      audit: createAuditLog(auditSink),
      settings: { ...defaultVisitSettings, ...s.settings },
      newId: () => `id-${++n}`,
    };
    if (s.pullAtMs !== undefined) setTimeout(() => ac.abort(new CardRemovedError()), s.pullAtMs);
    const events: VisitEvent[] = [];
    let outcome: VisitOutcome | undefined;
    let failure: unknown;
    const running = runVisit(deps, ac.signal, (e) => events.push(e)).then(
      (o) => {
        outcome = o;
      },
      (err: unknown) => {
        failure = err;
      },
    );
    for (let i = 0; i < 2_000 && !outcome && failure === undefined; i++) await clock.tickAsync(250);
    await running;
    if (failure !== undefined) throw failure;
    if (!outcome) throw new Error('visit did not end within 500 s of fake time');
    return {
      outcome,
      card,
      face,
      front,
      facility,
      patient,
      events,
      audit: auditSink.records(),
      logs: sink.lines,
      screens: events.filter((e) => e.type === 'screen').map((e) => (e as { screen: string }).screen),
    };
  } finally {
    clock.restore();
  }
}
