/**
 * FrameFeed on a real SimDisplay and sinon's fake clock: frames numbered as written, a waiting
 * request answered by the next frame (a PNG of it), a timeout answered empty, and the delay
 * display write → drawn counted for every frame up to the one drawn, a page's first frame not.
 */
import sharp from 'sharp';
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimDisplay } from '../../../../hardware-sim/display/sim-display.ts';
import { FrameFeed } from '../../../../cli/simulator/console/frame-feed.ts';
import type { Clock, TimerHandle } from '../../../../firmware/ports/clock.ts';

function fakeClock(): { clock: Clock; timers: sinon.SinonFakeTimers } {
  const timers = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const clock: Clock = {
    now: () => Date.now(),
    monotonic: () => Date.now(),
    setTimeout: (fn, ms): TimerHandle => {
      const t = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(t) };
    },
  } as Clock;
  return { clock, timers };
}

const frame = (d: SimDisplay, v: number): Promise<void> => d.show(new Uint8Array(d.geometry.stride * d.geometry.height).fill(v));

test('a waiting request gets the next frame as PNG; one that waits too long gets nothing', async () => {
  const { clock, timers } = fakeClock();
  try {
    const d = new SimDisplay(8, 4, 'XRGB8888');
    const feed = new FrameFeed(clock);
    feed.attach(d);
    const none = feed.next(0, 1000, new AbortController().signal);
    await timers.tickAsync(1001);
    assert.is(await none, undefined);
    const waiting = feed.next(0, 1000, new AbortController().signal);
    await frame(d, 0x40);
    const f = await waiting;
    assert.is(f?.seq, 1);
    assert.is(f?.at, 1_001_001);
    const meta = await sharp(f?.png).metadata();
    assert.equal([meta.format, meta.width, meta.height], ['png', 8, 4]);
    assert.is((await feed.next(0, 1000, new AbortController().signal))?.seq, 1, 'a frame newer than `after` is answered at once');
    feed.close();
  } finally {
    timers.restore();
  }
});

test("the PNG is the display's pixels as RGB without alpha; a screen capture of the newest frame reuses its encoding", async () => {
  const d = new SimDisplay(8, 4, 'XRGB8888');
  const clock: Clock = {
    now: () => 0,
    monotonic: () => 0,
    setTimeout: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
  const feed = new FrameFeed(clock);
  const seen: { seq: number; at: number; bytes: Buffer; geometry: SimDisplay['geometry'] }[] = [];
  feed.listen((f) => seen.push(f));
  feed.attach(d);
  // XRGB8888 little-endian: B, G, R, X in memory
  await d.show(new Uint8Array(d.geometry.stride * d.geometry.height).map((_, i) => [0x10, 0x20, 0x30, 0x00][i % 4] as number));
  const live = await feed.current();
  const { data, info } = await sharp(live?.png).raw().toBuffer({ resolveWithObject: true });
  assert.is(info.channels, 3, 'no alpha channel');
  assert.equal([...data.subarray(0, 6)], [0x30, 0x20, 0x10, 0x30, 0x20, 0x10]);
  assert.ok((await feed.png(seen[0] as (typeof seen)[number])) === live?.png, 'one encoding for the live view and the capture');
  await d.show(new Uint8Array(d.geometry.stride * d.geometry.height));
  const older = await feed.png(seen[0] as (typeof seen)[number]);
  assert.ok(older !== live?.png && older.equals(live?.png ?? Buffer.alloc(0)), 'an older frame is encoded again, the same');
  feed.close();
});

test('a browser that has the previous frame gets only what changed, at its place; drawn over its frame it is the new frame', async () => {
  const clock: Clock = {
    now: () => 0,
    monotonic: () => 0,
    setTimeout: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
  const d = new SimDisplay(64, 40, 'XRGB8888');
  const feed = new FrameFeed(clock);
  feed.attach(d);
  const signal = new AbortController().signal;
  const first = new Uint8Array(d.geometry.stride * d.geometry.height).map((_, i) => (i * 7) % 251);
  await d.show(first);
  const whole = await feed.next(0, 1000, signal);
  assert.is(whole?.rect, undefined, 'a page with no frame gets the whole frame');
  const second = Uint8Array.from(first);
  for (let y = 10; y < 14; y++)
    for (let x = 20; x < 29; x++) second.fill(0xee, y * d.geometry.stride + x * 4, y * d.geometry.stride + x * 4 + 3);
  await d.show(second);
  const patch = await feed.next(1, 1000, signal);
  assert.equal(patch?.rect, { x: 20, y: 10, w: 9, h: 4 });
  assert.equal([patch?.width, patch?.height], [64, 40], 'the size of the whole screen');
  // sharp's composite gives RGBA: compare with the whole second frame with alpha
  const drawn = await sharp(whole?.png)
    .composite([{ input: patch?.png, left: 20, top: 10 }])
    .raw()
    .toBuffer();
  const full = await sharp((await feed.current())?.png)
    .ensureAlpha()
    .raw()
    .toBuffer();
  assert.ok(drawn.equals(full), 'the first frame with the patch drawn on it is the second frame');
  await d.show(new Uint8Array(d.geometry.stride * d.geometry.height));
  assert.is((await feed.next(2, 1000, signal))?.rect, undefined, 'a change over half the screen goes whole');
  feed.close();
});

test('delay: every frame up to the one drawn counts from its own write; a first frame does not count', async () => {
  const { clock, timers } = fakeClock();
  try {
    const d = new SimDisplay(8, 4, 'XRGB8888');
    const feed = new FrameFeed(clock);
    feed.attach(d);
    await frame(d, 1); // seq 1 at t
    const t = Date.now();
    feed.drawn(1, 0, t + 5_000); // the page opened later: not a delay
    assert.is(feed.latency().n, 0);
    await timers.tickAsync(10);
    await frame(d, 2); // seq 2 at t+10
    await timers.tickAsync(10);
    await frame(d, 3); // seq 3 at t+20, replaced 2 before it was sent
    feed.drawn(3, 1, t + 50);
    const l = feed.latency();
    assert.equal([l.n, l.frames, l.drawn], [2, 3, 2]);
    assert.equal([l.p50, l.max], [40, 40], 'frame 2: t+10 → t+50; frame 3: t+20 → t+50');
    feed.drawn(2, 1, t + 60);
    assert.is(feed.latency().n, 2, 'an older frame reported late changes nothing');
    feed.close();
  } finally {
    timers.restore();
  }
});

test('a detached display is not followed; close answers waiting requests', async () => {
  const { clock, timers } = fakeClock();
  try {
    const a = new SimDisplay(8, 4, 'XRGB8888');
    const b = new SimDisplay(8, 4, 'XRGB8888');
    const feed = new FrameFeed(clock);
    feed.attach(a);
    feed.attach(b);
    await frame(a, 1);
    assert.is(feed.latency().frames, 0, 'the first display is no longer followed');
    await frame(b, 1);
    assert.is(feed.latency().frames, 1);
    const waiting = feed.next(1, 60_000, new AbortController().signal);
    feed.close();
    assert.is((await waiting)?.seq, 1);
  } finally {
    timers.restore();
  }
});

test.run();
