/**
 * SimCardReader: the CardReader port in-process, holding a VirtualMyNumberCard. Insert, remove,
 * unplug and replug by API; fault injection on upcoming commands. Same semantics as the PC/SC
 * reader (see firmware/ports/card-reader.ts), down to the disconnect dispositions: the card is
 * powered on when inserted and reset by a `reset`/`unpower` disconnect, never by a connect.
 */
import { CancelledError, TimeoutError } from '../../firmware/core/errors.ts';
import { CardRemovedError, ReaderGoneError } from '../../firmware/apdu/errors.ts';
import type {
  CardDisposition,
  CardEvent,
  CardReader,
  CardSession,
  ReaderFeatures,
  TransmitOptions,
} from '../../firmware/ports/card-reader.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { EventChannel } from '../../firmware/core/event-channel.ts';
import { FaultPlan, mutateResponse } from './faults.ts';
import type { VirtualMyNumberCard } from './virtual-card.ts';

export interface SimCardReaderOptions {
  readonly name?: string;
  readonly features?: Partial<ReaderFeatures>;
  readonly clock?: Clock;
}

export class SimCardReader implements CardReader {
  readonly name: string;
  readonly features: ReaderFeatures;
  readonly faults = new FaultPlan();
  readonly #clock: Clock;
  readonly #events = new EventChannel<CardEvent>(64);
  #card: VirtualMyNumberCard | undefined;
  /** Bumped on every insert/remove so stale sessions notice. */
  #generation = 0;
  #present = true;
  #closed = false;

  constructor(options: SimCardReaderOptions = {}) {
    this.name = options.name ?? 'kaoreader Virtual Reader 00 00';
    this.features = { extendedApdu: true, contactless: false, ...options.features };
    this.#clock = options.clock ?? systemClock;
  }

  get card(): VirtualMyNumberCard | undefined {
    return this.#card;
  }

  #emit(e: CardEvent): void {
    this.#events.push(e);
  }

  insert(card: VirtualMyNumberCard): void {
    if (this.#card) this.remove();
    this.#card = card;
    this.#generation++;
    card.powerOn();
    if (this.#present) this.#emit({ type: 'inserted', reader: this.name, atr: card.atr });
  }

  remove(): void {
    if (!this.#card) return;
    this.#card = undefined;
    this.#generation++;
    if (this.#present) this.#emit({ type: 'removed', reader: this.name });
  }

  /** The reader disappears (USB pulled, pcscd gone). */
  unplug(): void {
    if (!this.#present) return;
    this.#present = false;
    this.#generation++;
    this.#emit({ type: 'reader-gone', reader: this.name });
  }

  replug(): void {
    if (this.#present) return;
    this.#present = true;
    this.#emit({ type: 'reader-back', reader: this.name });
    if (this.#card) {
      this.#card.powerOn();
      this.#emit({ type: 'inserted', reader: this.name, atr: this.#card.atr });
    }
  }

  events(): AsyncIterable<CardEvent> {
    const initial: CardEvent[] = this.#card && this.#present ? [{ type: 'inserted', reader: this.name, atr: this.#card.atr }] : [];
    return this.#events.subscribe({ initial });
  }

  connect(): Promise<CardSession> {
    if (!this.#present || this.#closed) return Promise.reject(new ReaderGoneError(this.name));
    const card = this.#card;
    if (!card) return Promise.reject(new CardRemovedError('no card in the reader'));
    // no power-on here: like a real card, one left in the slot keeps what the last session left
    // (selected applet, verified secrets) unless that session ended with a reset or power-off
    const generation = this.#generation;
    const check = (): void => {
      if (!this.#present || this.#closed) throw new ReaderGoneError(this.name);
      if (this.#generation !== generation || this.#card !== card) throw new CardRemovedError();
    };
    const transmit = async (command: Uint8Array, options: TransmitOptions): Promise<Uint8Array> => {
      check();
      if (options.signal?.aborted) throw new CancelledError('APDU', { cause: options.signal.reason });
      const faults = this.faults.take();
      if (!this.features.extendedApdu && command.length > 5 && command[4] === 0) return Uint8Array.of(0x67, 0x00);
      for (const f of faults) {
        if (f.kind === 'pull') {
          this.remove();
          throw new CardRemovedError('the card was pulled mid-command');
        }
        if (f.kind === 'slow') {
          if (f.delayMs >= options.timeoutMs) {
            await this.#clock.sleep(options.timeoutMs, options.signal);
            throw new TimeoutError('APDU', options.timeoutMs);
          }
          await this.#clock.sleep(f.delayMs, options.signal);
        }
      }
      let response = await card.transmit(command);
      check();
      for (const f of faults) response = mutateResponse(response, f);
      return response;
    };
    let ended = false;
    const disconnect = (disposition: CardDisposition): Promise<void> => {
      if (ended) return Promise.resolve();
      ended = true;
      if (disposition !== 'leave' && this.#card === card && this.#generation === generation) card.powerOn();
      return Promise.resolve();
    };
    return Promise.resolve({ atr: card.atr, features: this.features, transmit, disconnect });
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#events.close();
    return Promise.resolve();
  }
}
