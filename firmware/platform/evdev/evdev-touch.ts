/**
 * The real TouchInput: reads a touch panel's evdev node (`/dev/input/eventN`), decodes
 * input_event structs, tracks contacts (protocol B or single touch), maps them through the
 * calibration and rotation, debounces, and fans taps out to readers. When the device goes away
 * (read error or end of stream) it reopens it every `retryMs` until `close()`.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import type { Logger } from '../../core/logger.ts';
import { EventChannel } from '../../core/event-channel.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { Tap, TouchInput } from '../../ports/touch-input.ts';
import { mapTouch, type Mapping } from './calibration.ts';
import { ContactTracker } from './contact-tracker.ts';
import { DEFAULT_DEBOUNCE, Debouncer, type DebounceOptions } from './debounce.ts';
import { InputEventDecoder, type EventLayout } from './input-event.ts';

export interface EvdevTouchOptions {
  readonly device: string;
  readonly mapping: Mapping;
  readonly clock: Clock;
  readonly log: Logger;
  readonly debounce?: DebounceOptions;
  readonly layout?: EventLayout;
  readonly retryMs?: number;
}

export class EvdevTouch implements TouchInput {
  readonly #channel = new EventChannel<Tap>();
  readonly #debounce: Debouncer;
  #stream: ReadStream | undefined;
  #retry: TimerHandle | undefined;
  #closed = false;
  /** Taps accepted since start (diagnostics). */
  accepted = 0;

  constructor(readonly options: EvdevTouchOptions) {
    this.#debounce = new Debouncer(options.debounce ?? DEFAULT_DEBOUNCE);
    this.#open();
  }

  #open(): void {
    if (this.#closed) return;
    const decoder = new InputEventDecoder(this.options.layout ?? 64);
    const tracker = new ContactTracker();
    const stream = createReadStream(this.options.device, { highWaterMark: 24 * 64 });
    this.#stream = stream;
    stream.on('data', (chunk) => {
      for (const e of decoder.push(chunk as Buffer)) {
        for (const lift of tracker.feed(e)) {
          if (!this.#debounce.accept(lift)) continue;
          const { x, y } = mapTouch(this.options.mapping, lift.x, lift.y);
          this.accepted++;
          this.#channel.push({ x, y, at: this.options.clock.monotonic() });
        }
      }
    });
    const lost = (err?: Error): void => {
      if (this.#stream !== stream || this.#closed) return;
      this.#stream = undefined;
      this.options.log.warn('touch panel lost; reopening', { device: this.options.device, error: err });
      this.#retry = this.options.clock.setTimeout(() => this.#open(), this.options.retryMs ?? 1000);
    };
    stream.on('error', lost);
    stream.on('end', () => lost());
  }

  taps(signal?: AbortSignal): AsyncIterable<Tap> {
    return this.#channel.subscribe({ signal });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#retry?.cancel();
    this.#stream?.destroy();
    this.#stream = undefined;
    this.#channel.close();
    return Promise.resolve();
  }
}
