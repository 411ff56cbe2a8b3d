/**
 * The outbox's group-commit queue on its own (no disk: the batch writer records what it was given):
 * frames queued in one turn go out as one batch, acks alone linger until a record comes (or their
 * linger time passes), close writes what lingers at once, a failed batch rejects each of its frames,
 * and while records stream in a batch waits the commit delay for more.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { GroupCommit, type Pending } from '../../../../firmware/facility/outbox/group-commit.ts';

function queue(o: { ackLingerMs?: number; commitDelayMs?: number; streamGapMs?: number; lastSyncEnd?: () => number; fail?: Error } = {}) {
  const batches: string[][] = [];
  const q = new GroupCommit({
    ackLingerMs: o.ackLingerMs ?? 1e9,
    commitDelayMs: o.commitDelayMs ?? 0,
    streamGapMs: o.streamGapMs ?? 20,
    lastSyncEnd: o.lastSyncEnd ?? (() => -Infinity),
    write: async (batch: Pending[]) => {
      batches.push(batch.map((p) => p.frame.toString()));
      for (const p of batch) o.fail ? p.reject(o.fail) : p.resolve();
    },
  });
  return { q, batches };
}

const f = (s: string): Buffer => Buffer.from(s);

test('frames queued in one turn are one batch; the queued bytes count until it is taken', async () => {
  const { q, batches } = queue();
  const done = Promise.all([q.enqueue(f('a')), q.enqueue(f('bb')), q.enqueue(f('ccc'), undefined, false)]);
  assert.equal(q.queuedBytes, 6);
  await done;
  assert.deepEqual(batches, [['a', 'bb', 'ccc']]);
  assert.equal(q.queuedBytes, 0);
  await q.enqueue(f('d'));
  assert.deepEqual(batches, [['a', 'bb', 'ccc'], ['d']]);
});

test('an ack alone lingers and rides with the next record', async () => {
  const { q, batches } = queue();
  let acked = false;
  const ack = q.enqueue(f('ack'), undefined, false).then(() => (acked = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(batches, [], 'nothing written while the ack lingers');
  assert.equal(acked, false);
  await q.enqueue(f('rec'));
  await ack;
  assert.deepEqual(batches, [['ack', 'rec']]);
});

test('a lingering ack is written after its linger time, or at once on close', async () => {
  const timed = queue({ ackLingerMs: 20 });
  await timed.q.enqueue(f('ack'), undefined, false);
  assert.deepEqual(timed.batches, [['ack']]);
  const closing = queue();
  const ack = closing.q.enqueue(f('ack'), undefined, false);
  let bound: NodeJS.Timeout | undefined;
  const stuck = new Promise<string>((r) => (bound = setTimeout(() => r('still lingering after 2 s'), 2_000)));
  assert.equal(await Promise.race([closing.q.close().then(() => 'closed'), stuck]), 'closed');
  clearTimeout(bound);
  await ack;
  assert.deepEqual(closing.batches, [['ack']]);
});

test('a failed batch rejects each of its frames with the error', async () => {
  const boom = new Error('disk gone');
  const { q } = queue({ fail: boom });
  const r = await Promise.allSettled([q.enqueue(f('a')), q.enqueue(f('b'))]);
  assert.deepEqual(
    r.map((x) => x.status),
    ['rejected', 'rejected'],
  );
  assert.ok(r.every((x) => x.status === 'rejected' && x.reason === boom));
});

test('while records stream in, a batch waits the commit delay for more to join', async () => {
  const { q, batches } = queue({ commitDelayMs: 40, streamGapMs: 1e9, lastSyncEnd: () => performance.now() });
  const first = q.enqueue(f('a'));
  await new Promise((r) => setTimeout(r, 10));
  const second = q.enqueue(f('b'));
  await Promise.all([first, second]);
  assert.deepEqual(batches, [['a', 'b']]);
  const lone = queue({ commitDelayMs: 40, streamGapMs: 20 });
  const a = lone.q.enqueue(f('a'));
  await new Promise((r) => setTimeout(r, 10));
  const b = lone.q.enqueue(f('b'));
  await Promise.all([a, b]);
  assert.deepEqual(lone.batches, [['a'], ['b']], 'nothing streaming: written at the next turn');
});

test.run();
