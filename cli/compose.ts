/**
 * Composition root: the one place that chooses real or simulated drivers and builds the
 * daemon's services from the configuration. Native modules are imported lazily from here only.
 */
import { join } from 'node:path';
import type { Config } from '../firmware/config/schema.ts';
import type { Logger } from '../firmware/core/logger.ts';
import type { Service } from '../firmware/daemon/service.ts';
import { StoreSettings } from '../firmware/facility/settings-store.ts';
import { FileStore } from '../firmware/platform/file-store.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { FacilityLink } from '../firmware/ports/facility-link.ts';
import type { Gpio } from '../firmware/ports/gpio.ts';
import { systemClock } from '../firmware/platform/system-clock.ts';
import { SimGpio } from '../hardware-sim/gpio.ts';
import { composeFacility } from './facility-compose.ts';

export interface Composition {
  readonly clock: Clock;
  readonly gpio: Gpio;
  /** The facility link (MQTT + durable outbox; or unpaired: offline + outbox); also among `services`. */
  readonly facility: FacilityLink;
  /** This reader's id, for every VisitResult. */
  readonly readerId: string;
  /** Present while the reader is not paired: the code and QR text the screen shows. */
  readonly pairing?: { readonly code: string; readonly qr: string };
  /** Facility name, consent items, staff password (set by facility commands, read by the visit). */
  readonly settings: StoreSettings;
  readonly services: readonly Service[];
}

export async function compose(config: Config, log: Logger): Promise<Composition> {
  const gpio = new SimGpio();
  const settings = new StoreSettings(new FileStore(join(config.reader.stateDir, 'settings')));
  await settings.load();
  const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
  const facility = await composeFacility({ config, clock: systemClock, log, firmwareVersion: version, settings, facilityName: () => settings.facilityName() });
  return {
    clock: systemClock, gpio, facility: facility.link, readerId: facility.readerId, settings, services: [...facility.services],
    ...(facility.pairing ? { pairing: facility.pairing } : {}),
  };
}
