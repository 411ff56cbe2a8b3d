/** NewestSlot: newest wins, replaced items are discarded and counted, end() vs close(), aborts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../firmware/core/errors.ts';
import { NewestSlot } from '../../../firmware/core/newest-slot.ts';

test('the newest item wins; replaced ones go to discard and count as dropped', async () => {
  const discarded: number[] = [];
  const slot = new NewestSlot<number>({ discard: (n) => discarded.push(n) });
  slot.put(1);
  slot.put(2);
  slot.put(3);
  assert.is(await slot.take(), 3);
  assert.equal(discarded, [1, 2]);
  assert.is(slot.dropped, 2);
  const waiting = slot.take();
  slot.put(4);
  assert.is(await waiting, 4, 'a waiting consumer gets the item directly');
  assert.is(slot.dropped, 2);
});

test('end(): the held item can still be taken, then undefined; later puts are discarded', async () => {
  const discarded: number[] = [];
  const slot = new NewestSlot<number>({ discard: (n) => discarded.push(n) });
  slot.put(7);
  slot.end();
  assert.is(await slot.take(), 7);
  assert.is(await slot.take(), undefined);
  slot.put(8);
  assert.equal(discarded, [8]);
  const empty = new NewestSlot<number>();
  const waiting = empty.take();
  empty.end();
  assert.is(await waiting, undefined, 'a waiter learns at once that nothing more comes');
});

test('close() discards the held item and ends waits; clear() lets go without counting a drop', async () => {
  const discarded: number[] = [];
  const slot = new NewestSlot<number>({ discard: (n) => discarded.push(n) });
  slot.put(1);
  slot.clear();
  assert.is(slot.dropped, 0);
  assert.equal(discarded, [1]);
  slot.put(2);
  slot.close();
  assert.equal(discarded, [1, 2]);
  assert.is(await slot.take(), undefined);
  assert.ok(slot.closed);
});

test('an aborted wait rejects with CancelledError and leaves the slot usable', async () => {
  const slot = new NewestSlot<number>({ what: 'frame wait' });
  const ac = new AbortController();
  const w = slot.take(ac.signal);
  ac.abort();
  try {
    await w;
    assert.unreachable('should reject');
  } catch (err) {
    assert.instance(err, CancelledError);
  }
  await slot.take(ac.signal).then(
    () => assert.unreachable('already aborted'),
    (err: unknown) => assert.instance(err, CancelledError),
  );
  slot.put(5);
  assert.is(await slot.take(), 5);
});

test.run();
