/**
 * One simulated reader, assembled from the simulated hardware and the real firmware parts: the
 * virtual card in a simulated slot, a scene camera, the card-front scanner, the screens with
 * simulated touch and keypad, the face verifier, a facility simulator on a real mosquitto with
 * the reader's MQTT link and durable outbox, the staff password, and the visit loop. Its daemon
 * services are [facility link, visit loop]; `rig` is what a scripted patient uses. The patient
 * shown live answers the face screen's liveness challenge by themselves (PromptReaction).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { VisitConfig } from '../../firmware/config/sections/visit.ts';
import type { MessageKey } from '../../firmware/display/i18n/catalog.ts';
import type { AuditLog, Logger } from '../../firmware/core/logger.ts';
import type { Service } from '../../firmware/ports/service.ts';
import type { MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import { checkCertificate } from '../../firmware/apdu/myna/certificate.ts';
import { SimulatedTerminalAuthenticator } from '../../firmware/apdu/myna/terminal-auth.ts';
import { CertificateExpiredError } from '../../firmware/apdu/myna/errors.ts';
import type { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import type { Outbox } from '../../firmware/facility/outbox/outbox.ts';
import { StoreSettings } from '../../firmware/facility/settings-store.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import type { FrameSource } from '../../firmware/ports/frame-source.ts';
import type { CardFront, VisitFace, VisitUi } from '../../firmware/visit/deps.ts';
import type { VisitEvent } from '../../firmware/visit/events.ts';
import { FacilitySettings } from '../../firmware/visit/facility-settings.ts';
import type { VisitUpdateLock } from '../../firmware/visit/loop.ts';
import { composeVisitLoop } from '../visit-compose.ts';
import type { SystemHandler } from '../../firmware/facility/link/commands.ts';
import { openStaffPassword, type StaffPassword } from '../../firmware/visit/staff-password.ts';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import type { VisitOutcome } from '../../firmware/visit/visit.ts';
import type { TestPki } from '../../hardware-sim/card/test-pki.ts';
import type { RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { SimGpio } from '../../hardware-sim/gpio.ts';
import type { LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';
import { PromptReaction, type Prompt } from '../../hardware-sim/patients/prompt-reaction.ts';
import { cameraSubject, twoPeopleSubject } from './camera-subject.ts';
import { inProcessSlot, type CardSlot } from './card-slot.ts';
import { SceneCamera, type Scene } from './scene-camera.ts';
import type { CardKind } from './card-kind.ts';
import { simCard } from './sim-card.ts';
import { SimFacility } from './sim-facility.ts';

/** The screens with simulated touch and keypad, as the rig drives them. */
export interface SimUiKit {
  readonly ui: VisitUi;
  tap(id: string): Promise<void>;
  digits(digits: string): Promise<void>;
  text(text: string): Promise<void>;
  cancel(): Promise<void>;
  /** PNG of the screen now shown. */
  snapshot?(): Promise<Uint8Array>;
  /** Frames written to the display so far. */
  frames?(): number;
  /** Draws the screen shown again (the self-test's display write); false when none is shown. */
  redraw?(): Promise<boolean>;
  /** The liveness challenge the screen asks for now (blink / turn the head), as a patient reads it. */
  challenge(): Prompt | undefined;
  /** Whether the screen shown now displays the catalog message `key` (one without arguments). */
  shows(key: MessageKey): boolean;
  close(): Promise<void>;
}

export interface FaceKit {
  readonly face: VisitFace;
  close(): Promise<void>;
}

/** Long-lived parts shared by every simulated reader of a process (broker, PKI, models). */
export interface SimWorld {
  readonly dir: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly audit: AuditLog;
  readonly broker: RunningMosquitto;
  readonly pki: TestPki;
  readonly trust: MyNumberCardTrust;
  /** How many times longer than usual the scripted patient waits for the reader (1; emulation needs far more). */
  readonly patience: number;
  loadPatient(id: string): Promise<LoadedPatient>;
  makeFace(camera: FrameSource): Promise<FaceKit>;
  makeCardFront(patient: LoadedPatient): Promise<CardFront>;
  makeUi(language: string): Promise<SimUiKit>;
  /** The card slot of this world's readers when their setup names none (in-process when absent). */
  readonly cardSlot?: (clock: Clock, log: Logger) => Promise<CardSlot>;
}

export interface SimReaderSetup {
  readonly readerId?: string;
  readonly patient: string;
  readonly otherPatient?: string;
  readonly card: CardKind;
  /** 特定機関認証 on this reader: the simulated authenticator (default), or none (face mode ends with the PIN). */
  readonly terminalAuthenticator?: 'simulated' | 'none';
  readonly facility: {
    readonly registered: boolean;
    readonly consentItems?: readonly string[];
    readonly previousConsent?: Readonly<Record<string, boolean>>;
    readonly ePrescription: boolean;
    readonly reachable: boolean;
    readonly dataDir?: string;
  };
  readonly visit: VisitConfig;
  readonly staffPassword?: string;
  readonly language?: string;
  readonly onEvent?: (e: VisitEvent) => void;
  readonly onVisitEnd?: (o: VisitOutcome) => void;
  readonly onDelivered?: (id: string, ms: number) => void;
  /** Facility system commands (check-update → the OTA agent). */
  readonly system?: SystemHandler;
  /** The OTA visit/update lock the visit loop holds during each visit. */
  readonly updateLock?: VisitUpdateLock;
  /** Seeds the patient's reaction times to the screen's liveness challenge. */
  readonly seed?: number;
  /** Where the card goes in (the in-process reader when absent; benches use the product's PC/SC path). */
  readonly cardSlot?: (clock: Clock, log: Logger) => Promise<CardSlot>;
}

export class SimReader {
  private constructor(
    readonly events: VisitEvent[],
    readonly results: VisitResult[],
    readonly started: number,
    readonly world: SimWorld,
    readonly readerId: string,
    readonly patient: LoadedPatient,
    readonly slot: CardSlot,
    readonly card: Awaited<ReturnType<typeof simCard>>,
    readonly camera: SceneCamera,
    readonly facility: SimFacility,
    readonly ui: SimUiKit,
    readonly faceKit: FaceKit,
    readonly services: readonly Service[],
    readonly gpio: SimGpio,
    readonly outbox: Outbox,
    readonly link: MqttFacilityLink,
    readonly reaction: PromptReaction,
    readonly staff: StaffPassword,
  ) {}

  static async create(world: SimWorld, s: SimReaderSetup): Promise<SimReader> {
    const readerId = s.readerId ?? `sim-${uuidv7().slice(-12)}`;
    const stateDir = join(world.dir, readerId);
    await mkdir(stateDir, { recursive: true });
    const log = world.log.child(readerId);
    const patient = await world.loadPatient(s.patient);
    const other = await world.loadPatient(s.otherPatient ?? (s.patient === 'takahashi-mei' ? 'suzuki-aiko' : 'takahashi-mei'));
    const card = await simCard(patient, s.card, world.pki, new FileStore(join(stateDir, 'card-counters')));
    const camera = new SceneCamera({
      clock: world.clock,
      subjects: { patient: await cameraSubject(patient), other: await cameraSubject(other), pair: await twoPeopleSubject(patient, other) },
    });
    const serial = await certificateSerialOf(card, world);
    const facility = await SimFacility.start(
      world.broker,
      {
        facilityId: `clinic-${readerId}`,
        dataDir: s.facility.dataDir ?? join(stateDir, 'facility-service'),
        pki: world.pki,
        clock: world.clock,
        ePrescription: s.facility.ePrescription,
        reachable: s.facility.reachable,
        ...(s.facility.consentItems ? { consentItems: s.facility.consentItems } : {}),
        // The scenario says whether this card is registered; the facility's default for unknown cards
        // (a quarter unregistered, by serial) must not decide a scripted visit.
        ...(serial ? { patients: new Map([[serial, { registered: s.facility.registered, insured: DEFAULT_INSURED }]]) } : {}),
        ...(serial && s.facility.previousConsent
          ? {
              previousConsent: new Map<string, ConsentChoice>([
                [
                  serial,
                  {
                    mode: 'individual',
                    items: s.facility.previousConsent,
                    at: new Date(world.clock.now() - 30 * 86_400_000).toISOString(),
                  },
                ],
              ]),
            }
          : {}),
      },
      log,
    );
    const staff = openStaffPassword(stateDir, (dir) => new FileStore(dir), world.clock, { ...s.visit.staff, cost: 1 << 14 });
    if (s.staffPassword) await staff.set(new Uint8Array(Buffer.from(s.staffPassword)));
    const results: VisitResult[] = [];
    const { link, outbox } = await facility.link({
      readerId,
      stateDir,
      clock: world.clock,
      log: log.child('facility'),
      settings: new FacilitySettings(new StoreSettings(new FileStore(join(stateDir, 'settings'))), staff),
      ...(s.onDelivered ? { onDelivered: s.onDelivered } : {}),
      ...(s.system ? { system: s.system } : {}),
    });
    const ui = await world.makeUi(s.language ?? 'ja');
    const faceKit = await world.makeFace(camera);
    const gpio = new SimGpio();
    const events: VisitEvent[] = [];
    // Last of the parts: a pcscd started here must not be left behind by a part that failed.
    const makeSlot = s.cardSlot ?? world.cardSlot;
    const slot = makeSlot ? await makeSlot(world.clock, log) : inProcessSlot(world.clock);
    const cardReader = slot.reader;
    // The same builder as the daemon on hardware (cli/visit-compose.ts): only the drivers differ.
    const loop = composeVisitLoop(
      {
        readerId,
        cardReader,
        trust: world.trust,
        terminalAuthenticator:
          s.terminalAuthenticator === 'none' ? undefined : new SimulatedTerminalAuthenticator(world.pki.terminal.privateKey),
        cardFront: await world.makeCardFront(patient),
        face: faceKit.face,
        ui: ui.ui,
        facility: link,
        staff,
        gpio,
        clock: world.clock,
        log,
        audit: world.audit,
      },
      { language: s.language ?? 'ja', visit: s.visit },
      {
        observer: (e) => {
          events.push(e);
          if (e.type === 'result') results.push(e.result);
          s.onEvent?.(e);
        },
        ...(s.onVisitEnd ? { onVisitEnd: s.onVisitEnd } : {}),
        ...(s.updateLock ? { updateLock: s.updateLock } : {}),
      },
    );
    // The patient in front of the camera answers what the screen asks (blink, turn the head).
    const reaction = new PromptReaction({ clock: world.clock, look: () => ui.challenge(), body: camera, seed: s.seed ?? 5 });
    reaction.start();
    return new SimReader(
      events,
      results,
      world.clock.monotonic(),
      world,
      readerId,
      patient,
      slot,
      card,
      camera,
      facility,
      ui,
      faceKit,
      [link, loop],
      gpio,
      outbox,
      link,
      reaction,
      staff,
    );
  }

  /**
   * What stands in front of the camera. Another scene is another presence (someone steps up, or
   * away): the patient's reactions to the screen start afresh.
   */
  showCamera(scene: Scene): void {
    if (scene === this.camera.scene) return;
    this.camera.show(scene);
    this.reaction.forget();
  }

  /** Stops the parts this reader owns (the daemon stops its services first). */
  async close(): Promise<void> {
    this.reaction.stop();
    this.slot.remove();
    await this.slot.close();
    await this.camera.close();
    await this.faceKit.close();
    await this.ui.close();
    await this.facility.down();
    await this.outbox.close();
  }
}

const DEFAULT_INSURED = {
  insurerNumber: '06139993',
  symbol: '記号12',
  number: '345678',
  branch: '00',
  copayRatio: '030',
  limitCategory: 'A03',
  validity: 1,
} as const;

/**
 * The user-auth certificate serial of a virtual card, checked and formatted by the reader's own
 * certificate check; undefined when the reader would refuse the certificate (the facility never hears of it).
 */
async function certificateSerialOf(card: Awaited<ReturnType<typeof simCard>>, world: SimWorld): Promise<string | undefined> {
  try {
    return (await checkCertificate(card.authCertificate, world.trust.jpkiCaCertificates, new Date(world.clock.now()))).serialNumber;
  } catch (err) {
    if (err instanceof CertificateExpiredError) return undefined;
    throw err;
  }
}
