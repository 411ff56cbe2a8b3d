/**
 * The simulated camera on virtual time: a consumer analysing a frame in 250 ms takes every 7th or
 * 8th frame of a 30 frames/s scene, and is shown every frame it skipped in between (the port's
 * `skipped` glances), in capture order, before the next one it takes, each zeroed afterwards.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import type { FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';
import { SteppedFrameSource } from '../../../hardware-sim/camera/stepped-frame-source.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import type { Frame } from '../../../firmware/ports/frame-source.ts';

/** Frame n: every byte n (mod 256). */
const scene: FrameRenderer = { width: 4, height: 2, length: Infinity, render: (n, out) => out.fill(n % 256) };

test('every frame the consumer skips is shown to `skipped` before the next it takes, then zeroed', async () => {
  const clock = new ManualClock();
  const source = new SteppedFrameSource(scene, { clock, analysisMs: 250 });
  const seen: { kind: 'skipped' | 'taken'; index: number; at: number }[] = [];
  const held: Frame[] = [];
  const skipped = (f: Frame): void => {
    assert.ok(
      f.data.every((b) => b === (f.sequence - 1) % 256),
      'the skipped frame drawn as captured',
    );
    seen.push({ kind: 'skipped', index: f.sequence - 1, at: f.capturedAt });
    held.push(f);
  };
  let taken = 0;
  for await (const f of source.frames(undefined, { skipped })) {
    seen.push({ kind: 'taken', index: f.sequence - 1, at: f.capturedAt });
    if (++taken === 4) break;
  }
  const indices = seen.map((s) => `${s.kind[0]}${s.index}`).join(' ');
  assert.equal(indices, 't0 s1 s2 s3 s4 s5 s6 t7 s8 s9 s10 s11 s12 s13 s14 t15 s16 s17 s18 s19 s20 s21 t22');
  assert.ok(
    seen.every((s, i) => i === 0 || s.at > seen[i - 1]!.at),
    'capture order',
  );
  assert.ok(
    held.every((f) => f.data.every((b) => b === 0)),
    'skipped frames zeroed once shown',
  );
  assert.equal(source.status().dropped, 19);
});

test('without `skipped`, skipped frames are not drawn at all', async () => {
  const clock = new ManualClock();
  let drawn = 0;
  const counting: FrameRenderer = { ...scene, render: (n, out) => (drawn++, scene.render(n, out)) };
  const source = new SteppedFrameSource(counting, { clock, analysisMs: 250 });
  let taken = 0;
  for await (const f of source.frames()) {
    assert.ok(f);
    if (++taken === 3) break;
  }
  assert.equal(drawn, 3);
});

test.run();
