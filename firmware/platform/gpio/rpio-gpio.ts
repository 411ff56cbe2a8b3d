/**
 * Status LEDs (green/red; amber = both) and buzzer on Raspberry Pi header pins through rpio.
 * Pins are physical header numbers from config; a pin left out is simply not driven (a missing
 * LED never stops a visit). Blinking and beeps run on the injected clock.
 */
import type { Logger } from '../../core/logger.ts';
import type { Clock, TimerHandle } from '../../ports/clock.ts';
import type { Gpio, GpioState, LedColour, LedPattern } from '../../ports/gpio.ts';
import type { RpioBinding } from './rpio-binding.ts';

export interface RpioPins {
  readonly ledGreen?: number;
  readonly ledRed?: number;
  readonly buzzer?: number;
}

const BLINK_MS = 500;
const BEEP_MS: Record<'ok' | 'error' | 'attention', number> = { ok: 80, error: 400, attention: 200 };

export class RpioGpio implements Gpio {
  #state: GpioState = { led: 'off', pattern: 'steady', beeps: 0 };
  #blink: TimerHandle | undefined;
  #beep: TimerHandle | undefined;
  #lit = false;
  #closed = false;

  constructor(private readonly rpio: RpioBinding, private readonly pins: RpioPins, private readonly clock: Clock, private readonly log: Logger) {
    for (const pin of this.#allPins()) {
      try {
        rpio.open(pin, rpio.OUTPUT, rpio.LOW);
      } catch (err) {
        log.warn('cannot open GPIO pin', { pin, err });
      }
    }
  }

  #allPins(): number[] {
    return [this.pins.ledGreen, this.pins.ledRed, this.pins.buzzer].filter((p): p is number => p !== undefined);
  }

  #write(pin: number | undefined, on: boolean): void {
    if (pin === undefined || this.#closed) return;
    try {
      this.rpio.write(pin, on ? this.rpio.HIGH : this.rpio.LOW);
    } catch (err) {
      this.log.warn('GPIO write failed', { pin, err });
    }
  }

  #drive(on: boolean): void {
    const { led } = this.#state;
    this.#write(this.pins.ledGreen, on && (led === 'green' || led === 'amber' || led === 'blue'));
    this.#write(this.pins.ledRed, on && (led === 'red' || led === 'amber'));
    this.#lit = on;
  }

  setLed(colour: LedColour, pattern: LedPattern = 'steady'): void {
    this.#blink?.cancel();
    this.#blink = undefined;
    this.#state = { ...this.#state, led: colour, pattern };
    this.#drive(colour !== 'off');
    if (pattern === 'blink' && colour !== 'off') {
      const toggle = (): void => {
        this.#drive(!this.#lit);
        this.#blink = this.clock.setTimeout(toggle, BLINK_MS);
      };
      this.#blink = this.clock.setTimeout(toggle, BLINK_MS);
    }
  }

  beep(kind: 'ok' | 'error' | 'attention'): void {
    this.#state = { ...this.#state, beeps: this.#state.beeps + 1 };
    this.#beep?.cancel();
    this.#write(this.pins.buzzer, true);
    this.#beep = this.clock.setTimeout(() => this.#write(this.pins.buzzer, false), BEEP_MS[kind]);
  }

  state(): GpioState {
    return this.#state;
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#blink?.cancel();
    this.#beep?.cancel();
    this.#drive(false);
    this.#write(this.pins.buzzer, false);
    for (const pin of this.#allPins()) {
      try {
        this.rpio.close(pin);
      } catch {
        // already released: closing is best effort by contract
      }
    }
    this.#closed = true;
    this.#state = { led: 'off', pattern: 'steady', beeps: this.#state.beeps };
    return Promise.resolve();
  }
}
