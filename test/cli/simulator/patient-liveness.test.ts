/**
 * Every simulated patient through the real FaceVerifier (worker thread, ONNX models), placed as
 * the sim world places them (`cameraSubject`) and enrolled from their chip photo: live, reading
 * the screen and doing what the challenge asks (PromptReaction, as in the sim visit) → match
 * within the decision budget; their photo held still, or moved on paper / a phone → never a match.
 * On virtual time (liveness-session.ts), so a loaded machine does not change the outcome. Measured
 * over 10 seeds each, with the other attacks, in docs/benchmarks/face.md (`bench face-liveness`).
 * test-timeout: 900 s (the four-cue challenge takes ≈ 10 s of frames per live run, on a shared machine)
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import type { FaceDecision } from '../../../firmware/face/decision.ts';
import { FaceWorkerClient } from '../../../firmware/face/worker/face-worker-client.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { MovedPhotoRenderer, StillPhotoRenderer } from '../../../hardware-sim/camera/spoof.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import { loadPatient, patientIds } from '../../../hardware-sim/patients/load-patient.ts';
import { liveBody, runSession } from '../../../cli/commands/bench/liveness-session.ts';
import { cameraSubject } from '../../../cli/simulator/camera-subject.ts';
import { chipPhotoOf } from '../../../cli/simulator/sim-card.ts';
import { testModelSet } from '../../firmware/face/support/demo-faces.ts';
import { FACE_WORKER_ENTRY } from '../../../cli/face-worker/entry.ts';

let worker: FaceWorkerClient;
const clock = new ManualClock();

test.before(async () => {
  worker = await FaceWorkerClient.start(testModelSet(), systemClock, FACE_WORKER_ENTRY);
});

test.after(async () => {
  await worker.close();
});

patientIds().forEach((id, i) => {
  test(`${id}: live and answering the challenge → match; still and moved photos never match`, async () => {
    const p = await loadPatient(id);
    const subject = await cameraSubject(p);
    const chip = await chipPhotoOf(p);
    // Up to three attempts, as the visit allows (visit.faceMaxFailures, default 3), each with another seed.
    let d: FaceDecision | undefined;
    for (const seed of [1, 2, 3]) {
      const face = new LiveFaceRenderer({ face: subject.faceImage, eyes: subject.face.eyes, seed, blinkPeriodSec: 3 });
      d = (await runSession(worker, { clock, scene: face, body: liveBody(face), chip, seed, analysisMs: 66 })).decision;
      if (d.outcome === 'match') break;
    }
    assert.equal(d?.outcome, 'match', `${id} live: ${JSON.stringify(d?.liveness)}`);
    for (const scene of [
      new StillPhotoRenderer({ photo: subject.faceImage, seed: 1 }),
      new MovedPhotoRenderer({ photo: subject.faceImage, presentation: i % 2 ? 'phone' : 'paper', seed: 1 }),
    ]) {
      const s = (await runSession(worker, { clock, scene, chip, seed: 4, analysisMs: 66 })).decision;
      assert.notEqual(s.outcome, 'match', `${id} spoof matched: ${JSON.stringify(s.liveness)}`);
      assert.notEqual(s.liveness?.state, 'live');
    }
    p.faceImage.data.fill(0);
    subject.faceImage.data.fill(0);
  });
});

test.run();
