import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ffmpegArgs } from '../../../../firmware/platform/camera/ffmpeg-input.ts';
import { CameraConfigError } from '../../../../firmware/platform/camera/errors.ts';
import { NewestFrameSlot } from '../../../../firmware/platform/camera/newest-frame-slot.ts';
import { RawFrameParser } from '../../../../firmware/platform/camera/raw-frame-parser.ts';
import { CancelledError } from '../../../../firmware/core/errors.ts';
import type { Frame } from '../../../../firmware/ports/frame-source.ts';

function stream(frames: number, bytes: number): Uint8Array {
  const s = new Uint8Array(frames * bytes);
  for (let i = 0; i < s.length; i++) s[i] = (Math.floor(i / bytes) * 7 + i) & 0xff;
  return s;
}

test('frames cut right across any chunking, chunks zeroed, one frame of memory', () => {
  const bytes = 4 * 3 * 3;
  const all = stream(5, bytes);
  for (const chunkSize of [1, 7, bytes, bytes + 1, 3 * bytes - 2, all.length]) {
    const got: Uint8Array[] = [];
    const p = new RawFrameParser(4, 3, 3, (d) => got.push(d));
    for (let off = 0; off < all.length; off += chunkSize) {
      const chunk = all.slice(off, off + chunkSize);
      p.push(chunk);
      assert.ok(
        chunk.every((b) => b === 0),
        'chunk wiped',
      );
      assert.ok(p.pending < bytes);
    }
    assert.is(got.length, 5, `chunk ${chunkSize}`);
    got.forEach((f, i) => assert.equal([...f], [...all.subarray(i * bytes, (i + 1) * bytes)]));
  }
});

test('reset drops a torn frame', () => {
  const got: Uint8Array[] = [];
  const p = new RawFrameParser(2, 2, 3, (d) => got.push(d));
  p.push(new Uint8Array(5).fill(9));
  p.reset();
  p.push(new Uint8Array(12).fill(1));
  assert.is(got.length, 1);
  assert.ok(got[0]?.every((b) => b === 1));
});

const frame = (n: number): Frame => ({ width: 1, height: 1, format: 'rgb24', data: new Uint8Array([n, n, n]), capturedAt: n, sequence: n });

test('slot keeps only the newest frame, counts and wipes dropped ones', async () => {
  const slot = new NewestFrameSlot();
  const a = frame(1);
  slot.put(a);
  slot.put(frame(2));
  slot.put(frame(3));
  assert.is(slot.dropped, 2);
  assert.ok(a.data.every((b) => b === 0));
  assert.is((await slot.take())?.sequence, 3);
  const waiting = slot.take();
  slot.put(frame(4));
  assert.is((await waiting)?.sequence, 4);
  slot.close();
  assert.is(await slot.take(), undefined);
});

test('slot wait is cancelled by its signal, ended by close', async () => {
  const slot = new NewestFrameSlot();
  const ac = new AbortController();
  const w = slot.take(ac.signal);
  ac.abort();
  try {
    await w;
    assert.unreachable();
  } catch (err) {
    assert.instance(err, CancelledError);
  }
  const w2 = slot.take();
  slot.close();
  assert.is(await w2, undefined);
});

test('ffmpeg command line: V4L2 MJPEG to fixed-size rgb24; bad specs are typed errors', () => {
  const args = ffmpegArgs(
    { kind: 'v4l2', device: '/dev/video0', inputFormat: 'mjpeg', captureWidth: 1280, captureHeight: 720, fps: 30 },
    { width: 640, height: 360 },
  );
  const s = args.join(' ');
  assert.match(s, '-f v4l2 -input_format mjpeg -framerate 30 -video_size 1280x720 -i /dev/video0');
  assert.match(s, '-vf scale=640:360 -pix_fmt rgb24 -f rawvideo pipe:1');
  assert.throws(
    () =>
      ffmpegArgs(
        { kind: 'v4l2', device: '/etc/passwd', inputFormat: 'mjpeg', captureWidth: 640, captureHeight: 480, fps: 30 },
        { width: 64, height: 64 },
      ),
    (e: unknown) => e instanceof CameraConfigError,
  );
  assert.throws(
    () => ffmpegArgs({ kind: 'args', args: ['-f', 'lavfi'], label: 'x' }, { width: 64, height: 64 }),
    (e: unknown) => e instanceof CameraConfigError,
  );
  assert.throws(
    () => ffmpegArgs({ kind: 'args', args: ['-i', 'x'], label: 'x' }, { width: 5, height: 64 }),
    (e: unknown) => e instanceof CameraConfigError,
  );
});

test.run();
