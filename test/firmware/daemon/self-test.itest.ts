/**
 * The self-test (READY, the OTA health window, `kaoreader self-test`) on real parts, each
 * failure injected into the part itself: a reader unplugged, a camera that never delivers
 * (ffmpeg on a missing input), a test photo that is not a face, a closed display, a state folder
 * that cannot be written. The face check runs the real face worker and models.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultConfig } from '../../../firmware/config/load.ts';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { runSelfTest, type SelfTestParts } from '../../../firmware/daemon/self-test.ts';
import { ScreenUi } from '../../../firmware/display/screen-ui.ts';
import { modelSetFromConfig } from '../../../cli/face-models.ts';
import { createFaceVerifier, type FaceVerifier } from '../../../firmware/face/verifier.ts';
import { FfmpegFrameSource } from '../../../firmware/platform/camera/ffmpeg-frame-source.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { FaceVerifierAdapter } from '../../../firmware/visit/adapters/face.ts';
import { faceSelfTest } from '../../../firmware/visit/adapters/face-self-test.ts';
import { SimCardReader } from '../../../hardware-sim/card/sim-card-reader.ts';
import { SimDisplay } from '../../../hardware-sim/display/sim-display.ts';
import { SimTouch } from '../../../hardware-sim/touch/sim-touch.ts';
import { testPhoto } from '../../helpers/sim-card.ts';
import { FACE_WORKER_ENTRY } from '../../../cli/face-worker/entry.ts';

const log = createLogger({ sink: new MemorySink(), level: 'error' });
const work = mkdtempSync(join(tmpdir(), 'kao-selftest-'));
const photo = join(work, 'face.jp2');
const notAFace = join(work, 'not-a-face.jp2');
let verifier: FaceVerifier;
let ui: ScreenUi;
let display: SimDisplay;
let good: SelfTestParts;

const camera = (args: string[]): FfmpegFrameSource =>
  new FfmpegFrameSource({ input: { kind: 'args', args, label: 'test' }, output: { width: 64, height: 48 }, clock: systemClock, log });
const byName = (
  checks: readonly { name: string; ok: boolean; detail: string }[],
  name: string,
): { ok: boolean; detail: string } | undefined => checks.find((c) => c.name === name);

test.before(async () => {
  writeFileSync(photo, await testPhoto());
  writeFileSync(notAFace, Buffer.alloc(4096, 0x41));
  const face = defaultConfig().face;
  verifier = await createFaceVerifier({
    models: modelSetFromConfig(face),
    worker: FACE_WORKER_ENTRY,
    clock: systemClock,
    log,
    decision: { threshold: face.threshold, budgetMs: face.budgetMs },
  });
  display = new SimDisplay(320, 480);
  let current: ScreenUi | undefined;
  ui = new ScreenUi({ display, touch: new SimTouch(() => current?.layout), log, clock: systemClock });
  current = ui;
  good = {
    reader: new SimCardReader(),
    camera: camera(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10']),
    face: faceSelfTest(new FaceVerifierAdapter(verifier, camera(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10'])), photo),
    redraw: () => ui.redraw(),
    stateDir: work,
  };
});

test.after(async () => {
  await verifier.close();
  await ui.close();
  await good.camera?.close();
});

test('every part working: each check passes, the frame is wiped, the screen is written again', async () => {
  await ui.show('idle');
  const frames = display.frames;
  const checks = await runSelfTest(good, { clock: systemClock, deadlineMs: 15_000 });
  assert.equal(
    checks.map((c) => c.name),
    ['card-slot', 'camera', 'face-models', 'display', 'storage'],
  );
  for (const c of checks) assert.ok(c.ok, `${c.name}: ${c.detail}`);
  assert.match(byName(checks, 'card-slot')?.detail ?? '', /no card/);
  assert.match(byName(checks, 'face-models')?.detail ?? '', /models ran on the test photo/);
  assert.is(display.frames, frames + 1);
});

test('reader unplugged: the card slot fails after asking until the deadline', async () => {
  const reader = new SimCardReader();
  reader.unplug();
  const [c] = await runSelfTest({ reader }, { clock: systemClock, deadlineMs: 1_000 });
  assert.is(c?.ok, false);
  assert.match(c?.detail ?? '', /no reader|did not finish/);
});

test('a camera that delivers nothing fails within the deadline', async () => {
  const dead = camera(['-i', join(work, 'no-such-video.mp4')]);
  try {
    const [c] = await runSelfTest({ camera: dead }, { clock: systemClock, deadlineMs: 1_500 });
    assert.is(c?.ok, false);
    assert.match(c?.detail ?? '', /camera did not finish within 1500 ms/);
  } finally {
    await dead.close();
  }
});

test('a test photo the models cannot use fails the face check; a missing one too', async () => {
  const adapter = new FaceVerifierAdapter(verifier, good.camera as FfmpegFrameSource);
  const [bad] = await runSelfTest({ face: faceSelfTest(adapter, notAFace) }, { clock: systemClock, deadlineMs: 15_000 });
  assert.is(bad?.ok, false);
  const [missing] = await runSelfTest(
    { face: faceSelfTest(adapter, join(work, 'missing.jp2')) },
    { clock: systemClock, deadlineMs: 15_000 },
  );
  assert.is(missing?.ok, false);
  assert.match(missing?.detail ?? '', /ENOENT/);
});

test('a display that no longer takes frames fails; nothing shown yet fails too', async () => {
  const d = new SimDisplay(320, 480);
  let cur: ScreenUi | undefined;
  const u = new ScreenUi({ display: d, touch: new SimTouch(() => cur?.layout), log, clock: systemClock });
  cur = u;
  const [none] = await runSelfTest({ redraw: () => u.redraw() }, { clock: systemClock });
  assert.is(none?.ok, false);
  await u.show('idle');
  await d.close();
  const [closed] = await runSelfTest({ redraw: () => u.redraw() }, { clock: systemClock });
  assert.is(closed?.ok, false);
  assert.match(closed?.detail ?? '', /closed/);
  await u.close();
});

test('a state folder that cannot be written fails the storage check', async () => {
  const file = join(work, 'a-file');
  writeFileSync(file, 'x');
  const [c] = await runSelfTest({ stateDir: join(file, 'outbox') }, { clock: systemClock });
  assert.is(c?.ok, false);
  assert.match(c?.detail ?? '', /ENOTDIR/);
});

test.run();
