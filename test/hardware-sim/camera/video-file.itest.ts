/** A video file through the same streaming ffmpeg capture as the real camera. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import type { Frame } from '../../../firmware/ports/frame-source.ts';
import { videoFileSource } from '../../../hardware-sim/camera/video-file.ts';

test('plays a video file in real time, looping, at the requested size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-video-'));
  const file = join(dir, 'clip.mkv');
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=256x192:rate=25:duration=0.4',
    '-c:v',
    'ffv1',
    file,
  ]);
  const src = videoFileSource({
    path: file,
    width: 128,
    height: 96,
    clock: systemClock,
    log: createLogger({ sink: new MemorySink(), level: 'debug' }),
  });
  const frames: Frame[] = [];
  const t0 = performance.now();
  for await (const f of src.frames()) {
    frames.push(f);
    if (frames.length === 20) break; // 10 frames in the file: it looped
  }
  const ms = performance.now() - t0;
  assert.ok(ms > 500, `${ms} ms`);
  assert.ok(frames.every((f) => f.width === 128 && f.data.length === 128 * 96 * 3));
  assert.is(src.stats().restarts, 0);
  await src.close();
});

test.run();
