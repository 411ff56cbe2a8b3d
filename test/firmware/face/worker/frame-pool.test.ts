/**
 * The client's shared frame buffers: a buffer lent to a request comes back only once a reply to a
 * later request arrives (the worker zeroes a frame after posting that frame's own reply), so two
 * buffers alternate while frames follow one another; a buffer of another size is not reused; what
 * was lent is zeroed when the worker is gone.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { FramePool } from '../../../../firmware/face/worker/frame-pool.ts';

const SIZE = 640 * 480 * 3;

test("a buffer is not lent again on its own request's reply, only on a later one's", () => {
  const pool = new FramePool();
  const a = pool.lend(1, SIZE);
  pool.answered(1);
  const b = pool.lend(2, SIZE);
  assert.notEqual(b, a, 'the worker may still be zeroing the first');
  pool.answered(2);
  assert.equal(pool.lend(3, SIZE), a);
  pool.answered(3);
  assert.equal(pool.lend(4, SIZE), b);
});

test('a late reply (after a timeout) frees every buffer lent before it, and none after', () => {
  const pool = new FramePool();
  const a = pool.lend(1, SIZE);
  const b = pool.lend(2, SIZE);
  const c = pool.lend(3, SIZE);
  pool.answered(3);
  const taken = new Set([pool.lend(4, SIZE), pool.lend(5, SIZE)]);
  assert.deepEqual(taken, new Set([a, b]));
  assert.ok(![a, b].includes(pool.lend(6, SIZE)), 'the third request’s buffer is not back');
  assert.notEqual(pool.lend(7, SIZE), c);
});

test('a buffer of another size is not reused', () => {
  const pool = new FramePool();
  const a = pool.lend(1, SIZE);
  pool.lend(2, SIZE);
  pool.answered(3);
  const small = pool.lend(4, 320 * 240 * 3);
  assert.notEqual(small, a);
  assert.equal(small.byteLength, 320 * 240 * 3);
});

test('when the worker is gone, the buffers still lent are zeroed', () => {
  const pool = new FramePool();
  const a = new Uint8Array(pool.lend(1, SIZE));
  a.fill(200);
  pool.clear();
  assert.ok(a.every((v) => v === 0));
  assert.notEqual(pool.lend(2, SIZE), a.buffer);
});

test.run();
