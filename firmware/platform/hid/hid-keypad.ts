/**
 * The real Keypad: a USB HID numeric keypad (boot keyboard reports: modifier, reserved, six
 * usage codes) with a fixed layout: keypad and top-row digits, Enter, Backspace/Delete/keypad
 * "." = clear, Escape/keypad "-" = cancel. A key counts when its usage appears in a report and
 * was not in the previous one (held keys do not repeat). Reports carry PIN digits: never logged.
 * Unplugged (device error): no events until `reopen` finds it again, tried every `retryMs`.
 */
import type { Logger } from '../../core/logger.ts';
import { EventChannel } from '../../core/event-channel.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { Key, KeyPress, Keypad } from '../../ports/keypad.ts';
import type { HidDevice } from './node-hid-loader.ts';

/** HID usage (Keyboard/Keypad page 0x07) → key. */
export function keyForUsage(usage: number): Key | undefined {
  if (usage >= 0x59 && usage <= 0x61) return { kind: 'digit', digit: usage - 0x58 }; // Keypad 1..9
  if (usage === 0x62) return { kind: 'digit', digit: 0 }; // Keypad 0
  if (usage >= 0x1e && usage <= 0x26) return { kind: 'digit', digit: usage - 0x1d }; // 1..9
  if (usage === 0x27) return { kind: 'digit', digit: 0 };
  switch (usage) {
    case 0x28:
    case 0x58:
      return { kind: 'enter' };
    case 0x2a:
    case 0x4c:
    case 0x63:
      return { kind: 'clear' };
    case 0x29:
    case 0x56:
      return { kind: 'cancel' };
    default:
      return undefined;
  }
}

/** Decodes a sequence of boot reports into new key presses. */
export class BootReportDecoder {
  #held = new Set<number>();

  push(report: Uint8Array): Key[] {
    // Some keypads prefix a report id: a 9-byte report starts with it.
    const body = report.length === 9 ? report.subarray(1) : report;
    if (body.length < 3) return [];
    const now = new Set<number>();
    for (let i = 2; i < Math.min(body.length, 8); i++) {
      const u = body[i] as number;
      if (u > 3) now.add(u); // 0 = none, 1..3 = error/rollover codes
    }
    if ([...body.subarray(2, 8)].some((u) => u === 1)) return []; // rollover error: ignore the report
    const keys: Key[] = [];
    for (const u of now) {
      if (this.#held.has(u)) continue;
      const k = keyForUsage(u);
      if (k) keys.push(k);
    }
    this.#held = now;
    return keys;
  }
}

export interface HidKeypadOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** Opens the keypad again after it went away (unplugged); undefined while it is absent. */
  readonly reopen?: () => HidDevice | undefined;
  readonly retryMs?: number;
}

export class HidKeypad implements Keypad {
  readonly #channel = new EventChannel<KeyPress>();
  #decoder = new BootReportDecoder();
  #device: HidDevice | undefined;
  #retry: TimerHandle | undefined;
  #closed = false;

  constructor(
    device: HidDevice,
    readonly options: HidKeypadOptions,
  ) {
    this.#attach(device);
  }

  get connected(): boolean {
    return this.#device !== undefined;
  }

  #attach(device: HidDevice): void {
    this.#device = device;
    this.#decoder = new BootReportDecoder();
    device.on('data', (report) => {
      if (this.#device !== device) return;
      for (const key of this.#decoder.push(report)) this.#channel.push({ key, at: this.options.clock.monotonic() });
    });
    device.on('error', (err) => {
      if (this.#device !== device) return;
      this.options.log.warn('HID keypad gone; waiting for it to come back', { error: err });
      this.#device = undefined;
      try {
        device.close();
      } catch (closeErr) {
        this.options.log.debug('HID close failed', { error: closeErr });
      }
      this.#scheduleReopen();
    });
  }

  #scheduleReopen(): void {
    const reopen = this.options.reopen;
    if (!reopen || this.#closed) return;
    this.#retry = this.options.clock.setTimeout(() => {
      if (this.#closed) return;
      let dev: HidDevice | undefined;
      try {
        dev = reopen();
      } catch (err) {
        this.options.log.debug('HID keypad not back yet', { error: err });
      }
      if (dev) this.#attach(dev);
      else this.#scheduleReopen();
    }, this.options.retryMs ?? 2000);
  }

  keys(signal?: AbortSignal): AsyncIterable<KeyPress> {
    return this.#channel.subscribe({ signal });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#retry?.cancel();
    this.#channel.close();
    const d = this.#device;
    this.#device = undefined;
    try {
      d?.close();
    } catch (err) {
      this.options.log.debug('HID close failed', { error: err });
    }
    return Promise.resolve();
  }
}
