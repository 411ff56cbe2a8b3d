/**
 * The simulator's shared parts for one process: a real mosquitto on loopback, the test JPKI
 * PKI (generated once under var/), simulated patients (cached), and the factories for the
 * parts each simulated reader gets: face verifier, card-front scanner, screens (one font set for
 * all of them: fontconfig's answers and the parsed fonts do not change within a process).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';
import { FontSet } from '../../firmware/display/fonts/font-set.ts';
import { createAuditLog, type AuditLog, type Logger, type LogSink } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { CardFront, FaceDecision } from '../../firmware/visit/deps.ts';
import { observedFace } from './observed-face.ts';
import { loadTestPki, trustFor } from '../../hardware-sim/card/test-pki.ts';
import type { RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { loadPatient, type LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';
import { CardFrontReader } from '../../firmware/card-front/card-front-reader.ts';
import { modelSetFromConfig } from '../face-models.ts';
import { defaultConfig } from '../../firmware/config/load.ts';
import type { FaceConfig } from '../../firmware/config/sections/face.ts';
import { createFaceVerifier, type FaceVerifier } from '../../firmware/face/verifier.ts';
import { OcrCardFront } from '../../firmware/visit/adapters/card-front.ts';
import { FaceVerifierAdapter } from '../../firmware/visit/adapters/face.ts';
import { SimCardFrontScanner } from '../../hardware-sim/card-front/sim-card-front-scanner.ts';
import type { PatientPace } from '../../hardware-sim/patients/patient-pace.ts';
import type { ButtonMemory } from './patient-hands.ts';
import { vpcdSlot } from './card-slot.ts';
import { ScreenKit } from './screen-kit.ts';
import { SimFacility } from './sim-facility.ts';
import type { FaceKit, SimUiKit, SimWorld } from './sim-reader.ts';
import { TextPanel } from './text-panel.ts';
import { FACE_WORKER_ENTRY } from '../face-worker/entry.ts';

export interface SimWorldOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly auditSink: LogSink;
  /** Where readers keep their state; a fresh temporary directory when absent (removed on close). */
  readonly dir?: string;
  /** Screens: rendered (ScreenUi on a simulated framebuffer) or the screenless text panel. */
  readonly screens?: 'rendered' | 'text';
  /** The face section of the configuration (models, threshold, budget); its defaults when absent. */
  readonly face?: FaceConfig;
  /** More patients than the built-in ones (a labelled set's people, dataset-patients.ts), by id. */
  readonly patients?: readonly LoadedPatient[];
  /**
   * Every face decision a reader's visit gets (the sim's own view, for bench visit's aggregate of
   * genuine scores; nothing here is logged).
   */
  readonly onFaceDecision?: (d: FaceDecision) => void;
  /** How fast the simulated patients act on the screens (HUMAN_PACE when absent). */
  readonly pace?: PatientPace;
  /** The scripted patient waits this many times longer for the reader (slow machines, emulation); default 1. */
  readonly patience?: number;
  /** Cards go into a running pcscd through vpcd at this socket and are read over PC/SC; in-process when absent. */
  readonly vpcd?: { readonly host: string; readonly port: number };
}

export interface ClosableSimWorld extends SimWorld {
  close(): Promise<void>;
}

export async function createSimWorld(o: SimWorldOptions): Promise<ClosableSimWorld> {
  const owned = o.dir === undefined;
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), 'kaoreader-sim-')));
  const pki = await loadTestPki();
  let broker: RunningMosquitto;
  try {
    broker = await SimFacility.startBroker(dir);
  } catch (err) {
    throw new DeviceUnavailableError('mosquitto', 'install the Debian package "mosquitto" (scripts/setup.sh does)', { cause: err });
  }
  const patients = new Map<string, Promise<LoadedPatient>>();
  const scanners = new Map<string, Promise<SimCardFrontScanner>>();
  let verifier: FaceVerifier;
  let ocr: CardFrontReader;
  try {
    const face = o.face ?? defaultConfig().face;
    verifier = await createFaceVerifier({
      models: modelSetFromConfig(face),
      worker: FACE_WORKER_ENTRY,
      clock: o.clock,
      log: o.log.child('face'),
      decision: { threshold: face.threshold, budgetMs: face.budgetMs },
      enrolBudgetMs: face.enrolBudgetMs,
    });
    ocr = await CardFrontReader.create({ clock: o.clock });
  } catch (err) {
    await broker.stop();
    throw err;
  }
  // Patients of this world remember where they saw each button (and sometimes tap there too early).
  const buttonMemory: ButtonMemory = new Map();
  const audit: AuditLog = createAuditLog(o.auditSink, () => o.clock.now());
  const patience = o.patience ?? 1;
  const vpcd = o.vpcd;
  // Resolving a family (a synchronous fc-match) and parsing its font took ≈ 1 s per reader.
  const fonts = new FontSet();
  return {
    dir,
    clock: o.clock,
    log: o.log,
    audit,
    broker,
    pki,
    trust: trustFor(pki),
    patience,
    loadPatient(id) {
      let p = patients.get(id);
      if (!p) {
        const extra = o.patients?.find((x) => x.id === id);
        p = extra ? Promise.resolve(extra) : loadPatient(id);
        patients.set(id, p);
      }
      return p;
    },
    makeFace: (camera): Promise<FaceKit> => {
      const adapter = new FaceVerifierAdapter(verifier, camera);
      return Promise.resolve({
        face: o.onFaceDecision ? observedFace(adapter, o.onFaceDecision) : adapter,
        close: () => Promise.resolve(),
      });
    },
    async makeCardFront(p): Promise<CardFront> {
      // Rasterising a card front takes a while: one scanner per patient, reused by every reader.
      let scanner = scanners.get(p.id);
      if (!scanner) {
        scanner = SimCardFrontScanner.forPatient(p, { seed: 3 });
        scanners.set(p.id, scanner);
      }
      return new OcrCardFront(await scanner, ocr);
    },
    ...(vpcd ? { cardSlot: (clock: Clock, log: Logger) => vpcdSlot(clock, log, vpcd) } : {}),
    makeUi: (language): Promise<SimUiKit> => {
      if (o.screens === 'text') return Promise.resolve(new TextPanel(language));
      const kit = new ScreenKit(o.log, {
        ...(o.pace ? { pace: o.pace } : {}),
        memory: buttonMemory,
        now: () => o.clock.monotonic(),
        patience,
        fonts,
      });
      kit.ui.setLanguage(language);
      return Promise.resolve(kit);
    },
    async close() {
      await verifier.close();
      await broker.stop();
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}
