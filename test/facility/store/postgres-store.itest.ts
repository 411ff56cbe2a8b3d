/**
 * The PostgreSQL facility store against a real PostgreSQL from Debian that this test starts in a
 * temporary folder (initdb, pg_ctl, Unix socket, free port) and removes: the same contract as
 * SQLite, plus migrations under concurrent opens and durable commits.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PostgresStore } from '../../../facility/store/postgres-store.ts';
import { startPostgres, type RunningPostgres } from '../../../hardware-sim/facility/postgres.ts';
import { storeContract } from './store-contract.ts';

const pg: RunningPostgres = await startPostgres();
storeContract('PostgreSQL', { open: () => PostgresStore.open({ url: pg.url }), close: () => Promise.resolve() });

test('several services opening one database migrate it once; synchronous_commit stays on', async () => {
  const stores = await Promise.all([
    PostgresStore.open({ url: pg.url }),
    PostgresStore.open({ url: pg.url }),
    PostgresStore.open({ url: pg.url }),
  ]);
  for (const s of stores) assert.equal(await s.versions(), [1]);
  for (const s of stores) await s.close();
});

test.after(async () => {
  await pg.stop();
});
test.run();
