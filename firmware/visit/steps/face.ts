/**
 * State `face`: 照合番号B from the card front → chip photo (DF28 and the chip's proof over the
 * facility's challenge checked) → enrol → live attempts with guidance and liveness (the first
 * attempt starts looking while the card is read). A match is not yet an acceptance: the card
 * must sign the facility's challenge, through 特定機関認証 when the reader has an authenticator,
 * else after the PIN (state `pin`, which records the decision as face mode). After
 * `faceMaxFailures` failed attempts (a suspected spoof ends the attempts at once) the patient is
 * offered PIN or staff help, in words that never blame them. The face screen's own buttons work
 * from the first attempt until the screen after it is drawn: "use PIN instead" stops the attempt
 * and goes to the PIN at once, "cancel" ends the visit as cancelled (a tap on them while
 * face-failed is still being drawn is that choice too, never dropped with the old screen: #17).
 */
import type { FaceDecision } from '../deps.ts';
import type { VisitContext } from '../context.ts';
import type { ErrorCode } from '../../core/errors.ts';
import { endingFor } from '../endings.ts';
import { VisitError, errorCodeOrInternal } from '../errors.ts';
import { SCREENS, type ButtonOf } from '../screens.ts';
import { end, to, type Transition } from '../states.ts';
import { proveAndDecide } from '../proof.ts';
import { stepState } from '../step-state.ts';
import { ensurePhoto } from './photo.ts';
import { FaceHints } from './face-hints.ts';

const RETRY_PAUSE_MS = 1_000;

/** Failed attempts so far, and whether the face matched with the card's signature still to come (the PIN follows). */
const FACE = stepState('face', () => ({ failures: 0, matched: false }));

/** The face matched and the PIN must now let the card sign (no terminal authenticator, or the card refused it). */
export function faceMatchedOf(v: VisitContext): boolean {
  return v.own(FACE).matched;
}

/** Back at the method choice: a face match earlier in the visit no longer stands for what comes next. */
export function forgetFaceMatch(v: VisitContext): void {
  v.own(FACE).matched = false;
}

/** Errors after which the face path is given up for PIN/staff (anything else ends the visit). */
const FACE_PATH_PROBLEMS = new Set<ErrorCode>([
  'VERIFICATION_NUMBER_B_UNREADABLE',
  'VERIFICATION_NUMBER_B_REFUSED',
  'CARD_FACE_ISSUER_UNKNOWN',
  'FACE_UNAVAILABLE',
  'TIMEOUT',
  'DEVICE_UNAVAILABLE',
  'FACE_BUDGET_EXCEEDED',
]);

async function offerOthers(v: VisitContext, buttons: FaceButtons, reason: string): Promise<Transition> {
  v.deps.face.wipe();
  v.deps.audit.record('face-given-up', { visitId: v.visitId, reason, failures: v.own(FACE).failures });
  await v.show('face-failed', { reason });
  // A button of the face screen pressed while face-failed was being drawn is the patient's choice.
  const before = await buttons.stop();
  if (before) return onPressed(v, before);
  const accept: readonly string[] = SCREENS['face-failed'];
  const choice = await v.step('choice on face-failed', v.t.choiceMs, (signal) => v.deps.ui.waitForAction(accept, signal));
  return to(choice as ButtonOf<'face-failed'>);
}

/** The patient pressed one of the face screen's buttons during the attempt. */
interface Pressed {
  readonly outcome: 'pressed';
  readonly button: ButtonOf<'face'>;
}

/**
 * The face screen's buttons, heard from the first attempt until `stop()` (called once the next
 * screen is drawn): `pressed` resolves with the button, or undefined once stopped or the visit ends.
 */
class FaceButtons {
  readonly #stop = new AbortController();
  #pressed: Promise<Pressed | undefined> | undefined;
  constructor(private readonly v: VisitContext) {}

  get pressed(): Promise<Pressed | undefined> {
    if (!this.#pressed) {
      const accept: readonly ButtonOf<'face'>[] = SCREENS.face;
      this.#pressed = this.v.deps.ui.waitForAction(accept, AbortSignal.any([this.v.signal, this.#stop.signal])).then(
        (button): Pressed => ({ outcome: 'pressed', button }),
        (err: unknown) =>
          this.v.signal.aborted || this.#stop.signal.aborted
            ? undefined
            : Promise.reject(err instanceof Error ? err : new Error(String(err))),
      );
    }
    return this.#pressed;
  }

  /** Stops listening; the button pressed before, if any. */
  async stop(): Promise<Pressed | undefined> {
    this.#stop.abort(new VisitError('CANCELLED', 'face screen gone'));
    return this.#pressed ? this.#pressed.catch(() => undefined) : undefined;
  }
}

/** One live attempt, raced against the face screen's buttons: a press ends the attempt. */
async function attempt(v: VisitContext, hints: FaceHints, buttons: FaceButtons): Promise<FaceDecision | Pressed> {
  const { face } = v.deps;
  await hints.open();
  const over = new AbortController();
  const decided = v
    .step('face attempt', v.t.faceAttemptMs, (signal) =>
      face.verify({ signal: AbortSignal.any([signal, over.signal]), onGuidance: hints.show }),
    )
    .catch((err: unknown): FaceDecision => {
      if (errorCodeOrInternal(err) === 'TIMEOUT' || errorCodeOrInternal(err) === 'FACE_BUDGET_EXCEEDED') return { outcome: 'budget' };
      throw err;
    });
  // Still listening after the attempt: the listener ends when the next screen is drawn (stop()).
  const pressed = buttons.pressed.then<FaceDecision | Pressed>((p) => p ?? decided);
  try {
    return await Promise.race([decided, pressed]);
  } finally {
    over.abort(new VisitError('CANCELLED', 'face attempt over'));
    await Promise.allSettled([decided]);
  }
}

/** "Use PIN instead": to the PIN at once; "cancel": the visit ends as cancelled. */
function onPressed(v: VisitContext, p: Pressed): Transition {
  v.deps.face.wipe();
  v.deps.audit.record('face-given-up', {
    visitId: v.visitId,
    reason: p.button === 'pin' ? 'PATIENT_CHOSE_PIN' : 'PATIENT_CANCELLED',
    failures: v.own(FACE).failures,
  });
  return p.button === 'pin' ? to('pin') : end(endingFor('CANCELLED'));
}

/** The face matched: the card signs the facility's challenge, or the PIN must let it. */
async function afterMatch(v: VisitContext): Promise<Transition> {
  if (v.card.faceProof === 'pin') {
    v.own(FACE).matched = true;
    v.deps.audit.record('face-match', { visitId: v.visitId, next: 'pin' });
    return to('pin');
  }
  try {
    await proveAndDecide(v, 'terminal', 'face', 'match-card-signature-valid');
  } catch (err) {
    const code = errorCodeOrInternal(err);
    if (code === 'TERMINAL_AUTH_FAILED') {
      v.own(FACE).matched = true;
      v.deps.audit.record('face-match', { visitId: v.visitId, next: 'pin', reason: code });
      return to('pin');
    }
    throw err;
  }
  return to('register');
}

export async function faceStep(v: VisitContext): Promise<Transition> {
  const buttons = new FaceButtons(v);
  try {
    return await facePath(v, buttons);
  } finally {
    await buttons.stop();
  }
}

async function facePath(v: VisitContext, buttons: FaceButtons): Promise<Transition> {
  const { face } = v.deps;
  const { ui, clock, log } = v.deps;
  const hints = new FaceHints({
    draw: (hint) => ui.show('face', { hint }),
    open: (params) => v.show('face', params),
    clock,
    log,
  });
  try {
    // The camera starts while the card is read: the liveness challenge need not wait for the photo.
    const photo = await ensurePhoto(v, () => face.begin?.({ signal: v.signal, onGuidance: hints.show }));
    await v.step('face enrolment', v.t.facePrepareMs, (signal) => face.enrol(photo, signal));
  } catch (err) {
    if (FACE_PATH_PROBLEMS.has(errorCodeOrInternal(err))) return offerOthers(v, buttons, errorCodeOrInternal(err));
    throw err;
  }
  const state = v.own(FACE);
  while (state.failures < v.deps.settings.faceMaxFailures) {
    const decision = await attempt(v, hints, buttons);
    if (decision.outcome === 'pressed') return onPressed(v, decision);
    // The outcome only: a genuine patient's similarity score never goes to a log.
    v.deps.audit.record('face-attempt', { visitId: v.visitId, outcome: decision.outcome });
    if (decision.outcome === 'match') {
      face.wipe();
      await buttons.stop(); // a match wins over a button pressed as it came
      return afterMatch(v);
    }
    if (decision.outcome === 'spoof') {
      state.failures = v.deps.settings.faceMaxFailures;
      return offerOthers(v, buttons, 'SPOOF_SUSPECTED');
    }
    state.failures += 1;
    if (state.failures < v.deps.settings.faceMaxFailures) {
      // Try again by itself, with a neutral hint: the patient did nothing wrong.
      await v.show('face', { hint: 'position', triesLeft: v.deps.settings.faceMaxFailures - state.failures });
      await v.pause(RETRY_PAUSE_MS);
      hints.reset();
    }
  }
  return offerOthers(v, buttons, 'FACE_NOT_CONFIRMED');
}
