/**
 * The facility side of the simulator: a real mosquitto (shared, started once) and, per
 * simulated reader, a facility simulator answering on it plus the reader's own durable outbox
 * and MQTT facility link. The facility's command key is made here; the reader pins its public
 * half (as pairing would) and keeps its replay window under its state directory. `down()` /
 * `up()` stop and restart the facility simulator so the reader sees an unreachable facility
 * exactly as in the field (requests time out).
 */
import { join } from 'node:path';
import { generateCommandKey, type CommandKeyPair } from '../../firmware/facility/commands/command-key.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import type { Logger } from '../../firmware/core/logger.ts';
import { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import type { SettingsHandler, SystemHandler } from '../../firmware/facility/link/commands.ts';
import { Outbox } from '../../firmware/facility/outbox/outbox.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { ConsentChoice } from '../../firmware/ports/facility-link.ts';
import { startMosquitto, type RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { FacilitySimulator } from '../../hardware-sim/facility/simulator.ts';
import type { PatientRecord } from '../../hardware-sim/facility/facility-db.ts';

export interface FacilitySetup {
  readonly facilityId: string;
  readonly consentItems?: readonly string[];
  readonly ePrescription: boolean;
  /** Certificate serial → what the facility knows. */
  readonly patients?: ReadonlyMap<string, PatientRecord>;
  /** Certificate serial → consent given at this facility last time. */
  readonly previousConsent?: ReadonlyMap<string, ConsentChoice>;
  readonly reachable: boolean;
  /** Where the facility keeps its records (durable across down/up); in memory when absent. */
  readonly dataDir?: string;
}

export class SimFacility {
  #sim: FacilitySimulator | undefined;
  readonly commandKey: CommandKeyPair = generateCommandKey();
  private constructor(readonly broker: RunningMosquitto, readonly setup: FacilitySetup, readonly log: Logger) {}

  static startBroker(dir: string): Promise<RunningMosquitto> {
    return startMosquitto({ dir: join(dir, 'mosquitto') });
  }

  static async start(broker: RunningMosquitto, setup: FacilitySetup, log: Logger): Promise<SimFacility> {
    const f = new SimFacility(broker, setup, log);
    if (setup.reachable) await f.up();
    return f;
  }

  get simulator(): FacilitySimulator | undefined {
    return this.#sim;
  }

  async up(): Promise<void> {
    if (this.#sim) return;
    const s = this.setup;
    const sim = await FacilitySimulator.start({
      brokerUrl: this.broker.url, facilityId: s.facilityId, log: this.log.child('facility-sim'), commandKey: this.commandKey.privateKey,
      ...(s.patients ? { patients: s.patients } : {}), ...(s.dataDir ? { dataDir: s.dataDir } : {}), ...(s.consentItems ? { consentItems: s.consentItems } : {}), ePrescription: s.ePrescription,
    });
    if (s.previousConsent && s.previousConsent.size > 0) sim.db.consent.set(s.facilityId, new Map(s.previousConsent));
    this.#sim = sim;
  }

  async down(): Promise<void> {
    const sim = this.#sim;
    this.#sim = undefined;
    await sim?.close();
  }

  /** The reader's link to this facility, with its outbox under `stateDir`. */
  async link(o: { readerId: string; stateDir: string; clock: Clock; log: Logger; settings: SettingsHandler; system?: SystemHandler; onDelivered?: (id: string, ms: number) => void }): Promise<{ link: MqttFacilityLink; outbox: Outbox }> {
    const outbox = await Outbox.open({ dir: join(o.stateDir, 'outbox'), log: o.log.child('outbox') });
    const link = new MqttFacilityLink({
      readerId: o.readerId, facilityId: this.setup.facilityId, brokerUrl: this.broker.url, outbox, clock: o.clock, log: o.log,
      firmwareVersion: '0.1.0', bootCounter: 1, hardware: { model: 'kaoreader-sim', arch: process.arch }, settings: o.settings,
      commands: { key: this.commandKey.publicKey, window: new FileStore(join(o.stateDir, 'facility')) },
      ackTimeoutMs: 2000, backoffMinMs: 100, backoffMaxMs: 2000, reconnectMs: 500, connectWaitMs: 3000,
      ...(o.onDelivered ? { onDelivered: o.onDelivered } : {}), ...(o.system ? { system: o.system } : {}),
    });
    return { link, outbox };
  }
}
