/**
 * Composition root: the one place that chooses real or simulated drivers and builds the
 * daemon's services from the configuration. Native modules are imported lazily from here only.
 */
import type { Config } from '../firmware/config/schema.ts';
import type { Logger } from '../firmware/core/logger.ts';
import type { Service } from '../firmware/daemon/service.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { Gpio } from '../firmware/ports/gpio.ts';
import { systemClock } from '../firmware/platform/system-clock.ts';
import { SimGpio } from '../hardware-sim/gpio.ts';

export interface Composition {
  readonly clock: Clock;
  readonly gpio: Gpio;
  readonly services: readonly Service[];
}

async function makeGpio(config: Config, clock: Clock, log: Logger): Promise<Gpio> {
  const pins = config.hardware.gpio;
  const wanted = pins.ledGreen !== undefined || pins.ledRed !== undefined || pins.buzzer !== undefined;
  if (config.hardware.mode !== 'real' || !wanted) return new SimGpio();
  const { loadRpio } = await import('../firmware/platform/gpio/rpio-binding.ts');
  const { RpioGpio } = await import('../firmware/platform/gpio/rpio-gpio.ts');
  const rpio = loadRpio();
  rpio.init({ gpiomem: true, mapping: 'physical' });
  return new RpioGpio(rpio, pins, clock, log.child('gpio'));
}

export async function compose(config: Config, log: Logger): Promise<Composition> {
  const clock = systemClock;
  const gpio = await makeGpio(config, clock, log);
  return { clock, gpio, services: [] };
}
