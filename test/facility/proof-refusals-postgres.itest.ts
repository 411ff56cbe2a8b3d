/**
 * Proof refusals with real parts on a real PostgreSQL (started and removed by this test), both
 * facilities sharing the database: another facility's challenge is known, and refused as such.
 */
import { startPostgres } from '../../hardware-sim/facility/postgres.ts';
import { refusalSuite } from './proof-refusals.ts';

const pg = await startPostgres();
refusalSuite({
  name: 'PostgreSQL (shared by two facilities)',
  store: () => ({ kind: 'postgres', url: pg.url }),
  foreignChallenge: 'CHALLENGE_OTHER_FACILITY',
  done: () => pg.stop(),
});
