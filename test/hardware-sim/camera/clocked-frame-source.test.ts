/**
 * The simulated real-time camera (scenarios, `npm start`, `bench visit`): a consumer busy for
 * 250 ms between frames of a 30 frames/s scene is shown every frame it skipped (the port's
 * `skipped` glances, which the face attempt times blinks on), in capture order, before the next
 * one it takes, each zeroed afterwards; without `skipped`, a skipped frame is never drawn.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { ClockedFrameSource, type FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import type { Frame, FramesOptions } from '../../../firmware/ports/frame-source.ts';

/** Frame n: every byte n (mod 256). */
const scene: FrameRenderer = { width: 4, height: 2, length: Infinity, render: (n, out) => out.fill(n % 256) };

/** Takes `count` frames, the clock moved on by 250 ms (the consumer busy) between them; what happened, in order. */
async function consume(source: ClockedFrameSource, clock: ManualClock, count: number, options?: FramesOptions): Promise<string[]> {
  const seen: string[] = [];
  const it = source
    .frames(undefined, {
      ...(options?.skipped ? { skipped: (f: Frame) => (seen.push(`s${f.sequence - 1}`), options.skipped?.(f)) } : {}),
    })
    [Symbol.asyncIterator]();
  for (let i = 0; i < count; i++) {
    if (i > 0) clock.advance(250);
    const next = it.next();
    if (i === 0) clock.advance(0);
    const r = await next;
    assert.ok(!r.done);
    seen.push(`t${r.value.sequence - 1}`);
  }
  await it.return?.(undefined);
  return seen;
}

test('every frame the consumer skips is shown to `skipped` as captured, in order, before the next it takes, then zeroed', async () => {
  const clock = new ManualClock();
  const source = new ClockedFrameSource(scene, { clock, fps: 30 });
  const held: Frame[] = [];
  const times: number[] = [];
  const skipped = (f: Frame): void => {
    assert.ok(
      f.data.every((b) => b === (f.sequence - 1) % 256),
      'the skipped frame drawn as captured',
    );
    assert.equal(f.capturedAt, ((f.sequence - 1) * 1000) / 30);
    times.push(f.capturedAt);
    held.push(f);
  };
  const seen = await consume(source, clock, 3, { skipped });
  assert.equal(seen.join(' '), 't0 s1 s2 s3 s4 s5 s6 t7 s8 s9 s10 s11 s12 s13 s14 t15');
  assert.ok(
    times.every((t, i) => i === 0 || t > times[i - 1]!),
    'capture order',
  );
  assert.ok(
    held.every((f) => f.data.every((b) => b === 0)),
    'skipped frames zeroed once shown',
  );
  await source.close();
});

test('without `skipped`, skipped frames are not drawn at all', async () => {
  const clock = new ManualClock();
  let drawn = 0;
  const counting: FrameRenderer = { ...scene, render: (n, out) => (drawn++, scene.render(n, out)) };
  const source = new ClockedFrameSource(counting, { clock, fps: 30 });
  const seen = await consume(source, clock, 3);
  assert.equal(seen.join(' '), 't0 t7 t15');
  assert.equal(drawn, 3);
  assert.equal(source.status().dropped, 13);
  await source.close();
});

test.run();
