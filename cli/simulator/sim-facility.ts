/**
 * The facility side of the simulator: a real mosquitto (shared, started once) and, per
 * simulated reader, the facility service (with the simulated qualification provider, its SQLite
 * file under `dir`) answering on it, plus the reader's own durable outbox and MQTT facility link.
 * `down()` / `up()` stop and restart the facility service (same database, same provider) so the
 * reader sees an unreachable facility exactly as in the field (requests time out). What the
 * facility stored (`stored()`) is what scenarios check: delivered, not merely handed to the link.
 * The facility's command key is made here; the reader pins its public half (as pairing would)
 * and keeps its replay window under its state directory.
 */
import { join } from 'node:path';
import { generateCommandKey, type CommandKeyPair } from '../../firmware/facility/commands/command-key.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import type { Logger } from '../../firmware/core/logger.ts';
import { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import type { SettingsHandler, SystemHandler } from '../../firmware/facility/link/commands.ts';
import { Outbox } from '../../firmware/facility/outbox/outbox.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import { SimulatedQualificationProvider, type SimulatedPatient } from '../../facility/qualification/simulated-provider.ts';
import type { TestPki } from '../../hardware-sim/card/test-pki.ts';
import { startMosquitto, type RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator, type FacilitySimulator } from '../../hardware-sim/facility/simulator.ts';

export interface FacilitySetup {
  readonly facilityId: string;
  readonly consentItems?: readonly string[];
  readonly ePrescription: boolean;
  /** Certificate serial → what the facility knows. */
  readonly patients?: ReadonlyMap<string, SimulatedPatient>;
  /** Certificate serial → consent given at this facility last time. */
  readonly previousConsent?: ReadonlyMap<string, ConsentChoice>;
  readonly reachable: boolean;
  /** Where the facility keeps its database and trust material (durable across down/up). */
  readonly dataDir: string;
  readonly pki: TestPki;
  readonly clock: Clock;
}

export class SimFacility {
  #sim: FacilitySimulator | undefined;
  #seeded = false;
  readonly provider: SimulatedQualificationProvider;
  readonly commandKey: CommandKeyPair = generateCommandKey();
  private constructor(
    readonly broker: RunningMosquitto,
    readonly setup: FacilitySetup,
    readonly log: Logger,
  ) {
    this.provider = new SimulatedQualificationProvider(setup.patients);
  }

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
    const sim = await startFacilitySimulator({
      brokerUrl: this.broker.url,
      facilityId: s.facilityId,
      log: this.log.child('facility-sim'),
      dataDir: s.dataDir,
      pki: s.pki,
      clock: s.clock,
      provider: this.provider,
      commandKey: this.commandKey.privateKey,
      ...(s.consentItems ? { consentItems: s.consentItems } : {}),
      ePrescription: s.ePrescription,
    });
    if (!this.#seeded) for (const [serial, consent] of s.previousConsent ?? []) await sim.seedConsent(serial, consent);
    this.#seeded = true;
    this.#sim = sim;
  }

  /**
   * Whether this facility issued `challenge` (its store keeps every challenge it handed out);
   * undefined while the facility is down.
   */
  async issued(challenge: string): Promise<boolean | undefined> {
    const sim = this.#sim;
    if (!sim) return undefined;
    return (await sim.store.challenges([challenge])).has(challenge);
  }

  /** Results the facility has stored, newest first (at most `limit`); none while it is down. */
  async stored(limit = 50): Promise<VisitResult[]> {
    const sim = this.#sim;
    return sim ? sim.store.recentResults(this.setup.facilityId, limit) : [];
  }

  /** Which of `ids` the facility refused for good, with the refusal code (none while it is down). */
  async refused(ids: readonly string[]): Promise<Map<string, string>> {
    const sim = this.#sim;
    return sim ? sim.store.refusedResults(ids) : new Map();
  }

  async down(): Promise<void> {
    const sim = this.#sim;
    this.#sim = undefined;
    await sim?.close();
  }

  /** The reader's link to this facility, with its outbox under `stateDir`. */
  async link(o: {
    readerId: string;
    stateDir: string;
    clock: Clock;
    log: Logger;
    settings: SettingsHandler;
    system?: SystemHandler;
    onDelivered?: (id: string, ms: number) => void;
  }): Promise<{ link: MqttFacilityLink; outbox: Outbox }> {
    const outbox = await Outbox.open({ dir: join(o.stateDir, 'outbox'), log: o.log.child('outbox') });
    const link = new MqttFacilityLink({
      readerId: o.readerId,
      facilityId: this.setup.facilityId,
      brokerUrl: this.broker.url,
      outbox,
      clock: o.clock,
      log: o.log,
      firmwareVersion: '0.1.0',
      bootCounter: 1,
      hardware: { model: 'kaoreader-sim', arch: process.arch },
      settings: o.settings,
      commands: { key: this.commandKey.publicKey, window: new FileStore(join(o.stateDir, 'facility')) },
      ackTimeoutMs: 2000,
      backoffMinMs: 100,
      backoffMaxMs: 2000,
      reconnectMs: 500,
      connectWaitMs: 3000,
      ...(o.onDelivered ? { onDelivered: o.onDelivered } : {}),
      ...(o.system ? { system: o.system } : {}),
    });
    return { link, outbox };
  }
}
