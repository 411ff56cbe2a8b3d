/**
 * The bound on a replay's chance holds on a real recording (replay-draws.ts): a live patient's
 * session through the real verifier and pipeline, answering a challenge that asks for several
 * blinks, replayed to the camera and judged against thousands of fresh challenges. Exact answers
 * let the recording pass only the one sequence it holds: its rate stays within the analytic bound
 * (two-step policy, 12 sequences: 1/12), where a judge that let a recorded triple blink answer
 * "once" or "twice" would pass it about three times as often; and the only sequence it ever passes
 * is the one it answers. The fast path (one reading of the
 * recording, the judge alone per draw) agrees with the whole tracker run draw by draw.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { captureSamples, isSample, judgeDraws, timelineOf, type Observation } from '../../../../cli/commands/bench/replay-draws.ts';
import { liveBody, runSession, type SessionResult } from '../../../../cli/commands/bench/liveness-session.ts';
import { cameraSubject } from '../../../../cli/simulator/camera-subject.ts';
import { chipPhotoOf } from '../../../../cli/simulator/sim-card.ts';
import {
  DEFAULT_CHALLENGE_POLICY,
  drawChallenge,
  replayChanceBound,
  type ChallengePolicy,
} from '../../../../firmware/face/liveness/challenge.ts';
import { LivenessTracker } from '../../../../firmware/face/liveness/liveness.ts';
import { FacePipeline } from '../../../../firmware/face/pipeline/pipeline.ts';
import { onnxInference } from '../../../../firmware/platform/onnx-runtime.ts';
import { LiveFaceRenderer } from '../../../../hardware-sim/camera/live-face.ts';
import { seededRandom } from '../../../../hardware-sim/camera/image.ts';
import { recordedSession, ReplayRenderer } from '../../../../hardware-sim/camera/replay.ts';
import { loadPatient } from '../../../../hardware-sim/patients/load-patient.ts';
import { testModelSet } from '../../../firmware/face/support/demo-faces.ts';

/**
 * Two steps, one late answer re-cued: the bound is (1 + ¼ + ½) / 12 sequences (a fresh first cue is a
 * given one at most ¼ of the time, a fresh second one at most ½: challenge.test.ts checks the rule).
 */
const POLICY: ChallengePolicy = { ...DEFAULT_CHALLENGE_POLICY, steps: 2, delayMs: [[100, 300]] };
const BUDGET_MS = 8_000;
const ANALYSIS_MS = 1000 / 15;
const DRAWS = 3_000;
const randomOf = (seed: number) => {
  const r = seededRandom(seed);
  return (max: number): number => Math.floor(r() * max);
};

let pipeline: FacePipeline;
let live: SessionResult;
/** The recording as the verifier sees it: analysed samples and glances at the frames between. */
let samples: Observation[];

test.before(async () => {
  pipeline = await FacePipeline.create(testModelSet(), onnxInference);
  const p = await loadPatient('suzuki-aiko');
  const subject = await cameraSubject(p);
  // A seed whose challenge asks for three blinks (runSession draws it from seed × 7919 + 1).
  const seed = [...Array(200).keys()].find((s) =>
    drawChallenge(POLICY, randomOf(s * 7919 + 1)).steps.some((x) => x.cue === 'blink-thrice'),
  );
  assert.ok(seed !== undefined);
  const face = new LiveFaceRenderer({ face: subject.faceImage, eyes: subject.face.eyes, seed, blinkPeriodSec: 3 });
  live = await runSession(pipeline, {
    scene: face,
    body: liveBody(face),
    chip: await chipPhotoOf(p),
    seed,
    analysisMs: ANALYSIS_MS,
    budgetMs: BUDGET_MS,
    challenge: POLICY,
  });
  const seconds = (live.decision.elapsedMs ?? 0) / 1000 + 2;
  const replay = new ReplayRenderer(recordedSession({ subject, seed: seed + 1, seconds, actions: live.done }), { seconds });
  samples = await captureSamples(pipeline, replay, { analysisMs: ANALYSIS_MS, seconds: BUDGET_MS / 1000 + 0.5 });
  subject.faceImage.data.fill(0);
  p.faceImage.data.fill(0);
});

test.after(async () => {
  await pipeline.close();
});

test('the recorded session was a live patient answering a challenge with three blinks', () => {
  assert.equal(live.decision.outcome, 'match', JSON.stringify({ d: live.decision.liveness, cues: live.cues }));
  assert.ok(live.cues.includes('blink-thrice'), live.cues.join(','));
  const analysed = samples.filter(isSample).length;
  assert.ok(analysed > 60, `${analysed} samples`);
  assert.ok(samples.length - analysed > 30, `${samples.length - analysed} glances between them`);
});

test('replayed against fresh challenges it passes no more often than the bound', () => {
  const bound = replayChanceBound(POLICY);
  assert.equal(bound, 1.75 / 12);
  const d = judgeDraws(timelineOf(samples), { draws: DRAWS, budgetMs: BUDGET_MS, challenge: POLICY, random: randomOf(99) });
  const expected = bound * DRAWS;
  // At most the bound plus three standard deviations; and it does pass its own sequence (the test is not empty).
  assert.ok(
    d.passes <= expected + 3 * Math.sqrt(expected),
    `${d.passes} of ${DRAWS} passed, bound ${expected.toFixed(0)}: ${JSON.stringify(d.outcomes)}`,
  );
  assert.ok(d.passes >= expected / 3, `${d.passes} of ${DRAWS}: the recording should answer its own sequence`);
  assert.deepEqual(d.sequencesPassed, [live.cues.join(',')], 'it passes only the sequence it answers, whatever else is drawn');
});

test('the fast path agrees with the whole tracker, draw by draw', () => {
  const draws = 240;
  const fast = judgeDraws(timelineOf(samples), { draws, budgetMs: BUDGET_MS, challenge: POLICY, random: randomOf(5) });
  const random = randomOf(5);
  let passes = 0;
  for (let k = 0; k < draws; k++) {
    const tracker = new LivenessTracker(() => drawChallenge(POLICY, random));
    for (const s of samples) {
      if (s.at - samples[0]!.at > BUDGET_MS) break;
      if (!isSample(s)) {
        tracker.glance(s);
        continue;
      }
      const v = tracker.add(s);
      if (v.state === 'live') passes++;
      if (v.state !== 'pending') break;
    }
  }
  assert.equal(fast.passes, passes);
  assert.ok(passes > 0, 'some draws pass: the comparison is not empty');
});

test.run();
