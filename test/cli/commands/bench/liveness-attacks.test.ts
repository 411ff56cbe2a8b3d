/**
 * Each presentation attack made by its own method (liveness-attacks.ts) against the real
 * verifier and pipeline, the attacker reading the screen and doing what their material allows:
 * a replayed recording of the patient's own live session (natural blinks and their answers to
 * another challenge), a print bent round a bottle and turned on cue, a print with the eyes cut
 * out and someone behind it blinking and turning on cue, the recording on a phone (bezel, moiré)
 * tilted on cue. None is a match or judged live; the patient live, answering, is. Two seeds each;
 * `bench face-liveness` runs them over every patient and 10 seeds.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { FacePipeline } from '../../../../firmware/face/pipeline/pipeline.ts';
import { LiveFaceRenderer } from '../../../../hardware-sim/camera/live-face.ts';
import { loadPatient } from '../../../../hardware-sim/patients/load-patient.ts';
import { makeAttack, type AttackName } from '../../../../cli/commands/bench/liveness-attacks.ts';
import { liveBody, runSession, type SessionResult } from '../../../../cli/commands/bench/liveness-session.ts';
import { cameraSubject } from '../../../../cli/simulator/camera-subject.ts';
import { chipPhotoOf } from '../../../../cli/simulator/sim-card.ts';
import { testModelSet } from '../../../firmware/face/support/demo-faces.ts';
import { onnxInference } from '../../../../firmware/platform/onnx-runtime.ts';

const SEEDS = [1, 2];
let pipeline: FacePipeline;
const material = async () => {
  const p = await loadPatient('suzuki-aiko');
  return { p, subject: await cameraSubject(p), other: await cameraSubject(await loadPatient('takahashi-mei')), chip: await chipPhotoOf(p) };
};
let m: Awaited<ReturnType<typeof material>>;
const recordings: SessionResult[] = [];

test.before(async () => {
  pipeline = await FacePipeline.create(testModelSet(), onnxInference);
  m = await material();
  for (const seed of SEEDS) {
    const face = new LiveFaceRenderer({ face: m.subject.faceImage, eyes: m.subject.face.eyes, seed, blinkPeriodSec: 3 });
    recordings.push(await runSession(pipeline, { scene: face, body: liveBody(face), chip: m.chip, seed, analysisMs: 66 }));
  }
});

test.after(async () => {
  await pipeline.close();
});

test('the patient live, answering the challenge, is a match (the sessions the replays are made of)', () => {
  for (const r of recordings) {
    assert.equal(r.decision.outcome, 'match', JSON.stringify({ d: r.decision.liveness, cues: r.cues }));
    assert.ok(r.done.length >= 2, 'they answered');
  }
});

(['replay', 'bent-photo', 'cutout-eyes', 'screen-video'] as const satisfies readonly AttackName[]).forEach((name) => {
  test(`${name}: never a match, never judged live`, async () => {
    for (const [i, seed] of SEEDS.entries()) {
      // The recording is the live session of the other seed: another challenge, answered.
      const rec = recordings[(i + 1) % recordings.length]!;
      const attack = makeAttack(name, {
        subject: m.subject,
        photo: m.p.faceImage,
        photoEyes: m.p.face.eyes,
        other: m.other,
        seed,
        recording: { actions: rec.done, seed: SEEDS[(i + 1) % SEEDS.length]!, seconds: (rec.decision.elapsedMs ?? 3000) / 1000 + 2 },
      });
      const r = await runSession(pipeline, {
        scene: attack.scene,
        ...(attack.body ? { body: () => attack.body! } : {}),
        chip: m.chip,
        seed: seed + 500,
        analysisMs: 66,
      });
      assert.notEqual(r.decision.outcome, 'match', `${name} seed ${seed}: ${JSON.stringify(r.decision)}`);
      assert.notEqual(r.decision.liveness?.state, 'live', `${name} seed ${seed}: ${JSON.stringify(r.decision.liveness)}`);
    }
  });
});

test.run();
