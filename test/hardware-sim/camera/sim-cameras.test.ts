import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../firmware/core/errors.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import type { Frame, FrameSource } from '../../../firmware/ports/frame-source.ts';
import { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { imageSequenceCamera, liveFaceCamera, movedPhotoCamera, stillPhotoCamera } from '../../../hardware-sim/camera/sim-cameras.ts';
import { blankImage } from '../../../hardware-sim/camera/image.ts';
import { loadPatient, type LoadedPatient } from '../../../hardware-sim/patients/load-patient.ts';

const W = 320;
const H = 240;
let patient: LoadedPatient;
let fake: sinon.SinonFakeTimers;

test.before(async () => {
  patient = await loadPatient('sato-hanako');
});

/** Fake time for one test, restored even when an assertion throws. */
function timed(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    try {
      await fn();
    } finally {
      fake.restore();
    }
  });
}

/** Takes frames for `ms` of fake time; the consumer spends `workMs` on each frame. */
async function collect(src: FrameSource, ms: number, workMs = 0): Promise<Frame[]> {
  const out: Frame[] = [];
  const ac = new AbortController();
  const done = (async () => {
    try {
      for await (const f of src.frames(ac.signal)) {
        out.push(f);
        if (workMs) await systemClock.sleep(workMs);
      }
    } catch (err) {
      if (!(err instanceof CancelledError)) throw err;
    }
  })();
  await fake.tickAsync(ms);
  ac.abort();
  await fake.tickAsync(workMs + 1); // let a consumer that was busy notice the abort
  await done;
  return out;
}

function grey(f: Frame, x: number, y: number): number {
  const o = (y * f.width + x) * 3;
  return ((f.data[o] as number) + (f.data[o + 1] as number) + (f.data[o + 2] as number)) / 3;
}

function meanAbsDiff(a: Frame, b: Frame, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++, n++) s += Math.abs(grey(a, x, y) - grey(b, x, y));
  return s / n;
}

/** Best integer shift of a patch of `a` found in `b` (block matching, ±r px). */
function shiftOf(a: Frame, b: Frame, x0: number, y0: number, size: number, r = 10): [number, number] {
  let best: [number, number] = [0, 0];
  let bestErr = Infinity;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      let e = 0;
      for (let y = y0; y < y0 + size; y += 2)
        for (let x = x0; x < x0 + size; x += 2) e += Math.abs(grey(a, x, y) - grey(b, x + dx, y + dy));
      if (e < bestErr) {
        bestErr = e;
        best = [dx, dy];
      }
    }
  }
  return best;
}

timed('live face: 30 fps on the injected clock, face moves while the room stays still', async () => {
  const cam = liveFaceCamera(patient, { clock: systemClock, width: W, height: H, seed: 5 });
  const frames = await collect(cam, 2000);
  assert.ok(frames.length >= 59 && frames.length <= 61, `${frames.length} frames in 2 s`);
  assert.is(cam.status().fps, 30);
  assert.is(cam.status().dropped, 0);
  const a = frames[0] as Frame;
  assert.is((frames[45] as Frame).capturedAt - a.capturedAt, 1500);
  let faceMoved = 0;
  for (const b of frames.filter((_, i) => i % 10 === 5)) {
    assert.equal(shiftOf(a, b, 5, 5, 30), [0, 0], 'window blinds behind the face stay put');
    const [dx, dy] = shiftOf(a, b, 130, 70, 40, 12);
    faceMoved = Math.max(faceMoved, Math.abs(dx) + Math.abs(dy));
  }
  assert.ok(faceMoved >= 1 && faceMoved <= 16, `face moved ${faceMoved} px`);
  await cam.close();
});

test('live face: blinks of 3–5 frames, about every 3 s, darkening the eyes', () => {
  const r = new LiveFaceRenderer({ face: patient.faceImage, eyes: patient.face.eyes, width: W, height: H, seed: 9, noise: 0 });
  const closed: number[] = [];
  for (let i = 0; i < 300; i++) if (r.blinkAt(i) > 0) closed.push(i);
  const runs: number[][] = [];
  for (const i of closed) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  }
  assert.ok(runs.length >= 3 && runs.length <= 4, `${runs.length} blinks in 10 s`);
  for (const run of runs) assert.ok(run.length >= 3 && run.length <= 5);
  const full = closed.find((i) => r.blinkAt(i) === 1) as number;
  const open = full - 8;
  const fa = new Uint8Array(W * H * 3);
  const fb = new Uint8Array(W * H * 3);
  r.render(open, fa);
  r.render(full, fb);
  // the eye centre of the crop lands near (s0 * (x - w/2) + W/2); compare a small box around it
  const s0 = Math.max(W / patient.faceImage.width, H / patient.faceImage.height);
  const [ex, ey] = patient.face.eyes[0];
  const cx = Math.round((ex - patient.faceImage.width / 2) * s0 + W / 2);
  const cy = Math.round((ey - patient.faceImage.height / 2) * s0 + H / 2);
  const frameOf = (data: Uint8Array): Frame => ({ width: W, height: H, format: 'rgb24', data, capturedAt: 0, sequence: 0 });
  const diff = meanAbsDiff(frameOf(fa), frameOf(fb), cx - 6, cy - 3, cx + 6, cy + 3);
  assert.ok(diff > 15, `eye region changed by ${diff}`);
});

test('live face: a requested head turn moves the nose sideways; a requested blink closes the eyes', () => {
  const r = new LiveFaceRenderer({ face: patient.faceImage, eyes: patient.face.eyes, width: W, height: H, seed: 4, noise: 0 });
  r.scheduleTurn(1, 30, 1.5);
  assert.is(r.yawAt(29), 0);
  assert.ok(Math.abs(r.yawAt(52) - (30 * Math.PI) / 180) < 0.01);
  const frameAt = (i: number): Frame => {
    const data = new Uint8Array(W * H * 3);
    r.render(i, data);
    return { width: W, height: H, format: 'rgb24', data, capturedAt: i, sequence: i };
  };
  // the nose: below the eyes' midpoint, mapped into the frame like the crop
  const s0 = Math.max(W / patient.faceImage.width, H / patient.faceImage.height);
  const [[lx, ly], [rx, ry]] = patient.face.eyes;
  const nx = Math.round(((lx + rx) / 2 - patient.faceImage.width / 2) * s0 + W / 2);
  const ny = Math.round(((ly + ry) / 2 + 45 - patient.faceImage.height / 2) * s0 + H / 2);
  const [dx] = shiftOf(frameAt(29), frameAt(52), nx - 10, ny - 10, 20, 14);
  assert.ok(dx >= 5, `nose moved ${dx} px`);
  assert.is(r.blinkAt(200), 0);
  r.scheduleBlink(200 / 30);
  assert.is(r.blinkAt(201), 1);
});

timed('LiveFaceCamera answers blink()/turnHead() at the current time of its clock (a blink also some time from now)', async () => {
  const cam = liveFaceCamera(patient, { clock: systemClock, width: W, height: H, seed: 5 });
  const ac = new AbortController();
  const done = (async () => {
    try {
      for await (const _f of cam.frames(ac.signal));
    } catch (err) {
      if (!(err instanceof CancelledError)) throw err;
    }
  })();
  await fake.tickAsync(2000);
  cam.turnHead(20, 1);
  cam.blink();
  assert.ok(cam.live.yawAt(75) > 0.3);
  assert.ok(cam.live.blinkAt(61) > 0.9);
  // A blink asked to begin 1.1 s from now is on the frames of then, not before.
  cam.blink(0.4, 1.1);
  assert.ok(cam.live.blinkAt(90) < 0.1, 'not yet at 3.0 s');
  assert.ok(cam.live.blinkAt(95) > 0.9, 'closed at 3.17 s');
  ac.abort();
  await fake.tickAsync(40);
  await done;
  await cam.close();
});

timed('a slow consumer gets the newest frame; dropped frames are counted', async () => {
  const cam = liveFaceCamera(patient, { clock: systemClock, width: W, height: H });
  const frames = await collect(cam, 1000, 100);
  assert.ok(frames.length >= 9 && frames.length <= 11);
  const gaps = frames.slice(1).map((f, i) => f.sequence - (frames[i] as Frame).sequence);
  assert.ok(gaps.every((g) => g >= 2) && gaps.reduce((x, y) => x + y, 0) / gaps.length > 2.5, gaps.join(','));
  assert.ok(cam.status().dropped >= 15);
  await cam.close();
});

timed('still photo spoof: frames differ only by sensor noise', async () => {
  const cam = stillPhotoCamera(patient, { clock: systemClock, width: W, height: H });
  const frames = await collect(cam, 1000);
  const d = meanAbsDiff(frames[0] as Frame, frames[25] as Frame, 0, 0, W, H);
  assert.ok(d > 0.3 && d < 5, `diff ${d}`);
  await cam.close();
});

timed('moved photo spoof: face and its own background move together (one rigid transform)', async () => {
  const bare = movedPhotoCamera(patient, { clock: systemClock, width: W, height: H, presentation: 'bare', seed: 2 });
  const frames = await collect(bare, 1000);
  const a = frames[0] as Frame;
  const b = frames[12] as Frame;
  const bg = shiftOf(a, b, 20, 20, 30);
  const face = shiftOf(a, b, 140, 90, 30);
  assert.ok(Math.abs(bg[0]) + Math.abs(bg[1]) >= 2, `background shift ${bg}`);
  assert.ok(Math.abs(bg[0] - face[0]) <= 2 && Math.abs(bg[1] - face[1]) <= 2, `bg ${bg} vs face ${face}`);
  await bare.close();
  const live = liveFaceCamera(patient, { clock: systemClock, width: W, height: H, seed: 2 });
  const lf = await collect(live, 1000);
  assert.equal(shiftOf(lf[0] as Frame, lf[12] as Frame, 5, 5, 30), [0, 0]);
  await live.close();
  for (const presentation of ['paper', 'phone'] as const) {
    const cam = movedPhotoCamera(patient, { clock: systemClock, width: W, height: H, presentation });
    const fs = await collect(cam, 200);
    assert.ok(fs.length >= 5);
    await cam.close();
  }
});

timed('unplug stops frames, replug resumes; close ends the iteration', async () => {
  const cam = imageSequenceCamera([blankImage(32, 24, [10, 20, 30]), blankImage(32, 24, [40, 50, 60])], { clock: systemClock });
  const got: Frame[] = [];
  const it = (async () => {
    for await (const f of cam.frames()) got.push(f);
  })();
  await fake.tickAsync(500);
  const before = got.length;
  assert.ok(before >= 14);
  cam.unplug();
  assert.is(cam.status().connected, false);
  await fake.tickAsync(500);
  assert.is(got.length, before);
  cam.replug();
  await fake.tickAsync(300);
  assert.ok(got.length > before + 5);
  assert.equal([...(got[1] as Frame).data.subarray(0, 3)], [40, 50, 60]);
  await cam.close();
  await it;
  assert.is(cam.status().connected, false);
});

timed('a non-looping image sequence ends after its last frame', async () => {
  const cam = imageSequenceCamera([blankImage(16, 16), blankImage(16, 16), blankImage(16, 16)], { clock: systemClock, loop: false });
  const got: Frame[] = [];
  const it = (async () => {
    for await (const f of cam.frames()) got.push(f);
  })();
  await fake.tickAsync(1000);
  await it;
  assert.is(got.length, 3);
});

test.run();
