/**
 * What a batch costs the PostgreSQL server, read from a private PostgreSQL started for this file
 * (its plans as auto_explain logs them; relation sizes): a batch's reads stay index probes per key
 * however many keys and whatever the statistics (a plan frozen while the tables were empty must
 * not scan every stored result once there are thousands), and a result's payload stays in its
 * row (no TOAST detour per result).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pgLib from 'pg';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { PostgresStore } from '../../../facility/store/postgres-store.ts';
import { emptyBatch, type ResultRow } from '../../../facility/store/store.ts';
import { startPostgres } from '../../../hardware-sim/facility/postgres.ts';

const ROWS = 20_000;
// Every statement's plan in the server's log (auto_explain); autovacuum off: its ANALYZE would
// replan whatever was cached, hiding a frozen plan (the test runs ANALYZE itself where it wants one).
const pg = await startPostgres({
  settings: { shared_preload_libraries: 'auto_explain', 'auto_explain.log_min_duration': '0', autovacuum: 'off' },
});
const log = join(pg.dir, 'server.log');

/** The plans logged since `from` (a byte offset in the server's log), each with its statement's text. */
async function plansSince(from: number): Promise<string[]> {
  const text = (await readFile(log)).subarray(from).toString('utf8');
  return text.split(/^.*LOG: {2}duration: [\d.]+ ms {2}plan:$/m).filter((entry) => entry.includes('Query Text:'));
}

test("a batch's lookups are index probes per key whatever the tables' statistics (empty, stale, or analyzed with 500 keys)", async () => {
  const admin = new pgLib.Client({ connectionString: pg.url });
  // One connection: every execution of each lookup runs on it (a plan cached per connection is reused).
  const store = await PostgresStore.open({ url: pg.url, poolSize: 1 });
  try {
    await admin.connect();
    const some = (n: number): string[] => Array.from({ length: n }, () => randomBytes(16).toString('hex'));
    for (let i = 0; i < 10; i++) await store.lookupResults(some(20), some(20)); // the tables still empty
    await admin.query(
      `INSERT INTO challenges (challenge, facility_id, reader_id, visit_id, certificate_serial, issued_at, expires_at, qualification)
       SELECT 'ch-' || g, 'clinic-p', 'reader-p', 'v-' || g, 'ab12', 1, 2, repeat('q', 400) FROM generate_series(1, $1::integer) g`,
      [ROWS],
    );
    await admin.query(
      `INSERT INTO results (id, facility_id, reader_id, visit_id, outcome, finished_at, received_at, verified, payload, challenge)
       SELECT 'id-' || g, 'clinic-p', 'reader-p', 'v-' || g, 'accepted', 1, 2, 1, repeat('x', 300), 'ch-' || g FROM generate_series(1, $1::integer) g`,
      [ROWS],
    );
    await admin.query(
      `INSERT INTO refusals (id, facility_id, reader_id, kind, code, detail, at, result_id)
       SELECT 'refusal-' || g, 'clinic-p', 'reader-p', 'result', 'SIGNATURE_INVALID', 'forged', g, 'refused-' || g FROM generate_series(1, $1::integer) g`,
      [ROWS / 10],
    );
    const keys = (n: number, step: number): { ids: string[]; challenges: string[] } => ({
      ids: Array.from({ length: n }, (_, i) => `id-${((i * step) % ROWS) + 1}`),
      challenges: Array.from({ length: n }, (_, i) => `ch-${((i * step) % ROWS) + 1}`),
    });
    const check = async (what: string, n: number): Promise<void> => {
      const from = (await stat(log)).size;
      const k = keys(n, 37);
      const found = await store.lookupResults(k.ids, k.challenges);
      assert.is(found.stored.size, n, `${what}: every stored id found`);
      assert.is(found.challenges.size, n, `${what}: every challenge found`);
      assert.ok(
        [...found.challenges.values()].every((c) => c.usedBy !== undefined),
        `${what}: each challenge's result found`,
      );
      const plans = await plansSince(from); // nothing else runs meanwhile
      assert.is(plans.length, 2, `${what}: both lookups' plans logged`);
      for (const plan of plans)
        assert.not.match(plan, /Seq Scan on (results|challenges|refusals)/, `${what}: a table scanned per batch:\n${plan.slice(0, 1500)}`);
    };
    await check('statistics from when the tables were empty', 20);
    await admin.query('ANALYZE');
    await check('500 keys, fresh statistics', 500);
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
