/**
 * Composition root: the one place that chooses real or simulated drivers and builds the
 * daemon's services from the configuration. Native modules are imported lazily from here only.
 */
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { MyNumberCardTrust } from '../firmware/apdu/myna/client.ts';
import { SimulatedTerminalAuthenticator, type TerminalAuthenticator } from '../firmware/apdu/myna/terminal-auth.ts';
import { loadTerminalAuthenticator } from '../firmware/apdu/myna/terminal-auth-plugin.ts';
import { loadCardTrust } from '../firmware/apdu/myna/trust.ts';
import type { Config } from '../firmware/config/schema.ts';
import { ConfigError, DeviceUnavailableError } from '../firmware/core/errors.ts';
import { createAuditLog, stderrSink, type Logger, type LogSink } from '../firmware/core/logger.ts';
import { selfTestService } from '../firmware/daemon/self-test.ts';
import type { Service } from '../firmware/ports/service.ts';
import { logicalSize } from '../firmware/display/render/pixel-format.ts';
import { ScreenUi } from '../firmware/display/screen-ui.ts';
import { VoiceGuide } from '../firmware/display/voice.ts';
import { StoreSettings } from '../firmware/facility/settings-store.ts';
import { decodeJpeg2000 } from '../firmware/face/enrol/jp2-decode.ts';
import { modelSetFromConfig } from './face-models.ts';
import { createFaceVerifier } from '../firmware/face/verifier.ts';
import { cameraFromConfig } from '../firmware/platform/camera/v4l2-camera.ts';
import { CameraCardFrontScanner } from '../firmware/platform/camera/camera-card-front-scanner.ts';
import { CardFrontReader } from '../firmware/card-front/card-front-reader.ts';
import { OcrCardFront } from '../firmware/visit/adapters/card-front.ts';
import type { CardFront } from '../firmware/visit/deps.ts';
import { EvdevTouch } from '../firmware/platform/evdev/evdev-touch.ts';
import { findTouchscreen } from '../firmware/platform/evdev/find-touchscreen.ts';
import { FbDisplay } from '../firmware/platform/fb/fb-display.ts';
import { FileStore } from '../firmware/platform/file-store.ts';
import { HidKeypad } from '../firmware/platform/hid/hid-keypad.ts';
import { loadNodeHid } from '../firmware/platform/hid/node-hid-loader.ts';
import { PcscCardReader } from '../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../firmware/platform/system-clock.ts';
import type { CardReader } from '../firmware/ports/card-reader.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { FacilityLink } from '../firmware/ports/facility-link.ts';
import type { Gpio } from '../firmware/ports/gpio.ts';
import { FaceVerifierAdapter } from '../firmware/visit/adapters/face.ts';
import { faceSelfTest } from '../firmware/visit/adapters/face-self-test.ts';
import { ScreenUiAdapter } from '../firmware/visit/adapters/screen-ui.ts';
import { VisitError } from '../firmware/visit/errors.ts';
import type { VisitEvent } from '../firmware/visit/events.ts';
import { FacilitySettings } from '../firmware/visit/facility-settings.ts';
import { VisitLoop } from '../firmware/visit/loop.ts';
import { openStaffPassword, STAFF_PASSWORD_COST } from '../firmware/visit/staff-password.ts';
import type * as CardSim from '../hardware-sim/card/index.ts';
import { SimDisplay } from '../hardware-sim/display/sim-display.ts';
import { SimGpio } from '../hardware-sim/gpio.ts';
import { SimKeypad } from '../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../hardware-sim/touch/sim-touch.ts';
import type { OtaAgent } from '../ota/agent/agent.ts';
import { composeFacility } from './facility-compose.ts';
import { composeOta, type DaemonHooks } from './ota-compose.ts';
import { composeVisitLoop } from './visit-compose.ts';
import { pairingScreenService } from './pairing-screen.ts';
import { ConsoleActions, fixedTarget } from './simulator/console/console-actions.ts';
import { SimConsole } from './simulator/sim-console.ts';
import { SimReader } from './simulator/sim-reader.ts';
import { hostPort } from './args.ts';
import { createSimWorld } from './simulator/world.ts';
import { FACE_WORKER_ENTRY } from './face-worker/entry.ts';

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
  /** The OTA agent (also the last of `services`) when an update repository is configured. */
  readonly ota?: OtaAgent;
}

export interface ComposeOptions {
  /** Sim mode: read scenario steps from this stream (a person or a script driving the simulator). */
  readonly console?: { readonly input: NodeJS.ReadableStream; readonly output: NodeJS.WritableStream };
  /** Sim mode: keep the screen now shown as `<dir>/screen.png`. */
  readonly screensDir?: string;
  /** The daemon's health checks and restart, for the OTA agent's self-test and switch. */
  readonly daemon?: DaemonHooks;
}

/** The reader daemon's services for the configured hardware: real drivers or the simulator. */
export function compose(config: Config, log: Logger, options: ComposeOptions = {}): Promise<Composition> {
  return config.hardware.mode === 'sim' ? composeSim(config, log, options) : composeReal(config, log, options);
}

/** Status LEDs and buzzer: the driver the board has (LED class, gpiod, rpio; gpio-facts.ts), or the recorded simulator. */
async function makeGpio(config: Config, clock: Clock, log: Logger): Promise<Gpio> {
  if (config.hardware.mode !== 'real') return new SimGpio();
  const { openGpio } = await import('../firmware/platform/gpio/open-gpio.ts');
  return (await openGpio(config.hardware.gpio, clock, log.child('gpio'))).gpio;
}

/** A service that owns parts the other services use; they are stopped first (reverse order). */
function owner(name: string, close: () => Promise<void>): Service {
  return { name, start: () => Promise.resolve(), stop: close };
}

async function composeSim(config: Config, log: Logger, options: ComposeOptions): Promise<Composition> {
  const auditSink: LogSink = { write: (line) => log.child('audit').info('audit', JSON.parse(line) as Record<string, unknown>) };
  const vpcd = config.hardware.sim.vpcd ? hostPort(config.hardware.sim.vpcd) : undefined;
  const world = await createSimWorld({
    clock: systemClock,
    log: log.child('sim'),
    auditSink,
    face: config.face,
    ...(vpcd ? { vpcd } : {}),
  });
  let onEvent: ((e: VisitEvent) => void) | undefined;
  const ota = composeOta(config, systemClock, log, options.daemon);
  let reader: SimReader;
  try {
    reader = await SimReader.create(world, {
      readerId: config.reader.id ?? 'sim-reader-1',
      patient: 'suzuki-aiko',
      card: 'patient',
      terminalAuthenticator: simTerminalAuthenticator(config),
      facility: { registered: true, ePrescription: true, reachable: true },
      visit: config.visit,
      language: config.reader.language,
      onEvent: (e) => onEvent?.(e),
      system: ota.system,
      updateLock: ota.lock,
    });
  } catch (err) {
    await world.close();
    throw err;
  }
  const services: Service[] = [
    owner('simulator', async () => {
      await reader.close();
      await world.close();
    }),
    ...reader.services,
  ];
  const settings = new StoreSettings(new FileStore(join(world.dir, reader.readerId, 'settings')));
  await settings.load();
  if (options.console) {
    const sc = new SimConsole(new ConsoleActions(fixedTarget(reader)), {
      ...options.console,
      log,
      ...(options.screensDir ? { screensDir: options.screensDir } : {}),
    });
    onEvent = sc.onEvent;
    services.push(sc);
  }
  const loop = reader.services.find((x): x is VisitLoop => x instanceof VisitLoop);
  if (loop) ota.attach(loop);
  const redraw = reader.ui.redraw?.bind(reader.ui);
  services.push(
    selfTestService(
      {
        reader: reader.slot.reader,
        camera: reader.camera,
        face: faceSelfTest(reader.faceKit.face, config.ota.selfTest.photo),
        ...(redraw ? { redraw } : {}),
        stateDir: world.dir,
      },
      { clock: systemClock, deadlineMs: config.ota.selfTest.deadlineMs },
    ),
  );
  if (ota.agent) services.push(ota.agent);
  log.info('simulator: card of patient suzuki-aiko (PIN 2468) ready to insert; mosquitto + facility simulator running', {
    broker: world.broker.url,
  });
  return {
    clock: systemClock,
    gpio: reader.gpio,
    services,
    facility: reader.link,
    readerId: reader.readerId,
    settings,
    ...(ota.agent ? { ota: ota.agent } : {}),
  };
}

/** In sim mode the simulated authenticator (auto, simulated) or none; a maker's module needs their real cards. */
function simTerminalAuthenticator(config: Config): 'simulated' | 'none' {
  const kind = config.card.terminalAuthenticator.kind;
  if (kind === 'module')
    throw new ConfigError('card configuration', [
      "card.terminalAuthenticator: a maker's module authenticates real cards; the simulator uses kind auto, simulated or none",
    ]);
  return kind === 'none' ? 'none' : 'simulated';
}

async function composeReal(config: Config, log: Logger, options: ComposeOptions): Promise<Composition> {
  const clock = systemClock;
  const ota = composeOta(config, clock, log, options.daemon);
  const stateDir = config.reader.stateDir;
  const staff = openStaffPassword(stateDir, (dir) => new FileStore(dir), clock, { ...config.visit.staff, cost: STAFF_PASSWORD_COST });
  const settings = new StoreSettings(new FileStore(join(stateDir, 'settings')));
  await settings.load();
  const card = await composeCardReader(config, log);
  const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
  // Facility commands: name and consent items in the settings store, the staff password through StaffPassword.
  const facility = await composeFacility({
    config,
    clock,
    log,
    firmwareVersion: version,
    settings: new FacilitySettings(settings, staff),
    system: ota.system,
    facilityName: () => settings.facilityName(),
  });
  const link = facility.link;
  const cardReader = card.reader;
  const camera = cameraFromConfig(config.hardware.camera, clock, log);
  const verifier = await createFaceVerifier({
    models: modelSetFromConfig(config.face),
    worker: FACE_WORKER_ENTRY,
    clock,
    log: log.child('face'),
    decision: { threshold: config.face.threshold, budgetMs: config.face.budgetMs },
    enrolBudgetMs: config.face.enrolBudgetMs,
  });
  const screen = await composeScreen(config, log, clock);
  const gpio = await makeGpio(config, clock, log);
  const front = await composeCardFront(config, clock, log);
  const face = new FaceVerifierAdapter(verifier, camera);
  const selfTest = selfTestService(
    { reader: cardReader, camera, face: faceSelfTest(face, config.ota.selfTest.photo), redraw: () => screen.ui.redraw(), stateDir },
    { clock, deadlineMs: config.ota.selfTest.deadlineMs },
  );
  const loop = composeVisitLoop(
    {
      readerId: facility.readerId,
      cardReader,
      trust: card.trust,
      terminalAuthenticator: card.terminalAuthenticator,
      cardFront: front.cardFront,
      face,
      ui: new ScreenUiAdapter(screen.ui, { log: log.child('screen'), decodePhoto: decodeJpeg2000 }),
      facility: link,
      staff,
      gpio,
      clock,
      log,
      audit: createAuditLog(stderrSink, () => clock.now()),
    },
    { language: config.reader.language, visit: config.visit },
    { updateLock: ota.lock },
  );
  ota.attach(loop);
  const hardware = owner('hardware', async () => {
    await screen.close();
    await verifier.close();
    await camera.close();
    await front.close();
    await cardReader.close();
    await gpio.close();
  });
  // First boot (not paired yet): the pairing screen instead of patients (pairing-screen.ts).
  const reception = facility.pairing ? pairingScreenService(screen.ui, facility.pairing, config.reader.language, log) : loop;
  return {
    clock,
    gpio,
    services: [hardware, ...facility.services, reception, selfTest, ...(ota.agent ? [ota.agent] : [])],
    facility: link,
    readerId: facility.readerId,
    settings,
    ...(ota.agent ? { ota: ota.agent } : {}),
    ...(facility.pairing ? { pairing: facility.pairing } : {}),
  };
}

/**
 * The card front for the face path: the tray camera (`hardware.cardFront.device`) and the OCR
 * of 照合番号B; with no device configured the face path says so and offers PIN or staff help.
 */
async function composeCardFront(config: Config, clock: Clock, log: Logger): Promise<{ cardFront: CardFront; close(): Promise<void> }> {
  const c = config.hardware.cardFront;
  if (!c.device) {
    return {
      cardFront: {
        readVerificationNumberB: () =>
          Promise.reject(new VisitError('VERIFICATION_NUMBER_B_UNREADABLE', 'no card-front scanner is configured on this reader')),
      },
      close: () => Promise.resolve(),
    };
  }
  const scanner = new CameraCardFrontScanner({
    input: { kind: 'v4l2', device: c.device, inputFormat: c.inputFormat, captureWidth: c.width, captureHeight: c.height, fps: 5 },
    width: c.width,
    height: c.height,
    log: log.child('card-front'),
  });
  const ocr = await CardFrontReader.create({ clock });
  return { cardFront: new OcrCardFront(scanner, ocr), close: () => scanner.close() };
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
    ui = new ScreenUi({ display, touch, keypad, log: log.child('screen'), clock, voice, accessibility });
    ui.start();
    const u = ui;
    return {
      ui: u,
      sim: { display, touch, keypad },
      close: async () => {
        await u.close();
        await touch.close();
        await keypad.close();
        await display.close();
      },
    };
  }
  const display = await FbDisplay.open({ device: hw.display.device, ...(s.framebufferFormat ? { format: s.framebufferFormat } : {}) });
  const rotate = hw.display.rotate;
  const logical = logicalSize(display.geometry, rotate);
  const touch = new EvdevTouch({
    device: hw.touch.device ?? (await findTouchscreen()) ?? '/dev/input/event0',
    clock,
    log: log.child('touch'),
    mapping: { calibration: s.touch, rotate, width: logical.width, height: logical.height },
    debounce: { minPressMs: s.touch.minPressMs, minIntervalMs: s.touch.minIntervalMs },
  });
  let keypad: HidKeypad | undefined;
  if (hw.keypad.vendorId !== undefined && hw.keypad.productId !== undefined) {
    const hid = await loadNodeHid();
    const find = (): string | undefined =>
      hid.devices().find((d) => d.vendorId === hw.keypad.vendorId && d.productId === hw.keypad.productId && d.path)?.path;
    const path = find();
    if (!path)
      throw new DeviceUnavailableError(
        `HID keypad ${hw.keypad.vendorId}:${hw.keypad.productId}`,
        'plug it in, or remove hardware.keypad from the config',
      );
    keypad = new HidKeypad(hid.open(path), {
      clock,
      log: log.child('keypad'),
      reopen: () => {
        const p = find();
        return p ? hid.open(p) : undefined;
      },
    });
  }
  const ui = new ScreenUi({ display, touch, keypad, log: log.child('screen'), clock, rotate, voice, accessibility });
  ui.start();
  if (s.voice) await ui.setAccessibility({ voice: true });
  return {
    ui,
    sim: undefined,
    close: async () => {
      await ui.close();
      await touch.close();
      await keypad?.close();
      await display.close();
    },
  };
}

/** The simulated My Number Card (virtual card, SimCardReader, vpcd bridge), loaded on demand. */
export function loadCardSim(): Promise<typeof CardSim> {
  return import('../hardware-sim/card/index.ts');
}

export interface CardWiring {
  readonly reader: CardReader;
  readonly trust: MyNumberCardTrust;
  /** 特定機関認証 for face mode; absent: face mode ends with the PIN. */
  readonly terminalAuthenticator?: TerminalAuthenticator;
  /** In sim mode: the in-process reader (insert/remove cards by API) and the test PKI. */
  readonly sim?: { readonly reader: InstanceType<typeof CardSim.SimCardReader>; readonly pki: CardSim.TestPki };
}

/**
 * `card.terminalAuthenticator`: auto = the simulated one in sim mode and none on real hardware;
 * simulated = sim mode only (it speaks the virtual card's stand-in); module = a maker's plug-in.
 */
async function composeTerminalAuthenticator(
  config: Config,
  log: Logger,
  simKey: KeyObject | undefined,
): Promise<TerminalAuthenticator | undefined> {
  const c = config.card.terminalAuthenticator;
  switch (c.kind) {
    case 'none':
      return undefined;
    case 'auto':
      return simKey ? new SimulatedTerminalAuthenticator(simKey) : undefined;
    case 'simulated':
      if (!simKey)
        throw new ConfigError('card configuration', [
          'card.terminalAuthenticator: the simulated authenticator only works with the virtual card (hardware.mode sim)',
        ]);
      return new SimulatedTerminalAuthenticator(simKey);
    case 'module':
      return loadTerminalAuthenticator(c.module, { options: c.options ?? {}, log: log.child('terminal-auth') });
  }
}

/**
 * The card reader for this configuration: PC/SC (pcsclite, loaded on first use) in real mode,
 * the in-process SimCardReader in sim mode. Trust: the production J-LIS card-face CA key (the test
 * hierarchy's with `card.trustJpkiTestCards`) plus the configured files; in sim mode also the
 * simulator's JPKI CA and card-face CA (9000023/001).
 */
export async function composeCardReader(config: Config, log: Logger): Promise<CardWiring> {
  const trust = await loadCardTrust(config.card);
  if (config.hardware.mode === 'real') {
    const reader = new PcscCardReader({
      clock: systemClock,
      log: log.child('pcsc'),
      ...(config.hardware.cardReader.name ? { readerName: config.hardware.cardReader.name } : {}),
      extendedApdu: config.card.extendedApdu,
      contactless: config.hardware.cardReader.preferContactless,
    });
    const terminalAuthenticator = await composeTerminalAuthenticator(config, log, undefined);
    return { reader, trust, ...(terminalAuthenticator ? { terminalAuthenticator } : {}) };
  }
  const sim = await loadCardSim();
  const pki = await sim.loadTestPki();
  const reader = new sim.SimCardReader({ features: { extendedApdu: config.card.extendedApdu } });
  const simTrust = {
    jpkiCaCertificates: [...trust.jpkiCaCertificates, pki.authCa.certificate],
    cardFaceIssuers: [...trust.cardFaceIssuers, sim.simCardFaceIssuer(pki)],
  };
  const terminalAuthenticator = await composeTerminalAuthenticator(config, log, pki.terminal.privateKey);
  return { reader, trust: simTrust, ...(terminalAuthenticator ? { terminalAuthenticator } : {}), sim: { reader, pki } };
}
