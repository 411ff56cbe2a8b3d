/**
 * An output through the kernel's LED class (`/sys/class/leds/<name>/brightness`), the interface
 * every Raspberry Pi (4 and 5: the GPIO block differs, the LED class does not) and most boards
 * have: the device tree declares the LED on its GPIO (`dtoverlay=gpio-led,gpio=17,label=kaoreader-green`,
 * docs/raspberry-pi.md) and the kernel drives the pin. Writes are small and synchronous, so the
 * last `set` is what the pin shows. The udev rule gives the kaoreader group write access.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.ts';
import type { OutputLine } from './output-line.ts';

export const LEDS_DIR = '/sys/class/leds';

export class LedClassLine implements OutputLine {
  readonly name: string;
  readonly #brightness: string;
  readonly #on: string;
  #failed = false;

  /** Throws when the LED does not exist (the driver is then not usable). */
  constructor(
    led: string,
    private readonly log: Logger,
    ledsDir = LEDS_DIR,
  ) {
    this.name = `led-class:${led}`;
    const dir = join(ledsDir, led);
    this.#brightness = join(dir, 'brightness');
    const max = Number(readFileSync(join(dir, 'max_brightness'), 'utf8').trim());
    this.#on = String(Number.isInteger(max) && max > 0 ? max : 1);
  }

  set(on: boolean): void {
    try {
      writeFileSync(this.#brightness, on ? this.#on : '0');
      this.#failed = false;
    } catch (err) {
      if (!this.#failed) this.log.warn('LED write failed', { line: this.name, err });
      this.#failed = true;
    }
  }

  close(): Promise<void> {
    this.set(false);
    return Promise.resolve();
  }
}
