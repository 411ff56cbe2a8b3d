/**
 * The state of one visit in progress: what was read, decided and chosen so far, the visit's
 * secrets (in one SecretBag, wiped when the visit ends), and helpers that every step uses to
 * show a screen, wait for a choice and run a guarded, time-limited operation.
 */
import { SecretBag } from '../core/secret.ts';
import type { ConsentChoice, IdentityMethod, QualificationAnswer } from '../ports/facility-link.ts';
import type { CertificateInfo, VisitCard, VisitDeps } from './deps.ts';
import { VisitError } from './errors.ts';
import type { VisitObserver } from './events.ts';
import { guarded } from './guard.ts';
import type { SignatureUnlock } from './proof.ts';
import { buttonsOf, type ButtonOf, type ScreenId, type ScreenParams } from './screens.ts';

export class VisitContext {
  readonly bag = new SecretBag();
  readonly startedAt: number;
  readonly startedMono: number;
  readonly visitId: string;
  #card: VisitCard | undefined;
  certificate: CertificateInfo | undefined;
  answer: QualificationAnswer | undefined;
  method: IdentityMethod | null = null;
  accepted = false;
  /** The card's signature over the facility's challenge, and what unlocked the key for it. */
  signature: Uint8Array | undefined;
  challenge: string | undefined;
  signatureUnlock: SignatureUnlock | undefined;
  /** The face matched, and the card still has to sign (no terminal authenticator: the PIN follows). */
  faceMatched = false;
  /** The patient accepted the registration offer; carried out after the identity check. */
  registrationWanted = false;
  registeredNow = false;
  /** Chip photo (JPEG 2000), once read; a secret held in `bag`. */
  photo: Uint8Array | undefined;
  faceFailures = 0;
  consent: ConsentChoice | undefined;
  prescription: 'electronic' | 'paper' | undefined;

  constructor(readonly deps: VisitDeps, readonly signal: AbortSignal, readonly observer: VisitObserver = () => undefined) {
    this.startedAt = deps.clock.now();
    this.startedMono = deps.clock.monotonic();
    this.visitId = deps.newId();
  }

  /** The card session opened in state `card`. */
  get card(): VisitCard {
    if (!this.#card) throw new VisitError('INTERNAL', 'no card session yet');
    return this.#card;
  }

  set card(card: VisitCard) {
    this.#card = card;
  }

  get hasCard(): boolean {
    return this.#card !== undefined;
  }

  get t(): VisitDeps['settings']['timeouts'] {
    return this.deps.settings.timeouts;
  }

  /** Runs one operation with its own deadline, cancelled with the visit. */
  step<T>(what: string, ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return guarded(this.deps.clock, this.signal, what, ms, fn);
  }

  async show(screen: ScreenId, params?: ScreenParams): Promise<void> {
    this.observer({ type: 'screen', screen, at: this.deps.clock.monotonic() });
    await this.step(`showing ${screen}`, this.t.messageMs, () => this.deps.ui.show(screen, params));
  }

  /** Shows `screen` and waits (choiceMs unless told) for one of its buttons. */
  async choose<S extends ScreenId>(screen: S, params: ScreenParams = {}, timeoutMs = this.t.choiceMs): Promise<ButtonOf<S>> {
    const accept = buttonsOf(screen);
    await this.show(screen, params);
    return this.step(`choice on ${screen}`, timeoutMs, (signal) => this.deps.ui.waitForAction(accept, signal));
  }

  /** A short pause on an information screen (guarded by the visit's signal). */
  pause(ms: number): Promise<void> {
    return this.step('pause', ms + 1_000, (signal) => this.deps.clock.sleep(ms, signal));
  }

  decide(method: IdentityMethod, accepted: boolean, reason: string): void {
    this.method = method;
    this.accepted = accepted;
    this.deps.audit.record('identity-decision', { visitId: this.visitId, method, accepted, reason, certificateSerial: this.certificate?.serial });
    this.observer({ type: 'decision', method, accepted, at: this.deps.clock.monotonic() });
  }
}
