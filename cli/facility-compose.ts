/**
 * Wiring of the facility link for the composition root (compose.ts calls this):
 * - paired reader (`<reader.stateDir>/facility/pairing.json`): the MQTT link with TLS to the
 *   facility's broker (firmware/facility/open-link.ts);
 * - `hardware.mode: real` and not paired: an UnpairedFacilityLink (requests fail fast, results
 *   wait in the outbox) and the identity to show as pairing code / QR on screen;
 * - `hardware.mode: sim` and not paired: the zero-setup demo: a real mosquitto on a free
 *   loopback port, the facility simulator in-process, and a link to it (plain MQTT on
 *   127.0.0.1 only). Production and tests use a paired reader and TLS.
 * The returned services go into the daemon in this order (broker and facility stop last).
 */
import { join } from 'node:path';
import type { Config } from '../firmware/config/schema.ts';
import type { Logger } from '../firmware/core/logger.ts';
import type { Service } from '../firmware/ports/service.ts';
import type { SettingsHandler, SystemHandler } from '../firmware/facility/link/commands.ts';
import { MqttFacilityLink } from '../firmware/facility/link/mqtt-facility-link.ts';
import { nextBootCounter } from '../firmware/facility/boot-counter.ts';
import { generateCommandKey } from '../firmware/facility/commands/command-key.ts';
import { openFacilityLink } from '../firmware/facility/open-link.ts';
import { FileStore } from '../firmware/platform/file-store.ts';
import { Outbox } from '../firmware/facility/outbox/outbox.ts';
import { ensureReaderIdentity } from '../firmware/facility/pairing/identity.ts';
import { loadReaderPairing } from '../firmware/facility/pairing/reader-pairing.ts';
import { UnpairedFacilityLink } from '../firmware/facility/unpaired-link.ts';
import type { FacilityLink } from '../firmware/ports/facility-link.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import { startMosquitto, type RunningMosquitto } from '../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator, type FacilitySimulator } from '../hardware-sim/facility/simulator.ts';

export interface FacilityComposition {
  /** The FacilityLink port for the visit, and a daemon Service. */
  readonly link: FacilityLink & Service;
  /** This reader's id (put it in every VisitResult). */
  readonly readerId: string;
  /** Set when the reader is not paired (real mode): what the screen shows to pair it. */
  readonly pairing?: { readonly code: string; readonly qr: string };
  /** Start order for the daemon: [demo broker + facility (sim only), link]. */
  readonly services: readonly Service[];
  /** The demo facility simulator once its service started (sim mode, unpaired), else undefined. */
  readonly simulator: () => FacilitySimulator | undefined;
}

export interface FacilityWiring {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly firmwareVersion: string;
  readonly settings: SettingsHandler;
  readonly system?: SystemHandler;
  readonly facilityName?: () => string | undefined;
}

export async function composeFacility(w: FacilityWiring): Promise<FacilityComposition> {
  const stateDir = w.config.reader.stateDir;
  const hardware = { model: w.config.hardware.mode === 'sim' ? 'simulator' : 'kaoreader', arch: process.arch };
  const common = {
    clock: w.clock,
    log: w.log.child('facility'),
    firmwareVersion: w.firmwareVersion,
    hardware,
    settings: w.settings,
    ...(w.system ? { system: w.system } : {}),
    ...(w.facilityName ? { facilityName: w.facilityName } : {}),
  };
  const paired = await loadReaderPairing(join(stateDir, 'facility'));
  if (paired) {
    const link = await openFacilityLink({ stateDir, config: w.config.facility, openStore: (dir) => new FileStore(dir), ...common });
    return { link, readerId: paired.readerId, services: [link], simulator: () => undefined };
  }
  if (w.config.hardware.mode !== 'sim') {
    const identity = await ensureReaderIdentity(join(stateDir, 'facility'));
    const outbox = await Outbox.open({
      dir: join(stateDir, 'outbox'),
      maxBytes: w.config.facility.outboxMaxBytes,
      log: w.log.child('outbox'),
    });
    const link = new UnpairedFacilityLink(identity, outbox);
    // The pairing code is for the screen only: never the journal (whoever reads it could pair).
    w.log.warn('not paired with a facility: results are kept until pairing (the screen shows the pairing QR)', {
      readerId: identity.readerId,
    });
    return {
      link,
      readerId: identity.readerId,
      services: [link],
      pairing: { code: identity.pairingCode, qr: identity.qrPayload },
      simulator: () => undefined,
    };
  }
  // Zero-setup demo: our own mosquitto + facility simulator on loopback.
  let broker: RunningMosquitto | undefined;
  let sim: FacilitySimulator | undefined;
  const commandKey = generateCommandKey();
  const demo: Service = {
    name: 'demo-facility',
    async start() {
      broker = await startMosquitto({ dir: join(stateDir, 'demo-broker'), port: demoPort });
      sim = await startFacilitySimulator({
        brokerUrl: broker.url,
        facilityId: 'demo-clinic',
        log: w.log.child('facility-sim'),
        dataDir: join(stateDir, 'demo-facility'),
        commandKey: commandKey.privateKey,
      });
    },
    async stop() {
      await sim?.close();
      await broker?.stop();
    },
  };
  const { freePort } = await import('../hardware-sim/facility/mosquitto.ts');
  const demoPort = await freePort();
  const outbox = await Outbox.open({
    dir: join(stateDir, 'outbox'),
    maxBytes: w.config.facility.outboxMaxBytes,
    log: w.log.child('outbox'),
  });
  const bootCounter = await nextBootCounter(new FileStore(join(stateDir, 'facility')));
  const link = new MqttFacilityLink({
    readerId: w.config.reader.id ?? 'demo-reader',
    facilityId: 'demo-clinic',
    brokerUrl: `mqtt://127.0.0.1:${demoPort}`,
    outbox,
    bootCounter,
    protocolVersion: w.config.facility.protocolVersion,
    window: w.config.facility.window,
    ackTimeoutMs: w.config.facility.ackTimeoutMs,
    healthIntervalMs: w.config.facility.healthIntervalMs,
    commands: { key: commandKey.publicKey, window: new FileStore(join(stateDir, 'facility')) },
    ...common,
  });
  return { link, readerId: w.config.reader.id ?? 'demo-reader', services: [demo, link], simulator: () => sim };
}
