/**
 * What a facility process runs (facility-process.ts, and test variants of it): the facility
 * simulator on a broker with a durable store, reporting on stdout (`ready`, `duplicates <n>`)
 * until stdin closes. `store` wraps where results go (the FacilityDb by default).
 */
import { createLogger, stderrSink } from '../../firmware/core/logger.ts';
import type { FacilityDb, ResultStore } from './facility-db.ts';
import { startFacilitySimulator } from './simulator.ts';

export interface ServeOptions {
  readonly brokerUrl: string;
  readonly dataDir: string;
  readonly facilityId: string;
  readonly store?: (db: FacilityDb) => ResultStore;
}

export async function serveFacility(o: ServeOptions): Promise<void> {
  const log = createLogger({ sink: stderrSink, level: 'error' });
  const sim = await startFacilitySimulator({ brokerUrl: o.brokerUrl, facilityId: o.facilityId, log, dataDir: o.dataDir, ...(o.store ? { store: o.store } : {}) });
  process.stdout.write('ready\n');
  let reported = 0;
  const duplicates = (): number => [...sim.db.counters.values()].reduce((n, c) => n + c.duplicates, 0);
  const tick = setInterval(() => {
    const d = duplicates();
    if (d !== reported) process.stdout.write(`duplicates ${(reported = d)}\n`);
  }, 50);
  process.stdin.resume();
  process.stdin.on('end', () => {
    clearInterval(tick);
    void sim.close().then(() => process.exit(0), (err: unknown) => { log.error('facility close failed', { err }); process.exit(1); });
  });
}
