/**
 * What a batch costs the PostgreSQL server, read from the server's own accounting of a private
 * PostgreSQL started for this file (pg_stat_statements: blocks touched per call; relation sizes):
 * a plan frozen while the tables were empty must not turn into a scan of every stored result once
 * there are thousands, and a result's payload stays in its row (no TOAST detour per result).
 */
import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pgLib from 'pg';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { PostgresStore } from '../../../facility/store/postgres-store.ts';
import { emptyBatch, type ResultRow } from '../../../facility/store/store.ts';
import { startPostgres } from '../../../hardware-sim/facility/postgres.ts';

const ROWS = 20_000;
// autovacuum off: its ANALYZE would replan whatever was cached, hiding a frozen plan.
const pg = await startPostgres({ settings: { shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off' } });

test("a batch's lookups stay index probes when results grows from empty (no plan kept from when it was small)", async () => {
  const admin = new pgLib.Client({ connectionString: pg.url });
  // One connection: every execution of each lookup runs on it (a plan cached per connection is reused).
  const store = await PostgresStore.open({ url: pg.url, poolSize: 1 });
  try {
    await admin.connect();
    await admin.query('CREATE EXTENSION pg_stat_statements');
    const some = (n: number): string[] => Array.from({ length: n }, () => randomBytes(16).toString('hex'));
    for (let i = 0; i < 10; i++) await store.lookupResults(some(20), some(20)); // the tables still empty
    await admin.query(
      `INSERT INTO challenges (challenge, facility_id, reader_id, visit_id, certificate_serial, issued_at, expires_at)
       SELECT 'ch-' || g, 'clinic-p', 'reader-p', 'v-' || g, 'ab12', 1, 2 FROM generate_series(1, $1::integer) g`,
      [ROWS],
    );
    await admin.query(
      `INSERT INTO results (id, facility_id, reader_id, visit_id, outcome, finished_at, received_at, verified, payload, challenge)
       SELECT 'id-' || g, 'clinic-p', 'reader-p', 'v-' || g, 'accepted', 1, 2, 1, repeat('x', 300), 'ch-' || g FROM generate_series(1, $1::integer) g`,
      [ROWS],
    );
    const pages = Number((await admin.query<{ p: string }>(`SELECT pg_relation_size('results') / 8192 AS p`)).rows[0]?.p);
    await admin.query('SELECT pg_stat_statements_reset()');
    const found = await store.lookupResults(
      Array.from({ length: 20 }, (_, i) => `id-${i * 997 + 1}`),
      Array.from({ length: 20 }, (_, i) => `ch-${i * 991 + 1}`),
    );
    assert.is(found.stored.size, 20, 'the lookup still finds what is stored');
    assert.is(found.challenges.size, 20);
    for (let i = 0; i < 4; i++) await store.lookupResults(some(20), some(20));
    const stats = (
      await admin.query<{ query: string; calls: string; blocks: string }>(
        `SELECT query, calls, shared_blks_hit + shared_blks_read AS blocks FROM pg_stat_statements
         WHERE query LIKE '%FROM results WHERE id = ANY%' OR query LIKE '%AS used_by%'`,
      )
    ).rows;
    assert.is(stats.length, 2, `both lookups accounted: ${stats.map((s) => s.query).join(' | ')}`);
    for (const s of stats) {
      const perCall = Number(s.blocks) / Number(s.calls);
      assert.ok(
        perCall < pages / 10,
        `${s.query.slice(0, 50)}…: ${perCall} blocks per call, the results table has ${pages} pages (a scan, not index probes)`,
      );
    }
  } finally {
    await admin.end();
    await store.close();
  }
});

test("a result's payload as readers send it (≈ 2 KB of base64, incompressible) stays in its row: nothing goes to TOAST", async () => {
  const store = await PostgresStore.open({ url: pg.url });
  const admin = new pgLib.Client({ connectionString: pg.url });
  try {
    await admin.connect();
    const rows: ResultRow[] = Array.from({ length: 50 }, (_, i) => ({
      id: uuidv7(),
      facilityId: 'clinic-t',
      readerId: `reader-t${i % 5}`,
      visitId: `v-${i}`,
      outcome: 'accepted',
      method: 'pin',
      certificateSerial: randomBytes(8).toString('hex'),
      challenge: randomBytes(32).toString('base64url'),
      finishedAt: 1,
      receivedAt: 2 + i,
      payload: JSON.stringify({ certificate: randomBytes(1250).toString('base64'), signature: randomBytes(256).toString('base64') }),
      verified: true,
    }));
    assert.ok((rows[0]?.payload.length ?? 0) > 2000, 'a payload the size of a real result (2,027 bytes in the facility bench)');
    const b = emptyBatch();
    b.results.push(...rows);
    const fates = await store.commit(b);
    assert.ok(
      rows.every((r) => fates.get(r.id) === 'stored'),
      'all stored',
    );
    const toast = (
      await admin.query<{ bytes: string; rows: string }>(
        `SELECT pg_relation_size(reltoastrelid) AS bytes, (SELECT COUNT(*) FROM results WHERE facility_id = 'clinic-t') AS rows
         FROM pg_class WHERE relname = 'results'`,
      )
    ).rows[0];
    assert.is(Number(toast?.rows), 50);
    assert.is(Number(toast?.bytes), 0, 'the results TOAST table stays empty');
    const back = await store.recentResults('clinic-t', 50);
    assert.equal(new Set(back.map((r) => JSON.stringify(r))), new Set(rows.map((r) => r.payload)), 'every payload reads back whole');
  } finally {
    await admin.end();
    await store.close();
  }
});

test.after(async () => {
  await pg.stop();
});
test.run();
