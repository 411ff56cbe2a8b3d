/**
 * One visit in progress: its identity (id, start), the card session, the identity decision, the
 * visit's secrets (in one SecretBag, wiped when the visit ends), the state each step owns (what
 * was read and chosen: steps/*.ts keep it, step-state.ts), and helpers that every step uses to
 * show a screen, wait for a choice and run a guarded, time-limited operation.
 */
import { SecretBag } from '../core/secret.ts';
import type { IdentityMethod } from '../ports/facility-link.ts';
import type { VisitCard, VisitDeps } from './deps.ts';
import { VisitError } from './errors.ts';
import type { VisitObserver } from './events.ts';
import { guarded } from './guard.ts';
import { buttonsOf, type ButtonOf, type ScreenId, type ScreenParams } from './screens.ts';
import type { StepState } from './step-state.ts';

/** What let the card's key sign the facility's challenge: a verified PIN, or 特定機関認証 after a face match. */
export type SignatureUnlock = 'pin' | 'terminal';

export class VisitContext {
  readonly bag = new SecretBag();
  readonly startedAt: number;
  readonly startedMono: number;
  readonly visitId: string;
  #card: VisitCard | undefined;
  #method: IdentityMethod | null = null;
  #accepted = false;
  readonly #owned = new Map<StepState<unknown>, unknown>();

  constructor(
    readonly deps: VisitDeps,
    readonly signal: AbortSignal,
    readonly observer: VisitObserver = () => undefined,
  ) {
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

  /** The identity method decided (null until decide()). */
  get method(): IdentityMethod | null {
    return this.#method;
  }

  get accepted(): boolean {
    return this.#accepted;
  }

  /** The state `key` names for this visit, created on first use; only the key's owner holds the key. */
  own<T>(key: StepState<T>): T {
    if (!this.#owned.has(key)) this.#owned.set(key, key.initial());
    return this.#owned.get(key) as T;
  }

  get t(): VisitDeps['settings']['timeouts'] {
    return this.deps.settings.timeouts;
  }

  /** Runs one operation with its own deadline, cancelled with the visit. */
  step<T>(what: string, ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return guarded(this.deps.clock, this.signal, what, ms, fn);
  }

  show(screen: ScreenId, params?: ScreenParams): Promise<boolean> {
    this.observer({ type: 'screen', screen, at: this.deps.clock.monotonic() });
    return this.step(`showing ${screen}`, this.t.messageMs, () => this.deps.ui.show(screen, params));
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

  /** Records the identity decision; `certificateSerial` is the card's (steps/card.ts: certificateOf), for the audit record. */
  decide(method: IdentityMethod, accepted: boolean, reason: string, certificateSerial: string | undefined): void {
    this.#method = method;
    this.#accepted = accepted;
    this.deps.audit.record('identity-decision', { visitId: this.visitId, method, accepted, reason, certificateSerial });
    this.observer({ type: 'decision', method, accepted, at: this.deps.clock.monotonic() });
  }
}
