/**
 * Visit settings: step timeouts and limits. Defaults here; the `visit` config section overrides
 * them. Every wait of the visit takes its limit from this object.
 */
export interface VisitTimeouts {
  /** Card detection + certificate read. */
  readonly cardMs: number;
  /** Qualification request / registration at the facility. */
  readonly facilityMs: number;
  /** A patient choosing on a screen (method, consent, language…). */
  readonly choiceMs: number;
  /** PIN entry on the pad. */
  readonly pinMs: number;
  /** Card-front scan + chip photo + enrolment. */
  readonly facePrepareMs: number;
  /** One face attempt (the face part has its own, shorter budget inside). */
  readonly faceAttemptMs: number;
  /** Staff password entry and visual check. */
  readonly staffMs: number;
  /** Guidance screens shown before the visit ends (done, fallback, errors). */
  readonly messageMs: number;
  /** Waiting for the patient to take the card at the end. */
  readonly takeCardMs: number;
}

export interface VisitSettings {
  readonly timeouts: VisitTimeouts;
  /** Failed face attempts before PIN / staff help is offered. */
  readonly faceMaxFailures: number;
  /** Cap on screen transitions per visit (every loop bounded). */
  readonly maxSteps: number;
}

export const defaultVisitSettings: VisitSettings = {
  timeouts: {
    cardMs: 5_000,
    facilityMs: 5_000,
    choiceMs: 60_000,
    pinMs: 60_000,
    facePrepareMs: 10_000,
    faceAttemptMs: 20_000,
    staffMs: 120_000,
    messageMs: 3_000,
    takeCardMs: 60_000,
  },
  faceMaxFailures: 3,
  maxSteps: 200,
};
