/**
 * What a facility process runs (facility-process.ts): the facility simulator (the production
 * facility service with the simulated provider) on a broker, its SQLite database in `dataDir`,
 * reporting `ready` on stdout once subscribed, until stdin closes.
 */
import { createLogger, stderrSink } from '../../firmware/core/logger.ts';
import { startFacilitySimulator } from './simulator.ts';

export interface ServeOptions {
  readonly brokerUrl: string;
  readonly dataDir: string;
  readonly facilityId: string;
}

export async function serveFacility(o: ServeOptions): Promise<void> {
  const log = createLogger({ sink: stderrSink, level: 'error' });
  const sim = await startFacilitySimulator({ brokerUrl: o.brokerUrl, facilityId: o.facilityId, log, dataDir: o.dataDir });
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    void sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('facility close failed', { err });
        process.exit(1);
      },
    );
  });
}
