/** Simulated physical keypad: presses injected as digits, "clear", "cancel" or "enter". */
import { EventChannel } from '../../firmware/core/event-channel.ts';
import type { Key, KeyPress, Keypad } from '../../firmware/ports/keypad.ts';

export class SimKeypad implements Keypad {
  readonly #channel = new EventChannel<KeyPress>();
  #t = 0;

  keys(signal?: AbortSignal): AsyncIterable<KeyPress> {
    return this.#channel.subscribe({ signal });
  }

  press(key: Key | number | 'clear' | 'cancel' | 'enter'): void {
    const k: Key = typeof key === 'number' ? { kind: 'digit', digit: key } : typeof key === 'string' ? { kind: key } : key;
    this.#t += 200;
    this.#channel.push({ key: k, at: this.#t });
  }

  /** Types each digit of `digits` ("1234"). */
  type(digits: string): void {
    for (const ch of digits) this.press(Number(ch));
  }

  get listeners(): number {
    return this.#channel.readers;
  }

  close(): Promise<void> {
    this.#channel.close();
    return Promise.resolve();
  }
}
