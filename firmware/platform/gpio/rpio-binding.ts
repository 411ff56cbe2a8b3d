/**
 * The one file that loads the `rpio` native addon (lazily, at the composition root only).
 * `RpioBinding` is the part of rpio's API the GPIO driver uses.
 */
import { createRequire } from 'node:module';
import { DeviceUnavailableError } from '../../core/errors.ts';

export interface RpioBinding {
  readonly OUTPUT: number;
  readonly LOW: number;
  readonly HIGH: number;
  init(options: { gpiomem?: boolean; mapping?: 'physical' | 'gpio'; mock?: string }): void;
  open(pin: number, mode: number, init?: number): void;
  write(pin: number, value: number): void;
  read(pin: number): number;
  close(pin: number): void;
}

export function loadRpio(): RpioBinding {
  try {
    return createRequire(import.meta.url)('rpio') as RpioBinding;
  } catch (err) {
    throw new DeviceUnavailableError('GPIO (rpio)', 'the rpio addon did not load: run "npm ci" on the device', { cause: err });
  }
}
