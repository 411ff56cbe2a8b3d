/**
 * The libcamera camera source (hardware.camera.source: libcamera): rpicam-vid's raw YUV420
 * frames through ffmpeg into rgb24, with a stand-in rpicam-vid on PATH that writes real raw
 * frames (no camera module here; fake-rpicam/rpicam-vid). Also doctor's camera line, which
 * reports V4L2 and libcamera both.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import type { FfmpegFrameSource } from '../../../../firmware/platform/camera/ffmpeg-frame-source.ts';
import { cameraFromConfig } from '../../../../firmware/platform/camera/v4l2-camera.ts';
import { cameraProbe, parseCameraList } from '../../../../firmware/platform/probes/devices.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import type { Frame } from '../../../../firmware/ports/frame-source.ts';

const fakeDir = new URL('./fake-rpicam/', import.meta.url).pathname;
process.env['PATH'] = `${fakeDir}:${process.env['PATH'] ?? ''}`;
const log = createLogger({ sink: new MemorySink(), level: 'error' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const camera = (): FfmpegFrameSource =>
  cameraFromConfig({ source: 'libcamera', libcameraIndex: 0, device: '/dev/video0', width: 320, height: 240, fps: 15 }, systemClock, log);

async function first(src: FfmpegFrameSource, n = 1): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of src.frames()) {
    out.push(f);
    if (out.length >= n) break;
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('rpicam-vid is asked for raw YUV420 at the configured size and rate; frames arrive as rgb24 in the right colour', async () => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'kao-rpicam-')), 'calls');
  process.env['FAKE_RPICAM_LOG'] = logFile;
  const src = camera();
  try {
    const [f] = await first(src);
    assert.ok(f);
    assert.equal([f.width, f.height, f.format, f.data.length], [320, 240, 'rgb24', 320 * 240 * 3]);
    const mid = (120 * 320 + 160) * 3;
    const [r, g, b] = [f.data[mid] ?? 0, f.data[mid + 1] ?? 0, f.data[mid + 2] ?? 0];
    assert.ok(Math.abs(r - 0x33) <= 8 && Math.abs(g - 0x66) <= 8 && Math.abs(b - 0xcc) <= 8, `rgb ${r},${g},${b} ≈ 33,66,cc`);
  } finally {
    await src.close();
  }
  const [line] = readFileSync(logFile, 'utf8').trim().split('\n');
  const [pid, ...args] = (line ?? '').split(' ');
  assert.equal(
    args.join(' '),
    '--camera 0 --timeout 0 --nopreview --codec yuv420 --width 320 --height 240 --framerate 15 --flush --output -',
  );
  await sleep(200);
  assert.not.ok(alive(Number(pid)), 'close() stops rpicam-vid too');
});

test('a camera that drops out (rpicam-vid ends) is started again, frames resume', async () => {
  process.env['FAKE_RPICAM_FRAMES'] = '3';
  const src = camera();
  try {
    const frames = await first(src, 6);
    assert.is(frames.length, 6);
    assert.ok(src.stats().restarts >= 1, `restarts ${src.stats().restarts}`);
  } finally {
    delete process.env['FAKE_RPICAM_FRAMES'];
    await src.close();
  }
});

test('doctor reports both camera paths and which one is configured', async () => {
  assert.equal(
    parseCameraList('Available cameras\n0 : imx708 [4608x2592 10-bit RGGB] (/base/…)\n    Modes: x\n1 : ov5647 [2592x1944] (/base/…)\n'),
    ['0: imx708 [4608x2592 10-bit RGGB]', '1: ov5647 [2592x1944]'],
  );
  const dev = mkdtempSync(join(tmpdir(), 'kao-dev-'));
  const lib = await cameraProbe('libcamera', dev).run(new AbortController().signal);
  assert.is(lib.status, 'ok');
  assert.match(lib.detail, /source libcamera .*V4L2: none; libcamera: 0: imx708/);
  const v4l2 = await cameraProbe('v4l2', dev).run(new AbortController().signal);
  assert.is(v4l2.status, 'missing', 'no /dev/video* for the configured V4L2 source');
  const none = await cameraProbe('libcamera', dev, '/sys/class/video4linux', join(dev, 'no-rpicam-vid')).run(new AbortController().signal);
  assert.match(none.detail, /rpicam-vid not installed/);
  assert.ok(!existsSync(join(dev, 'no-rpicam-vid')));
});

test.run();
