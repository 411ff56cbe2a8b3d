/**
 * The attempt glances at the camera frames it skips (attempt.ts): on the simulated camera stepping
 * on virtual time (4 analysed frames/s of a 30 frames/s camera), every frame skipped once liveness
 * says where to look is glanced at and given to liveness in capture order, after the analysed frame
 * before it and before the one after it; none is given across a frame without a face.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { silentLogger } from '../../../../firmware/core/logger.ts';
import { FaceAttempt, type FrameAnalyser } from '../../../../firmware/face/attempt/attempt.ts';
import { DEFAULT_DECISION_POLICY } from '../../../../firmware/face/decision.ts';
import { DEFAULT_GUIDANCE_POLICY } from '../../../../firmware/face/guidance.ts';
import { DEFAULT_CHALLENGE_POLICY, drawChallenge } from '../../../../firmware/face/liveness/challenge.ts';
import { LivenessTracker, type EyeGlance, type LivenessSample } from '../../../../firmware/face/liveness/liveness.ts';
import type { FrameAnalysis } from '../../../../firmware/face/pipeline/pipeline.ts';
import type { Frame } from '../../../../firmware/ports/frame-source.ts';
import { SteppedFrameSource } from '../../../../hardware-sim/camera/stepped-frame-source.ts';
import { ManualClock } from '../../../../hardware-sim/manual-clock.ts';
import { embeddingAt, faceAt, timings } from './support/findings.ts';

/** The real tracker, noting what it is given. */
class NotingTracker extends LivenessTracker {
  readonly given: { readonly kind: 'sample' | 'glance'; readonly at: number }[] = [];
  override add(s: LivenessSample): ReturnType<LivenessTracker['add']> {
    this.given.push({ kind: 'sample', at: s.at });
    return super.add(s);
  }
  override glance(g: EyeGlance): void {
    this.given.push({ kind: 'glance', at: g.at });
    super.glance(g);
  }
}

/** A face in every frame but the `faceless` ones (by analysed frame number, from 0). */
function analyser(faceless: readonly number[]): FrameAnalyser & { readonly frames: Frame[] } {
  const frames: Frame[] = [];
  return {
    frames,
    analyse(frame): Promise<FrameAnalysis> {
      const face = !faceless.includes(frames.length);
      frames.push(frame);
      return Promise.resolve({
        width: frame.width,
        height: frame.height,
        faces: face ? [faceAt(220).box] : [],
        ...(face ? { primary: faceAt(220) } : {}),
        timings: timings(1),
      });
    },
  };
}

async function run(faceless: readonly number[]): Promise<NotingTracker['given']> {
  const clock = new ManualClock();
  const liveness = new NotingTracker(() => drawChallenge(DEFAULT_CHALLENGE_POLICY, () => 0));
  const attempt = new FaceAttempt({
    analyser: analyser(faceless),
    clock,
    log: silentLogger,
    policy: { ...DEFAULT_DECISION_POLICY, budgetMs: 60_000 },
    guidance: DEFAULT_GUIDANCE_POLICY,
    liveness,
    enrolled: () => embeddingAt(1),
  });
  // A grey room: the glance reads the eyes as bright as the cheeks (what it reads is not the point here).
  const scene = { width: 640, height: 480, length: Infinity, render: (_: number, out: Uint8Array) => out.fill(120) };
  await attempt.run(new SteppedFrameSource(scene, { clock, analysisMs: 250, maxFrames: 14 }));
  return liveness.given;
}

test('skipped frames are glanced at and given in capture order, between the analysed frames around them', async () => {
  const given = await run([]);
  const samples = given.filter((g) => g.kind === 'sample');
  const glances = given.filter((g) => g.kind === 'glance');
  assert.ok(samples.length >= 10, `${samples.length} analysed`);
  assert.ok(
    given.every((g, i) => i === 0 || g.at > given[i - 1]!.at),
    `capture order: ${given.map((g) => `${g.kind[0]}${Math.round(g.at)}`).join(' ')}`,
  );
  // Liveness says where to look from its fourth sample on: every camera frame after it is seen.
  const fourth = samples[3]!.at;
  const last = samples.at(-1)!.at;
  assert.equal(glances.length, Math.round((last - fourth) / (1000 / 30)) - (samples.length - 4));
  assert.ok(glances.every((g) => g.at > fourth));
});

test('no glance is given across a frame without a face', async () => {
  const given = await run([7]);
  const samples = given.filter((g) => g.kind === 'sample');
  // Analysed frames 6 and 8 (samples 6 and 7): nothing between them was glanced at or given.
  const [before, after] = [samples[6]!.at, samples[7]!.at];
  assert.ok(after - before > 400, 'the faceless frame lies between them');
  assert.deepEqual(
    given.filter((g) => g.kind === 'glance' && g.at > before && g.at < after),
    [],
    given.map((g) => `${g.kind[0]}${Math.round(g.at)}`).join(' '),
  );
  assert.ok(
    given.some((g) => g.kind === 'glance' && g.at > after),
    'glances again once the face is back',
  );
});

test.run();
