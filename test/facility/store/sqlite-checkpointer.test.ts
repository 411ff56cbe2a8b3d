/**
 * The SQLite store's WAL checkpoints run in their own thread (sqlite-checkpointer-thread.ts), not
 * in the commit that crosses SQLite's 1,000 WAL pages: a commit writes WAL frames only, and the
 * checkpointer copies them into the database file beside the commits. Seen failing: with the
 * commits' threshold left at SQLite's 1,000 pages (no BACKSTOP_PAGES) the first test finds the
 * database file rewritten by the commits; with the commits' threshold at 10,000 pages the WAL file
 * grows to 27.7 MB in the second (a stream of commits beside a concurrent checkpointer seldom lets
 * the WAL restart); with the checkpointer's checkpoint() call removed the third never sees the
 * database file change.
 * The fallback and the close's deadline run against checkpointer threads injected through
 * `startCheckpointer`: one that fails at once, one that crashes, one that never ends. Seen failing:
 * with giveBack's setAutocheckpoint removed the commits kept the 2,000-page backstop (the fallback
 * tests found 2000 pages); with the close waiting for
 * the checkpointer without a deadline the stuck-thread test hit its 60 s bound.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { newChallenge } from '../../../facility/service/challenge-value.ts';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { BACKSTOP_PAGES, SQLITE_DEFAULT_PAGES, SqliteThreadStore } from '../../../facility/store/sqlite-thread-store.ts';
import { emptyBatch, type WriteBatch } from '../../../facility/store/store.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

const T0 = Date.parse('2026-12-07T09:00:00Z');
const BATCH = 40;
/** 1,200 results with their challenges: well over SQLite's 1,000 WAL pages. */
const BATCHES = 30;
const HOUR = 3_600_000;
const STREAM_BATCHES = 100;

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function batch(n: number): WriteBatch {
  const b = emptyBatch();
  for (let k = n * BATCH; k < (n + 1) * BATCH; k++) {
    const at = T0 + k * 5;
    const readerId = `reader-${String(k % 200).padStart(4, '0')}`;
    const serial = randomBytes(8).toString('hex');
    const challenge = newChallenge(at);
    b.challenges.push({
      challenge,
      facilityId: 'clinic-a',
      readerId,
      visitId: `v${k}`,
      certificateSerial: serial,
      issuedAt: at,
      expiresAt: at + 300_000,
      redeemedAt: undefined,
      usedBy: undefined,
      qualification: '{}',
    });
    const receivedAt = at + 1000;
    const id = uuidv7(receivedAt);
    b.results.push({
      id,
      facilityId: 'clinic-a',
      readerId,
      visitId: `v${k}`,
      outcome: 'accepted',
      method: 'pin',
      certificateSerial: serial,
      challenge,
      finishedAt: receivedAt - 500,
      receivedAt,
      payload: JSON.stringify({ id, certificate: randomBytes(1200).toString('base64'), signature: randomBytes(256).toString('base64') }),
      verified: true,
      consent: undefined,
    });
  }
  return b;
}

test("with the checkpointer running, commits past 1,000 WAL pages (SQLite's own threshold) do not write the database file", async () => {
  const dir = tmp('kao-sqlite-ckpt-');
  const path = join(dir, 'facility.db');
  const store = await SqliteThreadStore.open(path, { checkpointEveryMs: HOUR }); // started, never due in this test
  try {
    const before = digest(path);
    const walBefore = statSync(`${path}-wal`).size;
    const frames = (): number => (statSync(`${path}-wal`).size - walBefore) / (24 + 4096);
    // Bounded: a WAL restarted by a commit's checkpoint stops growing, and the check below says so.
    for (let n = 0; frames() <= 1100 && n < STREAM_BATCHES; n++)
      assert.equal([...new Set((await store.commit(batch(n))).values())], ['stored']);
    assert.ok(frames() > 1100, `${frames()} WAL frames after ${STREAM_BATCHES} batches: the WAL stopped growing (a commit checkpointed)`);
    assert.ok(frames() < BACKSTOP_PAGES, `${frames()} WAL frames: past SQLite's own threshold, short of the backstop`);
    assert.equal(digest(path), before, 'a commit checkpointed: the database file changed');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stream of commits beside the checkpointer keeps the WAL file under 16 MB (the backstop lets it restart)', async () => {
  const dir = tmp('kao-sqlite-ckpt-');
  const path = join(dir, 'facility.db');
  const store = await SqliteThreadStore.open(path);
  try {
    for (let n = 0; n < STREAM_BATCHES; n++) await store.commit(batch(n)); // ≈ 4,000 results with their challenges: over 10,000 WAL pages
    const mb = statSync(`${path}-wal`).size / 1e6;
    assert.ok(mb < 16, `the WAL file grew to ${mb.toFixed(1)} MB`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the checkpointer copies committed WAL pages into the database file; what was committed reads back after reopening', async () => {
  const dir = tmp('kao-sqlite-ckpt-');
  const path = join(dir, 'facility.db');
  const store = await SqliteThreadStore.open(path, { checkpointEveryMs: 10 });
  try {
    const before = digest(path);
    for (let n = 0; n < BATCHES; n++) await store.commit(batch(n));
    // Waits for the state, not for a time: the bound only stops a broken checkpointer's test.
    for (let waited = 0; digest(path) === before && waited < 20_000; waited += 50) await sleep(50);
    assert.not.equal(digest(path), before, 'the database file never changed: nothing was checkpointed');
  } finally {
    await store.close();
  }
  const again = await SqliteThreadStore.open(path, { checkpointEveryMs: false });
  assert.equal((await again.counts()).results, BATCH * BATCHES);
  await again.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A checkpointer thread of our own (the store speaks to it as to its real one: CheckpointerReply). */
const thread = (body: string) => (): Worker =>
  new Worker(`const { parentPort: port } = require('node:worker_threads'); port.postMessage({ kind: 'ready' }); ${body}`, { eval: true });

for (const [what, body] of [
  ['says it failed', `port.postMessage({ kind: 'failed', message: 'disk I/O error' }); port.close();`],
  ['crashes', `setTimeout(() => { throw new Error('checkpointer crashed'); }, 10);`],
] as const)
  test(`a checkpointer thread that ${what}: the commits checkpoint again past SQLite's 1,000 pages, and the log says so`, async () => {
    const dir = tmp('kao-sqlite-ckpt-');
    const path = join(dir, 'facility.db');
    const sink = new MemorySink();
    const store = await SqliteThreadStore.open(path, {
      startCheckpointer: thread(body),
      log: createLogger({ sink, level: 'warn' }),
    });
    try {
      // Waits for the state, not for a time: the bound only stops a broken fallback's test.
      for (let waited = 0; (await store.pragmas()).autocheckpointPages !== SQLITE_DEFAULT_PAGES && waited < 20_000; waited += 20)
        await sleep(20);
      assert.is((await store.pragmas()).autocheckpointPages, SQLITE_DEFAULT_PAGES);
      assert.ok(
        sink.records().some((r) => r['level'] === 'error' && String(r['msg']).includes('checkpointer thread failed')),
        sink.lines.join('\n'),
      );
      const before = digest(path);
      for (let n = 0; n < BATCHES; n++) await store.commit(batch(n)); // past 1,000 WAL pages
      assert.not.equal(digest(path), before, 'no commit checkpointed: the database file never changed');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('a checkpointer thread that never ends: close gives up on it after closeTimeoutMs with a typed error in the log, and loses nothing', async () => {
  const dir = tmp('kao-sqlite-ckpt-');
  const path = join(dir, 'facility.db');
  const sink = new MemorySink();
  const store = await SqliteThreadStore.open(path, {
    startCheckpointer: thread(`setInterval(() => undefined, 1000); port.on('message', () => undefined);`),
    log: createLogger({ sink, level: 'warn' }),
    closeTimeoutMs: 200,
  });
  for (let n = 0; n < 3; n++) await store.commit(batch(n));
  let bound: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    store.close().then(() => 'closed'),
    new Promise<string>((resolve) => (bound = setTimeout(() => resolve('still waiting after 60 s'), 60_000))), // a hang's bound, not a timing target
  ]);
  clearTimeout(bound);
  assert.is(closed, 'closed');
  const stuck = sink.records().find((r) => (r['err'] as { code?: unknown } | undefined)?.code === 'STORE_CHECKPOINTER_STUCK');
  assert.ok(stuck, sink.lines.join('\n'));
  const again = await SqliteThreadStore.open(path, { checkpointEveryMs: false });
  assert.is((await again.counts()).results, 3 * BATCH);
  await again.close();
  rmSync(dir, { recursive: true, force: true });
});

test.run();
