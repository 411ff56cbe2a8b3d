/**
 * CardReader on PC/SC (pcscd through the `pcsclite` binding). Picks a reader by name (substring;
 * first reader when none configured), reports insert/remove, survives pcscd going away: the
 * binding throws or errors when pcscd is down, and we keep retrying with capped backoff,
 * reporting `reader-gone` / `reader-back`. Extended APDUs are a per-reader setting (the binding
 * cannot read the reader's capabilities).
 */
import { EventChannel } from '../../core/event-channel.ts';
import type { Logger } from '../../core/logger.ts';
import { CardRemovedError, ReaderGoneError } from '../../apdu/errors.ts';
import type { CardEvent, CardReader, CardSession, ReaderFeatures } from '../../ports/card-reader.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import { loadPcsclite, type NativeContext, type NativeReader, type PcscFactory } from './binding.ts';
import { mapPcscError } from './errors.ts';
import { pcscSession } from './pcsc-session.ts';

export interface PcscReaderOptions {
  readonly clock: Clock;
  readonly log?: Logger;
  /** Substring of the PC/SC reader name; first reader when absent. */
  readonly readerName?: string;
  readonly extendedApdu?: boolean;
  readonly contactless?: boolean;
  readonly backoffMs?: { readonly min: number; readonly max: number };
  /** Injected for tests of the supervision logic; default loads pcsclite. */
  readonly factory?: () => PcscFactory;
}

export class PcscCardReader implements CardReader {
  name: string;
  readonly features: ReaderFeatures;
  readonly #o: PcscReaderOptions;
  readonly #events = new EventChannel<CardEvent>(64);
  #ctx: NativeContext | undefined;
  #native: NativeReader | undefined;
  #atr: Uint8Array | undefined;
  #generation = 0;
  #started = false;
  #closed = false;
  #retry: TimerHandle | undefined;
  #delay: number;
  #wasSeen = false;
  /** Every native reader of the current context (each has a status thread to close). */
  readonly #allNative = new Set<NativeReader>();

  constructor(options: PcscReaderOptions) {
    this.#o = options;
    this.name = options.readerName ?? '(first PC/SC reader)';
    this.features = { extendedApdu: options.extendedApdu ?? false, contactless: options.contactless ?? false };
    this.#delay = options.backoffMs?.min ?? 200;
  }

  #emit(e: CardEvent): void {
    this.#events.push(e);
  }

  /** Starts watching pcscd (idempotent; events() and connect() call it). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#open();
  }

  #open(): void {
    if (this.#closed) return;
    let ctx: NativeContext;
    try {
      ctx = (this.#o.factory ?? loadPcsclite)()();
    } catch (err) {
      this.#o.log?.warn('pcscd unavailable; retrying', { err, inMs: this.#delay });
      this.#scheduleReopen();
      return;
    }
    this.#ctx = ctx;
    ctx.on('error', (err: unknown) => {
      this.#o.log?.warn('pcscd context error', { err });
      this.#lost();
    });
    ctx.on('reader', (reader: NativeReader) => this.#onReader(reader));
  }

  #scheduleReopen(): void {
    if (this.#closed) return;
    const delay = this.#delay;
    this.#delay = Math.min(this.#o.backoffMs?.max ?? 5000, this.#delay * 2);
    this.#retry = this.#o.clock.setTimeout(() => this.#open(), delay);
  }

  /** pcscd went away (or the context broke): report, drop everything, retry. */
  #lost(): void {
    const ctx = this.#ctx;
    this.#ctx = undefined;
    this.#dropReader();
    try {
      for (const r of this.#allNative) r.close();
      this.#allNative.clear();
      ctx?.close();
    } catch (err) {
      this.#o.log?.debug('closing a dead PC/SC context failed', { err });
    }
    this.#scheduleReopen();
  }

  #dropReader(): void {
    if (!this.#native) return;
    this.#native.removeAllListeners('status');
    this.#native.removeAllListeners('end');
    this.#native = undefined;
    this.#atr = undefined;
    this.#generation++;
    this.#emit({ type: 'reader-gone', reader: this.name });
  }

  #onReader(reader: NativeReader): void {
    this.#allNative.add(reader);
    reader.once('end', () => this.#allNative.delete(reader));
    // Every native reader emits 'error' (e.g. when pcscd stops); unhandled it would crash us.
    reader.on('error', (err: unknown) => this.#o.log?.debug('reader error', { err, reader: reader.name }));
    if (this.#native || (this.#o.readerName !== undefined && !reader.name.includes(this.#o.readerName))) return;
    this.#native = reader;
    this.name = reader.name;
    this.#delay = this.#o.backoffMs?.min ?? 200;
    if (this.#wasSeen) this.#emit({ type: 'reader-back', reader: this.name });
    this.#wasSeen = true;
    reader.on('end', () => {
      if (this.#native === reader) this.#dropReader();
    });
    reader.on('status', (status: { state: number; atr?: Buffer }) => {
      const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0 && (status.state & reader.SCARD_STATE_MUTE) === 0;
      if (present && !this.#atr) {
        this.#atr = new Uint8Array(status.atr ?? Buffer.alloc(0));
        this.#generation++;
        this.#emit({ type: 'inserted', reader: this.name, atr: this.#atr });
      } else if (!present && this.#atr) {
        this.#atr = undefined;
        this.#generation++;
        this.#emit({ type: 'removed', reader: this.name });
      }
    });
  }

  events(): AsyncIterable<CardEvent> {
    const initial: CardEvent[] = this.#native && this.#atr ? [{ type: 'inserted', reader: this.name, atr: this.#atr }] : [];
    const events = this.#events.subscribe({ initial });
    this.start();
    return events;
  }

  async connect(): Promise<CardSession> {
    this.start();
    const reader = this.#native;
    if (!reader || this.#closed) throw new ReaderGoneError(this.name);
    if (!this.#atr) throw new CardRemovedError('no card in the reader');
    const atr = this.#atr;
    // a session nobody ended: reset, so nothing it verified carries over to this one
    if (reader.connected) await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_RESET_CARD, () => resolve()));
    const protocol = await new Promise<number>((resolve, reject) => {
      reader.connect({ share_mode: reader.SCARD_SHARE_EXCLUSIVE, protocol: reader.SCARD_PROTOCOL_T1 }, (err, p) =>
        err ? reject(mapPcscError(err, this.name, 'SCardConnect')) : resolve(p),
      );
    });
    const generation = this.#generation;
    return pcscSession({
      reader,
      protocol,
      atr,
      features: this.features,
      clock: this.#o.clock,
      check: () => {
        if (this.#native !== reader) throw new ReaderGoneError(this.name);
        if (this.#generation !== generation) throw new CardRemovedError();
      },
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#retry?.cancel();
    this.#events.close();
    const native = this.#native;
    this.#native = undefined;
    if (native?.connected) await new Promise<void>((resolve) => native.disconnect(native.SCARD_RESET_CARD, () => resolve()));
    try {
      for (const r of this.#allNative) r.close();
      this.#allNative.clear();
      this.#ctx?.close();
    } catch (err) {
      this.#o.log?.debug('closing PC/SC failed', { err });
    }
    this.#ctx = undefined;
  }
}
