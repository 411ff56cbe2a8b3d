/**
 * The simulator's shared parts for one process: a real mosquitto on loopback, the test JPKI
 * PKI (generated once under var/), simulated patients (cached), and the factories for the
 * parts each simulated reader gets: face verifier, card-front scanner, screens.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceUnavailableError } from '../../firmware/core/errors.ts';
import { createAuditLog, type AuditLog, type Logger, type LogSink } from '../../firmware/core/logger.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { CardFront } from '../../firmware/visit/deps.ts';
import { loadTestPki, trustFor } from '../../hardware-sim/card/test-pki.ts';
import type { RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { loadPatient, type LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';
import { SimFacility } from './sim-facility.ts';
import type { FaceKit, SimUiKit, SimWorld } from './sim-reader.ts';
import { TextPanel } from './text-panel.ts';

export interface SimWorldOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly auditSink: LogSink;
  /** Where readers keep their state; a fresh temporary directory when absent (removed on close). */
  readonly dir?: string;
}

export interface ClosableSimWorld extends SimWorld {
  close(): Promise<void>;
}

/** Stand-in until the face part is wired: says plainly that there is no face verifier. */
const noFace: FaceKit = {
  face: {
    enrol: () => Promise.reject(new DeviceUnavailableError('face verifier', 'the face part is not wired into the simulator')),
    verify: () => Promise.reject(new DeviceUnavailableError('face verifier', 'the face part is not wired into the simulator')),
    wipe: () => undefined,
  },
  close: () => Promise.resolve(),
};

/** Stand-in until the card-front OCR is wired: a scanner that reads the printed 照合番号B exactly. */
function printedNumberB(p: LoadedPatient): CardFront {
  return { readNumberB: () => Promise.resolve(new Uint8Array(Buffer.from(p.collationNumberB, 'latin1'))) };
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
  const audit: AuditLog = createAuditLog(o.auditSink, () => o.clock.now());
  return {
    dir, clock: o.clock, log: o.log, audit, broker, pki, trust: trustFor(pki),
    loadPatient(id) {
      let p = patients.get(id);
      if (!p) {
        p = loadPatient(id);
        patients.set(id, p);
      }
      return p;
    },
    makeFace: () => Promise.resolve(noFace),
    makeCardFront: printedNumberB,
    makeUi: (language): Promise<SimUiKit> => Promise.resolve(new TextPanel(language)),
    async close() {
      await broker.stop();
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}
