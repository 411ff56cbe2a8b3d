/**
 * An output on a Raspberry Pi header pin through rpio (BCM283x/BCM2711 registers via
 * /dev/gpiomem: Pi 1–4 only; a Pi 5's GPIO is on RP1, use led-class or gpiod there). Pins are
 * physical header numbers; the binding is loaded and initialised by the composition root.
 */
import type { Logger } from '../../core/logger.ts';
import type { OutputLine } from './output-line.ts';
import type { RpioBinding } from './rpio-binding.ts';

export class RpioLine implements OutputLine {
  readonly name: string;
  #open = false;

  constructor(
    private readonly rpio: RpioBinding,
    private readonly pin: number,
    private readonly log: Logger,
  ) {
    this.name = `rpio:pin ${pin}`;
    try {
      rpio.open(pin, rpio.OUTPUT, rpio.LOW);
      this.#open = true;
    } catch (err) {
      log.warn('cannot open GPIO pin', { pin, err });
    }
  }

  set(on: boolean): void {
    if (!this.#open) return;
    try {
      this.rpio.write(this.pin, on ? this.rpio.HIGH : this.rpio.LOW);
    } catch (err) {
      this.log.warn('GPIO write failed', { pin: this.pin, err });
    }
  }

  close(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    this.set(false);
    this.#open = false;
    try {
      this.rpio.close(this.pin);
    } catch (err) {
      this.log.debug('GPIO pin already released', { pin: this.pin, err });
    }
    return Promise.resolve();
  }
}
