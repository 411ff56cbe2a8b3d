/**
 * The facility simulator as its own process (kill -9 tests): serves `facilityId` on the broker
 * and stores results durably in `dataDir` (SQLite). stdout: `ready` once it is subscribed.
 * Stops cleanly when stdin closes. Args: <brokerUrl> <dataDir> <facilityId>.
 */
import { serveFacility } from './facility-serve.ts';

const [url = '', dir = '', facilityId = 'clinic-a'] = process.argv.slice(2);
await serveFacility({ brokerUrl: url, dataDir: dir, facilityId });
