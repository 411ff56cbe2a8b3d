/** EventChannel: fan-out to every subscriber, registered at subscribe(), bounded, ended by close/abort/return. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventChannel } from '../../../firmware/core/event-channel.ts';

const take = async <T>(it: AsyncIterator<T>, n: number): Promise<T[]> => {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
};

test('every subscriber gets every event pushed after subscribe(), initial events first', async () => {
  const ch = new EventChannel<number>();
  const a = ch.subscribe({ initial: [0] });
  const b = ch.subscribe();
  ch.push(1);
  ch.push(2);
  assert.equal(await take(a, 3), [0, 1, 2]);
  assert.equal(await take(b, 2), [1, 2]);
  assert.is(ch.readers, 2);
});

test('a slow subscriber keeps only the newest `capacity` events', async () => {
  const ch = new EventChannel<number>(3);
  const a = ch.subscribe();
  for (let i = 1; i <= 5; i++) ch.push(i);
  ch.close();
  assert.equal(await take(a, 10), [], 'close() ends at once, queued events dropped');
  const b = new EventChannel<number>(3);
  const s = b.subscribe();
  for (let i = 1; i <= 5; i++) b.push(i);
  assert.equal(await take(s, 3), [3, 4, 5]);
});

test('a waiting reader is woken by push, and ended by close()', async () => {
  const ch = new EventChannel<string>();
  const it = ch.subscribe();
  const first = it.next();
  ch.push('tap');
  assert.equal(await first, { value: 'tap', done: false });
  const second = it.next();
  ch.close();
  assert.is((await second).done, true);
  assert.is(ch.readers, 0);
  assert.is((await ch.subscribe().next()).done, true, 'subscribing to a closed channel ends at once');
});

test('abort ends one subscription and unregisters it; break out of for-await unregisters too', async () => {
  const ch = new EventChannel<number>();
  const ac = new AbortController();
  const aborted = ch.subscribe({ signal: ac.signal });
  const other = ch.subscribe();
  const pending = aborted.next();
  ac.abort();
  assert.is((await pending).done, true);
  assert.is(ch.readers, 1);
  ch.push(7);
  for await (const v of other) {
    assert.is(v, 7);
    break;
  }
  assert.is(ch.readers, 0);
  const pre = new AbortController();
  pre.abort();
  assert.is((await ch.subscribe({ signal: pre.signal }).next()).done, true);
  assert.is(ch.readers, 0);
});

test.run();
