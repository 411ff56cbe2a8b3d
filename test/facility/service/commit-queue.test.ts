/**
 * The group commit, pipelined two deep, on a real SQLite store whose commits the test holds back:
 * the next batch is prepared while the previous one commits, batches commit and settle in order,
 * nothing settles before its commit returned, and a job whose key is in the batch still
 * committing waits for the round after.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { silentLogger } from '../../../firmware/core/logger.ts';
import { CommitQueue, type BatchJob } from '../../../facility/service/commit-queue.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import type { FacilityStore, ResultFate, WriteBatch } from '../../../facility/store/store.ts';

/** The real store, each commit held until the test releases it. */
async function heldStore(): Promise<{ store: FacilityStore; commits: WriteBatch[]; release: () => void; close: () => Promise<void> }> {
  const real = await SqliteStore.open(':memory:');
  const commits: WriteBatch[] = [];
  const gates: (() => void)[] = [];
  let released = 0;
  const store = Object.assign(Object.create(real) as FacilityStore, {
    commit: async (b: WriteBatch): Promise<Map<string, ResultFate>> => {
      commits.push(b);
      if (released > 0) released -= 1;
      else await new Promise<void>((r) => gates.push(r));
      return real.commit(b);
    },
  });
  return {
    store,
    commits,
    release: () => {
      const g = gates.shift();
      if (g) g();
      else released += 1;
    },
    close: () => real.close(),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Job extends BatchJob {
  readonly name: string;
  readonly key: string;
}
function job(name: string, key: string, events: string[]): Job {
  return {
    name,
    key,
    contribute: (b) => {
      b.readers.push({
        readerId: `r-${name}`,
        facilityId: 'f',
        at: 1,
        status: { state: 'online', firmwareVersion: undefined, bootCounter: 1, facilityName: undefined },
      });
    },
    settle: () => {
      events.push(`settle ${name}`);
    },
    fail: (err) => {
      events.push(`fail ${name} ${String(err)}`);
    },
  };
}

/** A queue keyed by the jobs' keys on a held store; each batch prepared is recorded in `events`. */
async function keyedQueue(): Promise<{ s: Awaited<ReturnType<typeof heldStore>>; events: string[]; q: CommitQueue }> {
  const s = await heldStore();
  const events: string[] = [];
  const q = new CommitQueue({
    store: s.store,
    log: silentLogger,
    key: (j) => (j as Job).key,
    prepare: (jobs) => {
      events.push(`prepare ${jobs.map((j) => (j as Job).name).join(',')}`);
      return Promise.resolve();
    },
  });
  return { s, events, q };
}

test('the next batch is prepared while the previous commits; commits and settles stay in order, each after its commit', async () => {
  const { s, events, q } = await keyedQueue();
  q.push(job('a', 'ka', events));
  await until(() => s.commits.length === 1, 'the first commit');
  q.push(job('b', 'kb', events));
  q.push(job('c', 'kc', events));
  await until(() => events.includes('prepare b,c'), 'the second batch prepared');
  assert.equal(events, ['prepare a', 'prepare b,c'], 'b and c prepared while a is still committing; nothing settled');
  assert.is(s.commits.length, 1, 'the second batch is not committed before the first');
  s.release();
  await until(() => s.commits.length === 2, 'the second commit');
  assert.equal(events, ['prepare a', 'prepare b,c', 'settle a'], 'a settled after its commit; b, c not before theirs');
  s.release();
  await q.close();
  assert.equal(events, ['prepare a', 'prepare b,c', 'settle a', 'settle b', 'settle c']);
  await s.close();
});

test('a job whose key is in the batch still committing waits for the next round (prepared against what that batch wrote)', async () => {
  const { s, events, q } = await keyedQueue();
  q.push(job('a', 'same', events));
  await until(() => s.commits.length === 1, 'the first commit');
  q.push(job('a-again', 'same', events));
  q.push(job('other', 'kother', events));
  await until(() => events.includes('prepare other'), 'the unrelated job prepared');
  assert.equal(events, ['prepare a', 'prepare other'], 'the resend of a is held back while a commits');
  s.release();
  s.release();
  await until(() => events.includes('prepare a-again'), 'the resend prepared after a committed');
  s.release();
  await q.close();
  assert.equal(events, ['prepare a', 'prepare other', 'settle a', 'settle other', 'prepare a-again', 'settle a-again']);
  await s.close();
});

test('a failed commit fails its own jobs only; the batch prepared meanwhile commits', async () => {
  const real = await SqliteStore.open(':memory:');
  const events: string[] = [];
  let n = 0;
  const store = Object.assign(Object.create(real) as FacilityStore, {
    commit: (b: WriteBatch) => (++n === 1 ? Promise.reject(new Error('disk full')) : real.commit(b)),
  });
  const q = new CommitQueue({ store, log: silentLogger });
  q.push(job('a', 'ka', events));
  await tick();
  q.push(job('b', 'kb', events));
  await q.close();
  assert.equal(events, ['fail a Error: disk full', 'settle b']);
  assert.is((await real.readers()).length, 1, 'b is in the database, a is not');
  await real.close();
});

test.run();
