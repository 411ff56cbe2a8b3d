/** Simulated LEDs and buzzer: records what was set so QA and tests can see it. */
import type { Gpio, GpioState, LedColour, LedPattern } from '../firmware/ports/gpio.ts';

export class SimGpio implements Gpio {
  #state: GpioState = { led: 'off', pattern: 'steady', beeps: 0 };
  readonly history: GpioState[] = [];

  setLed(colour: LedColour, pattern: LedPattern = 'steady'): void {
    this.#state = { ...this.#state, led: colour, pattern };
    this.history.push(this.#state);
  }

  beep(): void {
    this.#state = { ...this.#state, beeps: this.#state.beeps + 1 };
  }

  state(): GpioState {
    return this.#state;
  }

  close(): Promise<void> {
    this.#state = { led: 'off', pattern: 'steady', beeps: this.#state.beeps };
    return Promise.resolve();
  }
}
