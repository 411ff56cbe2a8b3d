/**
 * The real Keypad: a USB HID numeric keypad (boot keyboard reports: modifier, reserved, six
 * usage codes) with a fixed layout: keypad and top-row digits, Enter, Backspace/Delete/keypad
 * "." = clear, Escape/keypad "-" = cancel. A key counts when its usage appears in a report and
 * was not in the previous one (held keys do not repeat). Reports carry PIN digits: never logged.
 */
import type { Logger } from '../../core/logger.ts';
import { EventChannel } from '../../keypad/event-channel.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Key, KeyPress, Keypad } from '../../ports/keypad.ts';
import type { HidDevice } from './node-hid-loader.ts';

/** HID usage (Keyboard/Keypad page 0x07) → key. */
export function keyForUsage(usage: number): Key | undefined {
  if (usage >= 0x59 && usage <= 0x61) return { kind: 'digit', digit: usage - 0x58 }; // Keypad 1..9
  if (usage === 0x62) return { kind: 'digit', digit: 0 }; // Keypad 0
  if (usage >= 0x1e && usage <= 0x26) return { kind: 'digit', digit: usage - 0x1d }; // 1..9
  if (usage === 0x27) return { kind: 'digit', digit: 0 };
  switch (usage) {
    case 0x28: case 0x58: return { kind: 'enter' };
    case 0x2a: case 0x4c: case 0x63: return { kind: 'clear' };
    case 0x29: case 0x56: return { kind: 'cancel' };
    default: return undefined;
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

export class HidKeypad implements Keypad {
  readonly #channel = new EventChannel<KeyPress>();
  readonly #decoder = new BootReportDecoder();
  #closed = false;

  constructor(readonly device: HidDevice, readonly clock: Clock, readonly log: Logger) {
    device.on('data', (report) => {
      for (const key of this.#decoder.push(report)) this.#channel.push({ key, at: clock.monotonic() });
    });
    device.on('error', (err) => { log.warn('HID keypad error', { error: err }); });
  }

  keys(signal?: AbortSignal): AsyncIterable<KeyPress> {
    return this.#channel.iterate(signal);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#channel.close();
    try { this.device.close(); } catch (err) { this.log.debug('HID close failed', { error: err }); }
    return Promise.resolve();
  }
}
