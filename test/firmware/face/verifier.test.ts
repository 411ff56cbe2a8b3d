/**
 * FaceVerifier end to end, through the real worker thread and ONNX models: enrol from a JPEG
 * 2000 chip photo, then decide on camera sequences of real faces (face-api demo photos): the
 * holder live, reading the screen and doing what the challenge asks (virtual time: the run does
 * not depend on machine load) → match; someone else → no-match; the holder's photo moved →
 * never a match; too small a budget → timeout; typed errors for bad input and misuse.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { CancelledError } from '../../../firmware/core/errors.ts';
import { silentLogger } from '../../../firmware/core/logger.ts';
import { PhotoDecodeError } from '../../../firmware/face/enrol/jp2-decode.ts';
import { BudgetExceededError, NotEnrolledError, requireMatch, SpoofSuspectedError } from '../../../firmware/face/errors.ts';
import { faceVerifierOn, type FaceVerifier } from '../../../firmware/face/verifier.ts';
import { DEFAULT_CHALLENGE_POLICY } from '../../../firmware/face/liveness/challenge.ts';
import { FaceWorkerClient } from '../../../firmware/face/worker/face-worker-client.ts';
import { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import { loadPatient } from '../../../hardware-sim/patients/load-patient.ts';
import { liveBody, runSession } from '../../../cli/commands/bench/liveness-session.ts';
import { cameraSubject } from '../../../cli/simulator/camera-subject.ts';
import { chipPhotoOf } from '../../../cli/simulator/sim-card.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { ArrayFrameSource } from '../../../hardware-sim/face/array-frame-source.ts';
import { cameraFrame, chipPhoto } from '../../../hardware-sim/face/face-material.ts';
import { blinkSequence, eyesFromLandmarks, rigidSequence, type Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import { facesIn, sharedPipeline, testModelSet } from './support/demo-faces.ts';
import { FACE_WORKER_ENTRY } from '../../../cli/face-worker/entry.ts';

let verifier: FaceVerifier;
let worker: FaceWorkerClient;
const clock = new ManualClock();
let holder: Rgb;
let holderPhoto: Uint8Array;
let stranger: Rgb;

/** The face swaying, with a drawn blink at frame 8 (or none: `blinkAt` past the end). */
async function blinking(face: Rgb, blinkAt = 8): Promise<ArrayFrameSource> {
  const a = await (await sharedPipeline()).analyse({ ...face, channels: 3 }, { embed: false });
  assert.ok(a.primary);
  return new ArrayFrameSource(blinkSequence(face, eyesFromLandmarks(a.primary.landmarks), 26, blinkAt));
}

test.before(async () => {
  const six = await facesIn(6);
  holder = await cameraFrame(six.image, six.faces[0]!);
  holderPhoto = await chipPhoto(six.image, six.faces[0]!);
  const three = await facesIn(3);
  stranger = await cameraFrame(three.image, three.faces[0]!);
  worker = await FaceWorkerClient.start(testModelSet(), systemClock, FACE_WORKER_ENTRY);
  verifier = faceVerifierOn(worker, { clock: systemClock, log: silentLogger });
});

test.after(async () => {
  await verifier.close();
});

test('verify before enrol is a typed error; a corrupt photo too', async () => {
  await assert.rejects(verifier.verify(await blinking(holder)), NotEnrolledError);
  await assert.rejects(verifier.enrol(new Uint8Array([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 1, 2, 3])), PhotoDecodeError);
  await assert.rejects(verifier.enrol(new Uint8Array(64)), PhotoDecodeError);
});

test('a patient live, answering the challenge, matches their chip photo', async () => {
  const enrol = await verifier.enrol(holderPhoto.slice());
  assert.ok(enrol.decodeMs > 0);
  verifier.wipe();
  const p = await loadPatient('sato-hanako');
  const subject = await cameraSubject(p);
  const chip = await chipPhotoOf(p);
  // Up to three attempts, as the visit allows (a patient who misread the screen tries again).
  let last;
  for (const seed of [1, 2, 3]) {
    const face = new LiveFaceRenderer({ face: subject.faceImage, eyes: subject.face.eyes, seed, blinkPeriodSec: 3 });
    last = await runSession(worker, { clock, scene: face, body: liveBody(face), chip, seed, analysisMs: 66 });
    if (last.decision.outcome === 'match') break;
  }
  const d = last!.decision;
  assert.equal(d.outcome, 'match', JSON.stringify({ d, cues: last!.cues }));
  assert.equal(d.liveness?.reason, 'challenge-passed');
  assert.ok(d.score >= d.threshold);
  assert.ok(d.stageTimings.model > 0 && d.stageTimings.total >= d.stageTimings.model);
  assert.ok(last!.cues.length >= DEFAULT_CHALLENGE_POLICY.steps, `a cue per step asked: ${last!.cues.join(', ')}`);
  assert.equal(requireMatch(d), d);
});

test('someone else does not match', async () => {
  await verifier.enrol(holderPhoto.slice());
  const d = await verifier.verify(await blinking(stranger));
  assert.equal(d.outcome, 'no-match', JSON.stringify(d));
  assert.ok(d.score < d.threshold);
});

test("the holder's photo moved in front of the camera never matches; as a plane it is a spoof", async () => {
  await verifier.enrol(holderPhoto.slice());
  // This face's moved photo shows no sign of life (the sequence ends: a timeout, never a match)…
  const d = await verifier.verify(new ArrayFrameSource(rigidSequence(holder, 36)));
  assert.notEqual(d.outcome, 'match', JSON.stringify(d));
  assert.notEqual(d.liveness?.state, 'live');
  // …and another's is recognised as a plane moving (liveness.test.ts: most of the demo faces).
  const three = await facesIn(3);
  await verifier.enrol((await chipPhoto(three.image, three.faces[0]!)).slice());
  const flat = await verifier.verify(new ArrayFrameSource(rigidSequence(stranger, 36)));
  assert.equal(flat.outcome, 'spoof', JSON.stringify(flat));
  assert.throws(() => requireMatch(flat), SpoofSuspectedError);
});

test('a budget too short for the challenge times out; cancel and wipe are honoured', async () => {
  await verifier.enrol(holderPhoto.slice());
  // No blink: a deliberate blink before any cue would be an unprompted action (a spoof), not a timeout.
  const d = await verifier.verify(await blinking(holder, 26), { budgetMs: 120 });
  assert.equal(d.outcome, 'timeout', JSON.stringify(d));
  assert.throws(() => requireMatch(d), BudgetExceededError);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(verifier.verify(await blinking(holder), { signal: ac.signal }), CancelledError);
  verifier.wipe();
  await assert.rejects(verifier.verify(await blinking(holder)), NotEnrolledError);
});

test.run();
