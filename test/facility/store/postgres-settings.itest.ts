/**
 * The PostgreSQL server the facility store accepts: one on which an acknowledged commit would not
 * be durable is refused at open, naming every setting at fault; the private clusters of tests and
 * benches run what facility IT is told to set (facility/store/postgres-settings.ts), read back
 * from the server.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pgLib from 'pg';
import { StoreError } from '../../../facility/store/errors.ts';
import { PostgresStore } from '../../../facility/store/postgres-store.ts';
import { startPostgres } from '../../../hardware-sim/facility/postgres.ts';

test('a server with fsync, full_page_writes or synchronous_commit off is refused, all three named', async () => {
  const pg = await startPostgres({ settings: { fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off' } });
  try {
    const err = await PostgresStore.open({ url: pg.url }).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    assert.instance(err, StoreError);
    const message = (err as StoreError).message;
    for (const name of ['fsync = off', 'full_page_writes = off', 'synchronous_commit = off']) assert.ok(message.includes(name), message);
  } finally {
    await pg.stop();
  }
});

test('the private cluster runs the recommended settings, durability on, and the store opens on it', async () => {
  const pg = await startPostgres();
  const c = new pgLib.Client({ connectionString: pg.url });
  try {
    await c.connect();
    const rows = (
      await c.query<{ name: string; value: string }>(
        `SELECT name, current_setting(name) AS value FROM pg_settings
         WHERE name IN ('wal_buffers', 'shared_buffers', 'fsync', 'full_page_writes', 'synchronous_commit')`,
      )
    ).rows;
    assert.equal(Object.fromEntries(rows.map((r) => [r.name, r.value])), {
      fsync: 'on',
      full_page_writes: 'on',
      shared_buffers: '128MB',
      synchronous_commit: 'on',
      wal_buffers: '16MB',
    });
    const store = await PostgresStore.open({ url: pg.url });
    await store.close();
  } finally {
    await c.end();
    await pg.stop();
  }
});

test.run();
