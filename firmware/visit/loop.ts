/**
 * The reader's unattended loop, as a daemon Service: idle screen with language choice → card
 * inserted → one visit → its ending screen until the card is taken → idle again. A card pulled
 * at any moment aborts the visit's signal with `CardRemovedError`; a reader that disappears
 * aborts it with READER_GONE and shows the fallback guidance until the reader is back.
 * One visit at a time; card events are consumed by one pump, never queued unboundedly.
 */
import type { AuditLog, Logger } from '../core/logger.ts';
import type { HealthCheck, Service } from '../ports/service.ts';
import type { CardEvent, CardReader } from '../ports/card-reader.ts';
import type { Gpio } from '../ports/gpio.ts';
import type { VisitDeps } from './deps.ts';
import { CardRemovedError, VisitError, errorCodeOrInternal } from './errors.ts';
import { endingInput } from './ending-input.ts';
import type { VisitObserver } from './events.ts';
import { LANG_BUTTONS } from '../ports/screens.ts';
import { runVisit, type VisitOutcome } from './visit.ts';

export interface VisitLoopDeps {
  readonly reader: Pick<CardReader, 'events'>;
  readonly visit: VisitDeps;
  readonly defaultLanguage: string;
  readonly gpio?: Gpio;
  readonly observer?: VisitObserver;
  /** Called after each visit (benches, `sim visit`). */
  readonly onVisitEnd?: (outcome: VisitOutcome) => void;
  /** The visit/update lock (ota/agent/update-lock.ts): held for each visit, so no update switches during one. */
  readonly updateLock?: VisitUpdateLock;
}

/** What the loop needs of the OTA agent's UpdateLock. */
export interface VisitUpdateLock {
  /** undefined while an update is switching: show "update in progress" instead of a visit. */
  tryBeginVisit(): (() => void) | undefined;
  readonly updating: boolean;
}

export class VisitLoop implements Service {
  readonly name = 'visit';
  #stop = new AbortController();
  #pump: Promise<void> | undefined;
  #visit: { ac: AbortController; done: Promise<void>; cardOut: () => void } | undefined;
  #cardPresent = false;
  #readerOk = true;
  #idle: AbortController | undefined;
  #language: string;
  #visits = 0;

  constructor(private readonly deps: VisitLoopDeps) {
    this.#language = deps.defaultLanguage;
  }

  get log(): Logger {
    return this.deps.visit.log;
  }
  get audit(): AuditLog {
    return this.deps.visit.audit;
  }
  get visits(): number {
    return this.#visits;
  }

  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.#stop.abort(signal.reason), { once: true });
    await this.#showIdle();
    this.#pump = this.#consume().catch((err: unknown) => this.log.error('card event pump ended', { err }));
  }

  async stop(): Promise<void> {
    this.#stop.abort(new VisitError('CANCELLED', 'daemon stopping'));
    this.#idle?.abort();
    this.#visit?.ac.abort(new VisitError('CANCELLED', 'daemon stopping'));
    this.#visit?.cardOut();
    await this.#visit?.done;
    await this.#pump;
  }

  health(): Promise<HealthCheck[]> {
    return Promise.resolve([{ name: 'card-reader', ok: this.#readerOk, detail: this.#readerOk ? 'present' : 'reader gone' }]);
  }

  /** Consumes card events until the reader's stream ends or the loop stops (whichever first). */
  async #consume(): Promise<void> {
    const it = this.deps.reader.events()[Symbol.asyncIterator]();
    try {
      while (true) {
        const next = await this.#nextOrStop(it);
        if (next === 'stop' || next.done) return;
        this.#onCardEvent(next.value);
      }
    } finally {
      // Ask the stream to finish; a stream blocked waiting for the reader ends when the reader closes.
      void it.return?.()?.catch((err: unknown) => this.log.warn('card event stream did not end cleanly', { err }));
    }
  }

  /**
   * The stream's next event, or 'stop' when the loop stops first. The stop listener is removed
   * once the event is there: racing every event against one promise that stays pending until
   * shutdown would add a reaction to it per event, kept for the daemon's lifetime (a soak leak).
   */
  #nextOrStop(it: AsyncIterator<CardEvent>): Promise<IteratorResult<CardEvent> | 'stop'> {
    const signal = this.#stop.signal;
    if (signal.aborted) return Promise.resolve('stop');
    return new Promise((resolve, reject) => {
      const onStop = (): void => resolve('stop');
      signal.addEventListener('abort', onStop, { once: true });
      it.next().then(
        (r) => {
          signal.removeEventListener('abort', onStop);
          resolve(r);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onStop);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  #onCardEvent(event: CardEvent): void {
    switch (event.type) {
      case 'inserted':
        this.#cardPresent = true;
        if (!this.#visit && this.#readerOk) this.#startVisit();
        return;
      case 'removed':
        this.#cardPresent = false;
        this.#visit?.ac.abort(new CardRemovedError());
        this.#visit?.cardOut();
        return;
      case 'reader-gone':
        this.#readerOk = false;
        this.#cardPresent = false;
        this.log.warn('card reader gone', { reader: event.reader });
        this.#visit?.ac.abort(new VisitError('READER_GONE', 'the card reader disappeared'));
        this.#visit?.cardOut();
        if (!this.#visit) void this.#show('fallback', { reason: 'READER_GONE' });
        return;
      case 'reader-back':
        this.#readerOk = true;
        this.log.info('card reader back', { reader: event.reader });
        if (!this.#visit) void this.#showIdle();
        return;
    }
  }

  /** An update is switching (OTA agent event): show its screen unless a visit runs. */
  showUpdating(): void {
    if (this.#visit || this.#stop.signal.aborted) return;
    this.#idle?.abort();
    void this.#show('updating', {});
  }

  #startVisit(): void {
    const release = this.deps.updateLock ? this.deps.updateLock.tryBeginVisit() : () => undefined;
    if (!release) {
      this.log.info('card inserted while an update is switching: not starting a visit');
      this.showUpdating();
      return;
    }
    this.#idle?.abort();
    const ac = new AbortController();
    let cardOut = (): void => undefined;
    const out = new Promise<void>((resolve) => {
      cardOut = resolve;
    });
    const entry = { ac, cardOut: () => cardOut(), done: Promise.resolve() };
    entry.done = this.#runOne(ac, out)
      .then(
        (again) => again,
        (): false => false,
      )
      .then((again) => {
        this.#visit = undefined;
        release();
        if (this.#stop.signal.aborted) return;
        // "Try again" on the card-problem screen: a new visit with the card where it is.
        if (again && this.#cardPresent && this.#readerOk) this.#startVisit();
        else void this.#showIdle();
      });
    this.#visit = entry;
  }

  /** One visit and its ending screen; true when the patient asked to try the card again. */
  async #runOne(ac: AbortController, cardOut: Promise<void>): Promise<boolean> {
    const { visit, gpio } = this.deps;
    visit.ui.setLanguage(this.#language);
    gpio?.setLed('blue', 'blink');
    try {
      const outcome = await runVisit(visit, ac.signal, this.deps.observer);
      this.#visits += 1;
      gpio?.setLed(outcome.result.outcome === 'accepted' ? 'green' : 'amber');
      gpio?.beep(outcome.result.outcome === 'accepted' ? 'ok' : 'attention');
      this.deps.onVisitEnd?.(outcome);
      if (outcome.ending.errorCode !== 'CARD_REMOVED' && !this.#stop.signal.aborted) {
        const params = outcome.ending.errorCode ? { reason: outcome.ending.errorCode } : {};
        await this.#show(outcome.ending.screen, params);
        // The ending screen's buttons answer until the card comes out (or "try again" is pressed).
        const answering = new AbortController();
        const input = endingInput(outcome.ending.screen, {
          ui: visit.ui,
          params,
          signal: answering.signal,
          show: (s, p) => this.#show(s, p),
        }).catch((err: unknown): 'done' => {
          if (!answering.signal.aborted) this.log.warn('ending screen input failed', { code: errorCodeOrInternal(err) });
          return 'done';
        });
        const out = this.#waitForCardOut(cardOut, answering.signal).then((): false => false);
        try {
          return await Promise.race([out, input.then((next) => (next === 'retry' ? true : out))]);
        } finally {
          answering.abort();
          await input;
        }
      }
      return false;
    } catch (err) {
      this.log.error('visit loop failure', { code: errorCodeOrInternal(err), err });
      return false;
    } finally {
      this.#language = this.deps.defaultLanguage;
      visit.ui.setLanguage(this.#language);
      gpio?.setLed('off');
    }
  }

  /** Waits for the card to come out (or `signal`), beeping every `takeCardMs` while it stays (bounded by the card). */
  async #waitForCardOut(cardOut: Promise<void>, signal: AbortSignal): Promise<void> {
    const { clock, settings } = this.deps.visit;
    const stopped = new Promise<false>((resolve) => signal.addEventListener('abort', () => resolve(false), { once: true }));
    while (this.#cardPresent && !this.#stop.signal.aborted && !signal.aborted) {
      let timer: { cancel(): void } | undefined;
      const reminded = await Promise.race([
        cardOut.then(() => false),
        stopped,
        new Promise<boolean>((resolve) => {
          timer = clock.setTimeout(() => resolve(true), settings.timeouts.takeCardMs);
        }),
      ]);
      timer?.cancel();
      if (!reminded) return;
      this.deps.gpio?.beep('attention');
    }
  }

  async #show(screen: Parameters<VisitDeps['ui']['show']>[0], params: Parameters<VisitDeps['ui']['show']>[1]): Promise<void> {
    this.deps.observer?.({ type: 'screen', screen, at: this.deps.visit.clock.monotonic() });
    try {
      await this.deps.visit.ui.show(screen, params);
    } catch (err) {
      this.log.warn('screen failed', { screen, err });
    }
  }

  /** The idle screen; language buttons re-render it in the chosen language until a card goes in. */
  async #showIdle(): Promise<void> {
    this.#idle?.abort();
    const ac = new AbortController();
    this.#idle = ac;
    if (this.deps.updateLock?.updating) {
      await this.#show('updating', {});
      return;
    }
    this.deps.gpio?.setLed(this.#readerOk ? 'green' : 'red', 'steady');
    await this.#show(this.#readerOk ? 'idle' : 'fallback', this.#readerOk ? {} : { reason: 'READER_GONE' });
    if (!this.#readerOk) return;
    void this.#idleChoices(ac.signal);
  }

  async #idleChoices(signal: AbortSignal): Promise<void> {
    const ui = this.deps.visit.ui;
    while (!signal.aborted) {
      let choice: (typeof LANG_BUTTONS)[number];
      try {
        choice = await ui.waitForAction(LANG_BUTTONS, signal);
      } catch (err) {
        if (!signal.aborted) this.log.warn('idle screen input failed', { code: errorCodeOrInternal(err), err });
        return; // aborted: a card went in or the daemon stops
      }
      if (signal.aborted) return;
      this.#language = choice.slice('lang-'.length);
      ui.setLanguage(this.#language);
      await this.#show('idle', {});
    }
  }
}
