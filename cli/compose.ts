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
import type { CardReader } from '../firmware/ports/card-reader.ts';
import type { MyNumberCardTrust } from '../firmware/apdu/myna/client.ts';
import { loadCardTrust } from '../firmware/apdu/myna/trust.ts';
import { PcscCardReader } from '../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../firmware/platform/system-clock.ts';
import { SimGpio } from '../hardware-sim/gpio.ts';
import type * as CardSim from '../hardware-sim/card/index.ts';
import { DeviceUnavailableError } from '../firmware/core/errors.ts';
import { logicalSize } from '../firmware/display/render/pixel-format.ts';
import { ScreenUi } from '../firmware/display/screen-ui.ts';
import { VoiceGuide } from '../firmware/display/voice.ts';
import { EvdevTouch } from '../firmware/platform/evdev/evdev-touch.ts';
import { findTouchscreen } from '../firmware/platform/evdev/find-touchscreen.ts';
import { FbDisplay } from '../firmware/platform/fb/fb-display.ts';
import { HidKeypad } from '../firmware/platform/hid/hid-keypad.ts';
import { loadNodeHid } from '../firmware/platform/hid/node-hid-loader.ts';
import { SimDisplay } from '../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../hardware-sim/touch/sim-touch.ts';
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
  const gpio = await makeGpio(config, systemClock, log);
  const settings = new StoreSettings(new FileStore(join(config.reader.stateDir, 'settings')));
  await settings.load();
  const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
  const facility = await composeFacility({ config, clock: systemClock, log, firmwareVersion: version, settings, facilityName: () => settings.facilityName() });
  return {
    clock: systemClock, gpio, facility: facility.link, readerId: facility.readerId, settings, services: [...facility.services],
    ...(facility.pairing ? { pairing: facility.pairing } : {}),
  };
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

/** The patient screen with its inputs, real or simulated; `sim` is there in sim mode for QA and tests. */
export interface ScreenComposition {
  readonly ui: ScreenUi;
  readonly sim: { readonly display: SimDisplay; readonly touch: SimTouch; readonly keypad: SimKeypad } | undefined;
  close(): Promise<void>;
}

export async function composeScreen(config: Config, log: Logger, clock: Clock): Promise<ScreenComposition> {
  const s = config.screen;
  const hw = config.hardware;
  const voice = new VoiceGuide({ log: log.child('voice'), player: s.voicePlayer });
  const accessibility = { largeText: s.largeText, highContrast: s.highContrast };
  if (hw.mode === 'sim') {
    const display = new SimDisplay(hw.display.width, hw.display.height, s.framebufferFormat ?? 'XRGB8888');
    let ui: ScreenUi | undefined;
    const touch = new SimTouch(() => ui?.layout);
    const keypad = new SimKeypad();
    ui = new ScreenUi({ display, touch, keypad, log: log.child('screen'), voice, accessibility });
    ui.start();
    const u = ui;
    return { ui: u, sim: { display, touch, keypad }, close: async () => { await u.close(); await touch.close(); await keypad.close(); await display.close(); } };
  }
  const display = await FbDisplay.open({ device: hw.display.device, ...(s.framebufferFormat ? { format: s.framebufferFormat } : {}) });
  const rotate = hw.display.rotate;
  const logical = logicalSize(display.geometry, rotate);
  const touch = new EvdevTouch({
    device: hw.touch.device ?? (await findTouchscreen()) ?? '/dev/input/event0', clock, log: log.child('touch'),
    mapping: { calibration: s.touch, rotate, width: logical.width, height: logical.height },
    debounce: { minPressMs: s.touch.minPressMs, minIntervalMs: s.touch.minIntervalMs },
  });
  let keypad: HidKeypad | undefined;
  if (hw.keypad.vendorId !== undefined && hw.keypad.productId !== undefined) {
    const hid = await loadNodeHid();
    const find = (): string | undefined => hid.devices().find((d) => d.vendorId === hw.keypad.vendorId && d.productId === hw.keypad.productId && d.path)?.path;
    const path = find();
    if (!path) throw new DeviceUnavailableError(`HID keypad ${hw.keypad.vendorId}:${hw.keypad.productId}`, 'plug it in, or remove hardware.keypad from the config');
    keypad = new HidKeypad(hid.open(path), { clock, log: log.child('keypad'), reopen: () => { const p = find(); return p ? hid.open(p) : undefined; } });
  }
  const ui = new ScreenUi({ display, touch, keypad, log: log.child('screen'), rotate, voice, accessibility });
  ui.start();
  if (s.voice) await ui.setAccessibility({ voice: true });
  return { ui, sim: undefined, close: async () => { await ui.close(); await touch.close(); await keypad?.close(); await display.close(); } };
}
