/**
 * The facility simulator (`kaoreader sim facility`, the demo, the simulated rigs, the benches):
 * the production facility service (facility/compose.ts) with the simulated qualification
 * provider, trusting the test PKI's user-auth CA with a CRL the simulator writes (revoking
 * `revoked`), storing in SQLite under `dataDir` (a temporary folder when absent, removed on
 * close) or in the database `store` names. Not a second implementation: only the provider, the
 * trust material and the configuration are the simulator's.
 */
import type { KeyObject } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, LogSink } from '../../firmware/core/logger.ts';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { validateFacilityConfig } from '../../facility/config/load.ts';
import { startFacility, type RunningFacility } from '../../facility/compose.ts';
import { SimulatedQualificationProvider, type SimulatedPatient } from '../../facility/qualification/simulated-provider.ts';
import type { StoreConfig } from '../../facility/store/open-store.ts';
import { emptyBatch } from '../../facility/store/store.ts';
import type { ReaderView, StatusEvent } from '../../facility/service/fleet.ts';
import { loadTestPki, type TestPki } from '../card/test-pki.ts';
import { writeTestCrl } from '../card/test-crl.ts';

export interface FacilitySimulatorOptions {
  readonly brokerUrl: string;
  readonly facilityId: string;
  /** The facility CA directory (`kaoreader facility init-ca`): TLS as CN=facility. */
  readonly caDir?: string;
  readonly protocolVersion?: 5 | 4;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly auditSink?: LogSink;
  /** SQLite file and CRL live here; a temporary folder (removed on close) when absent. */
  readonly dataDir?: string;
  /** Another database (PostgreSQL) instead of `<dataDir>/facility.db`. */
  readonly store?: StoreConfig;
  readonly xml?: { readonly dir: string; readonly institutionCode: string };
  readonly patients?: ReadonlyMap<string, SimulatedPatient>;
  /** A provider that outlives this service (the rig restarts the facility, registrations stay). */
  readonly provider?: SimulatedQualificationProvider;
  readonly consentItems?: readonly string[];
  readonly ePrescription?: boolean;
  readonly shareGroup?: string;
  readonly clientId?: string;
  readonly pki?: TestPki;
  /** Certificate serials on the simulated CA's revocation list. */
  readonly revoked?: readonly string[];
  readonly challengeTtlSeconds?: number;
  /** `/metrics` port (0: any free port); no endpoint when absent. */
  readonly metricsPort?: number;
  /** The facility command key that signs commands (else the one in `caDir`; none: commands are refused). */
  readonly commandKey?: KeyObject;
}

export interface FacilitySimulator extends RunningFacility {
  readonly provider: SimulatedQualificationProvider;
  readonly dir: string;
  readonly readers: ReadonlyMap<string, ReaderView>;
  readonly statusLog: readonly StatusEvent[];
  readonly invalid: { results: number; requests: number; other: number };
  /** Results stored in the database. */
  stored(): Promise<number>;
  has(id: string): Promise<boolean>;
  /** The newest results stored here, newest first (the QA console shows them). */
  recent(limit: number): Promise<VisitResult[]>;
  /** The consent a patient gave here "last time" (scenarios), as an imported history row. */
  seedConsent(certificateSerial: string, consent: ConsentChoice): Promise<void>;
  command: RunningFacility['service']['command'];
  /** The facility's own broker connection (CN facility: the only identity that may publish commands). */
  readonly mqtt: MqttClient;
}

export async function startFacilitySimulator(o: FacilitySimulatorOptions): Promise<FacilitySimulator> {
  const owned = o.dataDir === undefined;
  const dir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'kao-facility-sim-')));
  await mkdir(dir, { recursive: true });
  const pki = o.pki ?? (await loadTestPki());
  const caFile = join(dir, 'jpki-user-auth-ca.der');
  await writeFile(caFile, pki.authCa.certificate);
  const crlFile = await writeTestCrl(pki, join(dir, 'jpki-user-auth.crl'), o.revoked ?? []);
  const config = validateFacilityConfig(
    {
      facilityId: o.facilityId,
      broker: {
        url: o.brokerUrl,
        protocolVersion: o.protocolVersion ?? 5,
        ...(o.caDir ? { caDir: o.caDir } : {}),
        ...(o.clientId ? { clientId: o.clientId } : {}),
        ...(o.shareGroup ? { shareGroup: o.shareGroup } : {}),
      },
      store: o.store ?? { kind: 'sqlite', path: join(dir, 'facility.db') },
      trust: { jpkiUserAuthCa: [caFile], crl: [{ file: crlFile }] },
      ...(o.challengeTtlSeconds ? { challengeTtlSeconds: o.challengeTtlSeconds } : {}),
      visit: {
        ...(o.consentItems ? { consentItems: [...o.consentItems] } : {}),
        ...(o.ePrescription !== undefined ? { ePrescription: o.ePrescription } : {}),
      },
      ...(o.xml ? { xml: { ...o.xml } } : {}),
      metrics: o.metricsPort !== undefined ? { port: o.metricsPort } : { enabled: false },
    },
    'facility simulator',
  );
  const provider = o.provider ?? new SimulatedQualificationProvider(o.patients);
  // Audit records go to the log (namespace audit) unless a sink is given.
  const audit = o.log.child('audit');
  const auditSink: LogSink = o.auditSink ?? { write: (line) => audit.info('audit', JSON.parse(line) as Record<string, unknown>) };
  let mqtt: MqttClient | undefined;
  const running = await startFacility(config, {
    connectMqtt: (url, options) => (mqtt = connect(url, options)),
    clock: o.clock ?? systemClock,
    log: o.log,
    provider,
    auditSink,
    ...(o.commandKey ? { commandKey: o.commandKey } : {}),
  });
  const { service, store } = running;
  if (!mqtt) throw new Error('the facility service started without a broker connection');
  return {
    ...running,
    provider,
    dir,
    readers: service.fleet.readers,
    statusLog: service.fleet.statusLog,
    invalid: service.invalid,
    stored: async () => (await store.counts(o.facilityId)).results,
    has: async (id) => (await store.storedResults([id])).has(id),
    recent: (limit) => store.recentResults(o.facilityId, limit),
    async seedConsent(certificateSerial, consent) {
      const batch = emptyBatch();
      batch.consents.push({
        facilityId: o.facilityId,
        certificateSerial: certificateSerial.toLowerCase(),
        resultId: `history-${uuidv7(Date.parse(consent.at))}`,
        consent,
        at: Date.parse(consent.at),
      });
      await store.commit(batch);
    },
    command: (...args) => service.command(...args),
    mqtt,
    async close(options) {
      await running.close(options);
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}
