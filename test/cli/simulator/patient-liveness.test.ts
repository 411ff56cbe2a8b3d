/**
 * Every simulated patient through the real FaceVerifier (worker thread, ONNX models), placed as
 * the sim world places them (`cameraSubject`) and enrolled from their chip photo: live and
 * answering the "please blink" guidance (PromptReaction, as in the sim visit) → match within the
 * 3 s budget; their photo held still, or moved on paper / a phone → never a match. Measured over
 * 10 seeds each in docs/benchmarks/face.md (`kaoreader bench face-liveness`).
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { silentLogger } from '../../../firmware/core/logger.ts';
import type { FaceDecision } from '../../../firmware/face/decision.ts';
import { createFaceVerifier, type FaceVerifier } from '../../../firmware/face/verifier.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { liveFaceCamera, movedPhotoCamera, stillPhotoCamera } from '../../../hardware-sim/camera/sim-cameras.ts';
import { loadPatient, patientIds } from '../../../hardware-sim/patients/load-patient.ts';
import { PromptReaction, type Prompt } from '../../../hardware-sim/patients/prompt-reaction.ts';
import { cameraSubject } from '../../../cli/simulator/camera-subject.ts';
import { chipPhotoOf } from '../../../cli/simulator/sim-card.ts';
import { testModelSet } from '../../firmware/face/support/demo-faces.ts';

let verifier: FaceVerifier;

test.before(async () => {
  verifier = await createFaceVerifier({ models: testModelSet(), clock: systemClock, log: silentLogger });
});

test.after(async () => {
  await verifier.close();
});

patientIds().forEach((id, i) => {
  test(`${id}: live and asked to blink → match; still and moved photos never match`, async () => {
    const p = await loadPatient(id);
    const subject = await cameraSubject(p);
    await verifier.enrol((await chipPhotoOf(p)).slice());
    const o = { clock: systemClock, seed: 1 };
    // Under load whole frames (a blink's) can be skipped: up to three attempts, as the visit
    // allows (visit.faceMaxFailures, default 3), each with another seed.
    let d: FaceDecision | undefined;
    for (const seed of [1, 2, 3]) {
      const live = liveFaceCamera(subject, { ...o, seed });
      let shown: Prompt | undefined;
      const patient = new PromptReaction({ clock: systemClock, seed, look: () => shown, body: live });
      patient.start();
      d = await verifier.verify(live, { budgetMs: 3000, onGuidance: (e) => { shown = e.kind === 'blink' ? 'blink' : undefined; } });
      patient.stop();
      await live.close();
      if (d.outcome === 'match') break;
    }
    assert.equal(d?.outcome, 'match', `${id} live: ${JSON.stringify(d?.liveness)}`);
    for (const cam of [stillPhotoCamera(subject, o), movedPhotoCamera(subject, { ...o, presentation: i % 2 ? 'phone' : 'paper' })]) {
      const s = await verifier.verify(cam, { budgetMs: 3000 });
      await cam.close();
      assert.notEqual(s.outcome, 'match', `${id} spoof matched: ${JSON.stringify(s.liveness)}`);
      assert.notEqual(s.liveness?.state, 'live');
    }
    p.faceImage.data.fill(0);
  });
});

test.run();
