/**
 * The real card-front scanner through a real ffmpeg: a card front rendered by the simulator,
 * saved as a PNG and fed as the ffmpeg input, captured as one grey still and read by the OCR.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, DeviceUnavailableError } from '../../../../firmware/core/errors.ts';
import { MemorySink, createLogger } from '../../../../firmware/core/logger.ts';
import { CardFrontReader } from '../../../../firmware/card-front/card-front-reader.ts';
import { CameraCardFrontScanner } from '../../../../firmware/platform/camera/camera-card-front-scanner.ts';
import { CameraConfigError } from '../../../../firmware/platform/camera/errors.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import type { Clock } from '../../../../firmware/ports/clock.ts';
import { OcrCardFront } from '../../../../firmware/visit/adapters/card-front.ts';
import { seededRandom } from '../../../../hardware-sim/camera/image.ts';
import { rasteriseCard } from '../../../../hardware-sim/card-front/card-raster.ts';
import { EASY_VARIATION, scanScene } from '../../../../hardware-sim/card-front/scan-scene.ts';
import { DEFAULT_STYLE } from '../../../../hardware-sim/card-front/sim-card-front-scanner.ts';

/** The read 照合番号B as text, to compare with the test's own ground truth. */
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

const clock: Clock = { ...systemClock, now: () => Date.UTC(2026, 10, 24, 3) };
const log = createLogger({ sink: new MemorySink(), level: 'debug' });
let dir: string;
let png: string;
let width = 0;
let height = 0;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kaoreader-cardfront-'));
  const img = await scanScene(
    await rasteriseCard(
      {
        nameKanji: '佐藤 花子',
        address: '東京都千代田区霞が関',
        sex: '女',
        birth: { era: 'showa', eraYear: 55, month: 2, day: 17 },
        expiry: { year: 2035, month: 2, day: 17 },
        securityCode: '2285',
      },
      DEFAULT_STYLE,
    ),
    seededRandom(1),
    EASY_VARIATION,
  );
  ({ width, height } = img);
  png = join(dir, 'front.png');
  await sharp(img.data, { raw: { width, height, channels: 1 } })
    .png()
    .toFile(png);
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const scannerFor = (args: string[]): CameraCardFrontScanner =>
  new CameraCardFrontScanner({ input: { kind: 'args', args, label: 'test input' }, width, height, log, timeoutMs: 5000 });

test('one grey still through ffmpeg, read by the OCR as 照合番号B', async () => {
  const scanner = scannerFor(['-i', png]);
  try {
    const img = await scanner.scan();
    assert.is(img.width, width);
    assert.is(img.data.length, width * height);
    const ocr = await CardFrontReader.create({ clock });
    assert.is(text(ocr.read(img).verificationNumberB), '55021720352285');
    const front = new OcrCardFront(scanner, ocr);
    assert.is(Buffer.from(await front.readVerificationNumberB(new AbortController().signal)).toString('latin1'), '55021720352285');
  } finally {
    await scanner.close();
  }
});

test('refusals: missing input → DEVICE_UNAVAILABLE, aborted → CANCELLED, closed → DEVICE_UNAVAILABLE, bad device path → CAMERA_CONFIG', async () => {
  const missing = scannerFor(['-i', join(dir, 'no-such.png')]);
  await missing.scan().then(
    () => assert.unreachable('scanned a missing input'),
    (err: unknown) => assert.instance(err, DeviceUnavailableError),
  );
  const slow = scannerFor(['-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=1', '-ss', '3']);
  const ac = new AbortController();
  const p = slow.scan(ac.signal);
  setTimeout(() => ac.abort(), 100);
  await p.then(
    () => assert.unreachable('scan not cancelled'),
    (err: unknown) => assert.instance(err, CancelledError),
  );
  await slow.close();
  await slow.scan().then(
    () => assert.unreachable('scanned after close'),
    (err: unknown) => assert.instance(err, DeviceUnavailableError),
  );
  assert.throws(
    () =>
      new CameraCardFrontScanner({
        input: { kind: 'v4l2', device: '/etc/passwd', inputFormat: 'mjpeg', captureWidth: 640, captureHeight: 480, fps: 5 },
        width: 640,
        height: 480,
        log,
      }),
    (e: unknown) => e instanceof CameraConfigError,
  );
});

test.run();
