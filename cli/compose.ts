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
import type * as CardSim from '../hardware-sim/card/index.ts';

export interface Composition {
  readonly clock: Clock;
  readonly gpio: Gpio;
  readonly services: readonly Service[];
}

export function compose(_config: Config, _log: Logger): Promise<Composition> {
  const gpio = new SimGpio();
  return Promise.resolve({ clock: systemClock, gpio, services: [] });
}

/** The simulated My Number Card (virtual card, SimCardReader, vpcd bridge), loaded on demand. */
export function loadCardSim(): Promise<typeof CardSim> {
  return import('../hardware-sim/card/index.ts');
}
