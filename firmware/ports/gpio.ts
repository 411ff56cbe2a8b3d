/**
 * GPIO port: the reader's status LEDs and buzzer (rpio on a Raspberry Pi, or simulated).
 *
 * Semantics: `setLed` and `beep` are fire-and-forget and never throw for an absent line (a
 * missing LED must not stop a visit); `state()` reports what was last set. `close()` turns
 * everything off and releases the pins; idempotent.
 */
export type LedColour = 'off' | 'green' | 'amber' | 'red' | 'blue';
export type LedPattern = 'steady' | 'blink';

export interface GpioState {
  readonly led: LedColour;
  readonly pattern: LedPattern;
  readonly beeps: number;
}

export interface Gpio {
  setLed(colour: LedColour, pattern?: LedPattern): void;
  beep(kind: 'ok' | 'error' | 'attention'): void;
  state(): GpioState;
  close(): Promise<void>;
}
