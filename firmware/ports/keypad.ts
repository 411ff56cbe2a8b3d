/**
 * Keypad port: a physical keypad (USB HID, fixed layout) beside or instead of the touchscreen.
 *
 * Semantics: `keys()` yields key presses until `close()` or `signal`. Digit keys carry their digit;
 * a key event is a secret while a PIN is being entered (never log it). Unplug: no events until
 * the keypad is back; `close()` is idempotent.
 */
export type Key =
  | { readonly kind: 'digit'; readonly digit: number }
  | { readonly kind: 'clear' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'enter' };

export interface KeyPress {
  readonly key: Key;
  /** Monotonic ms. */
  readonly at: number;
}

export interface Keypad {
  keys(signal?: AbortSignal): AsyncIterable<KeyPress>;
  close(): Promise<void>;
}
