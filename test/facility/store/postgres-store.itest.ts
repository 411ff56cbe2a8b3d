/**
 * The PostgreSQL facility store against a real PostgreSQL from Debian that this test starts in a
 * temporary folder (initdb, pg_ctl, Unix socket, free port) and removes: the same contract as
 * SQLite, plus migrations under concurrent opens and durable commits.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIGRATIONS } from '../../../facility/store/migrations.ts';
import pgLib from 'pg';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { PostgresStore } from '../../../facility/store/postgres-store.ts';
import { emptyBatch, type ResultRow } from '../../../facility/store/store.ts';
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
  for (const s of stores)
    assert.equal(
      await s.versions(),
      MIGRATIONS.map((m) => m.version),
    );
  for (const s of stores) await s.close();
});

test("a conflict the statement cannot see (another service's transaction, committed while it waited) is settled against what is committed", async () => {
  const store = await PostgresStore.open({ url: pg.url });
  const other = new pgLib.Client({ connectionString: pg.url });
  await other.connect();
  try {
    const challenge = 'c0'.repeat(32);
    await other.query(
      `INSERT INTO challenges (challenge, facility_id, reader_id, visit_id, certificate_serial, issued_at, expires_at) VALUES ($1, 'clinic-r', 'reader-r', 'v1', 'ab12', 1, 2)`,
      [challenge],
    );
    const row = (id: string, ch: string | undefined): ResultRow => ({
      id,
      facilityId: 'clinic-r',
      readerId: 'reader-r',
      visitId: 'v1',
      outcome: 'accepted',
      method: 'pin',
      certificateSerial: 'ab12',
      challenge: ch,
      finishedAt: 1,
      receivedAt: 2,
      payload: '{}',
      verified: true,
    });
    const same = row(uuidv7(), undefined);
    const usedElsewhere = row(uuidv7(), challenge);
    // The other service holds both conflicts uncommitted; our statement starts (its snapshot
    // without them), waits on them, and finds them committed when it goes on.
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO results (id, facility_id, reader_id, visit_id, outcome, finished_at, received_at, verified, payload, challenge) VALUES ($1, 'clinic-r', 'reader-r', 'v1', 'accepted', 1, 2, 1, '{}', NULL), ($2, 'clinic-r', 'reader-r', 'v1', 'accepted', 1, 2, 1, '{}', $3)`,
      [same.id, uuidv7(), challenge],
    );
    const b = emptyBatch();
    b.results.push(same, usedElsewhere);
    const pending = store.commit(b);
    await new Promise((r) => setTimeout(r, 300));
    await other.query('COMMIT');
    const fates = await pending;
    assert.is(fates.get(same.id), 'duplicate');
    assert.is(fates.get(usedElsewhere.id), 'replayed');
    assert.is((await store.refusedResults([usedElsewhere.id, same.id])).get(usedElsewhere.id), 'CHALLENGE_REPLAYED');
    assert.is((await store.refusedResults([same.id])).size, 0, 'a duplicate is not refused');
  } finally {
    await other.end();
    await store.close();
  }
});

test('a batch of results resolves only once its statement committed (held up by a lock another transaction holds)', async () => {
  const store = await PostgresStore.open({ url: pg.url });
  const other = new pgLib.Client({ connectionString: pg.url });
  await other.connect();
  try {
    const reader = `reader-lock-${Date.now().toString(16)}`;
    await other.query(`INSERT INTO readers (reader_id, facility_id, last_seen_at) VALUES ($1, 'clinic-k', 1)`, [reader]);
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM readers WHERE reader_id = $1 FOR UPDATE', [reader]); // the batch's "last result" row
    const r: ResultRow = {
      id: uuidv7(),
      facilityId: 'clinic-k',
      readerId: reader,
      visitId: 'v1',
      outcome: 'accepted',
      method: 'pin',
      certificateSerial: 'ab12',
      challenge: undefined,
      finishedAt: 1,
      receivedAt: 2,
      payload: '{}',
      verified: true,
    };
    const b = emptyBatch();
    b.results.push(r);
    let settled = false;
    const pending = store.commit(b).finally(() => {
      settled = true;
    });
    await new Promise((res) => setTimeout(res, 500));
    assert.not.ok(settled, 'not resolved while its statement waits');
    assert.is((await other.query('SELECT id FROM results WHERE id = $1', [r.id])).rowCount, 0, 'nothing visible yet');
    await other.query('COMMIT');
    assert.is((await pending).get(r.id), 'stored');
    assert.is((await store.storedResults([r.id])).size, 1);
  } finally {
    await other.end();
    await store.close();
  }
});

test.after(async () => {
  await pg.stop();
});
test.run();
