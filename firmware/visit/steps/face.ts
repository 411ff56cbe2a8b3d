/**
 * State `face`: 照合番号B from the card front → chip photo (DF28 and the chip's proof over the
 * facility's challenge checked) → enrol → live attempts with guidance and liveness (the first
 * attempt starts looking while the card is read). A match is not yet an acceptance: the card
 * must sign the facility's challenge, through 特定機関認証 when the reader has an authenticator,
 * else after the PIN (state `pin`, which records the decision as face mode). After
 * `faceMaxFailures` failed attempts (a suspected spoof ends the attempts at once) the patient is
 * offered PIN or staff help, in words that never blame them. The face screen's own buttons work
 * from its first frame until the screen after it is drawn: "use the PIN" ends the attempt for the
 * PIN, "cancel" goes back to the method choice (a tap on them while face-failed is still being
 * drawn is that choice too, never lost).
 */
import type { FaceDecision } from '../deps.ts';
import type { VisitContext } from '../context.ts';
import { codeOf } from '../errors.ts';
import { SCREENS, type ButtonOf } from '../screens.ts';
import { to, type Transition } from '../states.ts';
import { proveWithCard } from '../proof.ts';
import { ensurePhoto } from './photo.ts';

const RETRY_PAUSE_MS = 1_000;

/** Errors after which the face path is given up for PIN/staff (anything else ends the visit). */
const FACE_PATH_PROBLEMS = new Set(['NUMBER_B_UNREADABLE', 'NUMBER_B_REFUSED', 'CARD_FACE_ISSUER_UNKNOWN', 'FACE_UNAVAILABLE', 'TIMEOUT', 'DEVICE_UNAVAILABLE', 'BUDGET_EXCEEDED']);

/**
 * Listens for the face screen's buttons from the attempt's face screen on; `pressed` aborts when
 * one is pressed (the attempt running stops), `stop()` ends listening and says what was pressed.
 */
class FaceButtons {
  readonly pressed = new AbortController();
  readonly #stop = new AbortController();
  #listening: Promise<ButtonOf<'face'> | undefined> | undefined;
  constructor(private readonly v: VisitContext) {}

  listen(): void {
    if (this.#listening) return;
    const { ui, log } = this.v.deps;
    const accept: readonly string[] = SCREENS.face;
    this.#listening = ui.waitForAction(accept, AbortSignal.any([this.v.signal, this.#stop.signal])).then(
      (id) => {
        this.pressed.abort();
        return id as ButtonOf<'face'>;
      },
      (err: unknown) => {
        if (codeOf(err) !== 'CANCELLED') log.warn('face screen buttons not heard', { err });
        return undefined;
      },
    );
  }

  /** Stops listening (once the next screen is drawn); the button pressed before, if any. */
  stop(): Promise<ButtonOf<'face'> | undefined> {
    this.#stop.abort();
    return this.#listening ?? Promise.resolve(undefined);
  }
}

/** The patient chose on the face screen: the PIN, or back to the method choice. */
function chosen(v: VisitContext, button: ButtonOf<'face'>): Transition {
  v.deps.face.wipe();
  v.deps.audit.record('face-given-up', { visitId: v.visitId, reason: button === 'pin' ? 'PIN_CHOSEN' : 'CANCELLED_BY_PATIENT', failures: v.faceFailures });
  return to(button === 'pin' ? 'pin' : 'method');
}

async function offerOthers(v: VisitContext, buttons: FaceButtons, reason: string): Promise<Transition> {
  v.deps.face.wipe();
  v.deps.audit.record('face-given-up', { visitId: v.visitId, reason, failures: v.faceFailures });
  await v.show('face-failed', { reason });
  // A button of the face screen pressed while face-failed was being drawn is the patient's choice.
  const before = await buttons.stop();
  if (before) return to(before === 'pin' ? 'pin' : 'method');
  const accept: readonly string[] = SCREENS['face-failed'];
  const choice = await v.step('choice on face-failed', v.t.choiceMs, (signal) => v.deps.ui.waitForAction(accept, signal));
  return to(choice as ButtonOf<'face-failed'>);
}

/**
 * Guidance goes straight to the face screen (no visit event: it changes many times a second).
 * The hint on the panel is remembered, so that the face screen an attempt opens with keeps it
 * (a "please blink" asked while the card was read must not flicker away when the attempt is joined).
 */
class Hints {
  #last: string | undefined;
  constructor(private readonly v: VisitContext) {}

  /** The face screen's parameters with the hint on the panel now, if any. */
  get params(): { hint?: string } {
    return this.#last === undefined ? {} : { hint: this.#last };
  }

  readonly show = (hint: string): void => {
    const { ui, log } = this.v.deps;
    this.#last = hint;
    void ui.show('face', { hint }).catch((err: unknown) => log.warn('guidance screen failed', { err }));
  };

  /** A new attempt starts with no hint of its own yet. */
  reset(): void {
    this.#last = undefined;
  }
}

/** One attempt; undefined when the patient pressed a button of the face screen meanwhile. */
async function attempt(v: VisitContext, hints: Hints, buttons: FaceButtons): Promise<FaceDecision | undefined> {
  const { face } = v.deps;
  await v.show('face', hints.params);
  buttons.listen();
  if (buttons.pressed.signal.aborted) return undefined;
  try {
    return await v.step('face attempt', v.t.faceAttemptMs, (signal) => face.verify({ signal: AbortSignal.any([signal, buttons.pressed.signal]), onGuidance: hints.show }));
  } catch (err) {
    if (buttons.pressed.signal.aborted) return undefined;
    if (codeOf(err) === 'TIMEOUT' || codeOf(err) === 'BUDGET_EXCEEDED') return { outcome: 'budget' };
    throw err;
  }
}

/** The face matched: the card signs the facility's challenge, or the PIN must let it. */
async function afterMatch(v: VisitContext): Promise<Transition> {
  if (v.card.faceProof === 'pin') {
    v.faceMatched = true;
    v.deps.audit.record('face-match', { visitId: v.visitId, next: 'pin' });
    return to('pin');
  }
  try {
    await proveWithCard(v, 'terminal');
  } catch (err) {
    const code = codeOf(err);
    if (code === 'TERMINAL_AUTH_FAILED') {
      v.faceMatched = true;
      v.deps.audit.record('face-match', { visitId: v.visitId, next: 'pin', reason: code });
      return to('pin');
    }
    if (code === 'SIGNATURE_INVALID') v.decide('face', false, 'signature-invalid');
    throw err;
  }
  v.decide('face', true, 'match-card-signature-valid');
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
  const hints = new Hints(v);
  try {
    // The camera starts while the card is read: the liveness challenge need not wait for the photo.
    const photo = await ensurePhoto(v, () => face.begin?.({ signal: v.signal, onGuidance: hints.show }));
    await v.step('face enrolment', v.t.facePrepareMs, (signal) => face.enrol(photo, signal));
  } catch (err) {
    if (FACE_PATH_PROBLEMS.has(codeOf(err))) return offerOthers(v, buttons, codeOf(err));
    throw err;
  }
  while (v.faceFailures < v.deps.settings.faceMaxFailures) {
    const decision = await attempt(v, hints, buttons);
    if (!decision) return chosen(v, await buttons.stop() ?? 'cancel');
    // The outcome only: a genuine patient's similarity score never goes to a log.
    v.deps.audit.record('face-attempt', { visitId: v.visitId, outcome: decision.outcome });
    if (decision.outcome === 'match') {
      face.wipe();
      return afterMatch(v); // a match wins over a button pressed as it came
    }
    if (decision.outcome === 'spoof') {
      v.faceFailures = v.deps.settings.faceMaxFailures;
      return offerOthers(v, buttons, 'SPOOF_SUSPECTED');
    }
    v.faceFailures += 1;
    if (v.faceFailures < v.deps.settings.faceMaxFailures) {
      // Try again by itself, with a neutral hint: the patient did nothing wrong.
      await v.show('face', { hint: 'position', triesLeft: v.deps.settings.faceMaxFailures - v.faceFailures });
      await v.pause(RETRY_PAUSE_MS);
      hints.reset();
    }
  }
  return offerOthers(v, buttons, 'FACE_NOT_CONFIRMED');
}
