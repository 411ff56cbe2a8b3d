/**
 * The real cameras' newest-frame hand-off (ffmpeg, V4L2, libcamera): a frame replaced before the
 * consumer took it is shown to the consumer's `skipped` glance, in arrival order, and zeroed after;
 * without a consumer asking for glances (or once its iteration ended) it is only zeroed.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { SingleConsumer } from '../../../../firmware/platform/camera/frame-iteration.ts';
import { NewestFrameSlot } from '../../../../firmware/platform/camera/newest-frame-slot.ts';
import type { Frame } from '../../../../firmware/ports/frame-source.ts';

const frame = (n: number): Frame => ({
  width: 2,
  height: 1,
  format: 'rgb24',
  data: new Uint8Array(6).fill(n),
  capturedAt: n * 33,
  sequence: n,
});

test('frames replaced untaken are glanced at in arrival order, then zeroed; the newest is taken', async () => {
  const slot = new NewestFrameSlot();
  const consumer = new SingleConsumer();
  const glanced: number[] = [];
  const frames = [1, 2, 3, 4].map(frame);
  const it = consumer.iterate(slot, undefined, undefined, { skipped: (f) => glanced.push(f.data[0]!) })[Symbol.asyncIterator]();
  slot.put(frames[0]!);
  assert.equal((await it.next()).value?.sequence, 1);
  // The consumer is busy: 2 and 3 arrive and are replaced, 4 is the newest.
  for (const f of frames.slice(1)) slot.put(f);
  assert.equal((await it.next()).value?.sequence, 4);
  assert.deepEqual(glanced, [2, 3], 'seen with their pixels, in order');
  assert.ok(frames[1]!.data.every((b) => b === 0) && frames[2]!.data.every((b) => b === 0), 'zeroed after the glance');
  await it.return?.(undefined);
  // The iteration is over: no glance any more, frames are still zeroed.
  const late = [5, 6].map(frame);
  for (const f of late) slot.put(f);
  assert.deepEqual(glanced, [2, 3]);
  assert.ok(late[0]!.data.every((b) => b === 0));
  slot.close();
});

test.run();
