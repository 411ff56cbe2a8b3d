/**
 * Composition root: the one place that chooses real or simulated drivers and builds the
 * daemon's services from the configuration. Native modules are imported lazily from here only.
 */
import type { Config } from '../firmware/config/schema.ts';
import type { Logger } from '../firmware/core/logger.ts';
import type { Service } from '../firmware/daemon/service.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { Gpio } from '../firmware/ports/gpio.ts';
import type { CardReader } from '../firmware/ports/card-reader.ts';
import type { MyNumberCardTrust } from '../firmware/apdu/myna/client.ts';
import { loadCardTrust } from '../firmware/apdu/myna/trust.ts';
import { PcscCardReader } from '../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../firmware/platform/system-clock.ts';
import { SimGpio } from '../hardware-sim/gpio.ts';
import type * as CardSim from '../hardware-sim/card/index.ts';

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

/** The simulated My Number Card (virtual card, SimCardReader, vpcd bridge), loaded on demand. */
export function loadCardSim(): Promise<typeof CardSim> {
  return import('../hardware-sim/card/index.ts');
}

export interface CardWiring {
  readonly reader: CardReader;
  readonly trust: MyNumberCardTrust;
  /** In sim mode: the in-process reader (insert/remove cards by API) and the test PKI. */
  readonly sim?: { readonly reader: InstanceType<typeof CardSim.SimCardReader>; readonly pki: CardSim.TestPki };
}

/**
 * The card reader for this configuration: PC/SC (pcsclite, loaded on first use) in real mode,
 * the in-process SimCardReader in sim mode. Trust: the configured files, or in sim mode with
 * none configured, the simulator's test PKI.
 */
export async function composeCardReader(config: Config, log: Logger): Promise<CardWiring> {
  const configured = config.card.jpkiCaFiles.length > 0 || config.card.cardFaceIssuers.length > 0;
  if (config.hardware.mode === 'real') {
    const reader = new PcscCardReader({
      clock: systemClock,
      log: log.child('pcsc'),
      ...(config.hardware.cardReader.name ? { readerName: config.hardware.cardReader.name } : {}),
      extendedApdu: config.card.extendedApdu,
      contactless: config.hardware.cardReader.preferContactless,
    });
    return { reader, trust: await loadCardTrust(config.card) };
  }
  const sim = await loadCardSim();
  const pki = await sim.loadTestPki();
  const reader = new sim.SimCardReader({ features: { extendedApdu: config.card.extendedApdu } });
  return { reader, trust: configured ? await loadCardTrust(config.card) : sim.trustFor(pki), sim: { reader, pki } };
}
