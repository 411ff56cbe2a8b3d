/**
 * The face attempt's loop (attempt.ts) around the pure step, on a scripted analyser instead of the
 * worker (no ONNX) and a ManualClock: every frame's pixels and every frame embedding are wiped, a
 * frame the worker ran out of time on is skipped, the budget is checked as frames arrive, guidance
 * goes out once per change with its frame's sequence, the camera ending and a cancel end the loop.
 * The end-to-end attempt through the worker is verifier.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { CancelledError, TimeoutError } from '../../../../firmware/core/errors.ts';
import { silentLogger } from '../../../../firmware/core/logger.ts';
import { FaceAttempt, type FrameAnalyser } from '../../../../firmware/face/attempt/attempt.ts';
import { DEFAULT_DECISION_POLICY } from '../../../../firmware/face/decision.ts';
import { assessFrame, DEFAULT_GUIDANCE_POLICY, type GuidanceEvent } from '../../../../firmware/face/guidance.ts';
import { drawChallenge, DEFAULT_CHALLENGE_POLICY } from '../../../../firmware/face/liveness/challenge.ts';
import { LivenessTracker } from '../../../../firmware/face/liveness/liveness.ts';
import type { FrameAnalysis } from '../../../../firmware/face/pipeline/pipeline.ts';
import type { Frame } from '../../../../firmware/ports/frame-source.ts';
import { ArrayFrameSource } from '../../../../hardware-sim/face/array-frame-source.ts';
import { ManualClock } from '../../../../hardware-sim/manual-clock.ts';
import { embeddingAt, faceAt, timings } from './support/findings.ts';

type Reply = { readonly similarity?: number; readonly face?: boolean } | 'timeout' | 'broken';

/** Answers each frame with the next reply, advancing the clock `ms` per frame; keeps what it saw and gave. */
class ScriptedAnalyser implements FrameAnalyser {
  readonly frames: Frame[] = [];
  readonly embeddings: Float32Array[] = [];
  constructor(
    private readonly clock: ManualClock,
    private readonly replies: readonly Reply[],
    private readonly ms = 100,
  ) {}

  async analyse(frame: Frame, opts: { embed: boolean }): Promise<FrameAnalysis> {
    this.frames.push(frame);
    this.clock.advance(this.ms);
    const r = this.replies[Math.min(this.frames.length - 1, this.replies.length - 1)]!;
    if (r === 'timeout') throw new TimeoutError('frame analysis', 1);
    if (r === 'broken') throw new Error('worker gone');
    const face = r.face ?? true;
    const embedding = face && opts.embed && r.similarity !== undefined ? embeddingAt(r.similarity) : undefined;
    if (embedding) this.embeddings.push(embedding);
    return {
      width: 640,
      height: 480,
      faces: face ? [faceAt(220).box] : [],
      ...(face ? { primary: faceAt(220) } : {}),
      ...(embedding ? { embedding } : {}),
      timings: timings(1),
    };
  }
}

const stills = (n: number): ArrayFrameSource =>
  new ArrayFrameSource(
    Array.from({ length: n }, () => ({ width: 4, height: 2, format: 'rgb24' as const, data: new Uint8Array(24).fill(7) })),
  );

function attempt(clock: ManualClock, analyser: FrameAnalyser, events: GuidanceEvent[] = []): FaceAttempt {
  return new FaceAttempt({
    analyser,
    clock,
    log: silentLogger,
    policy: { ...DEFAULT_DECISION_POLICY, threshold: 0.6, noMatchFrames: 3, budgetMs: 1_000 },
    guidance: DEFAULT_GUIDANCE_POLICY,
    liveness: new LivenessTracker(() => drawChallenge(DEFAULT_CHALLENGE_POLICY, () => 0)),
    enrolled: () => embeddingAt(1),
    onGuidance: (e) => {
      events.push(e);
      return undefined;
    },
  });
}

test('the fixture face has no guidance problem (so its frames are scored)', () => {
  assert.deepEqual(assessFrame({ width: 640, height: 480, faces: [faceAt(220).box], primary: faceAt(220), timings: timings(1) }), []);
});

test('good frames of someone else: no-match; every frame and embedding wiped; guidance once, with its sequence', async () => {
  const clock = new ManualClock();
  const analyser = new ScriptedAnalyser(clock, [{ face: false }, { face: false }, { similarity: 0.1 }]);
  const events: GuidanceEvent[] = [];
  const d = await attempt(clock, analyser, events).run(stills(10));
  assert.equal(d.outcome, 'no-match');
  assert.equal(d.reason, 'different-person');
  assert.equal(d.frames, 5);
  assert.equal(d.scoredFrames, 3);
  assert.equal(d.elapsedMs, 200, 'from the first face (analysis back at 300 ms) to the decision (500 ms)');
  assert.equal(d.stageTimings.total, 5 * timings(1).total);
  assert.deepEqual(events[0], { kind: 'no-face', sequence: 0 });
  assert.equal(events.filter((e) => e.kind === 'no-face').length, 1);
  assert.equal(events[1]?.sequence, 2);
  assert.ok(
    analyser.frames.every((f) => f.data.every((b) => b === 0)),
    'pixels wiped',
  );
  assert.equal(analyser.embeddings.length, 3);
  assert.ok(
    analyser.embeddings.every((e) => e.every((v) => v === 0)),
    'embeddings wiped',
  );
});

test('a frame the worker ran out of time on is skipped; past the budget the next frame ends it, unanalysed', async () => {
  const clock = new ManualClock();
  const analyser = new ScriptedAnalyser(clock, [{ similarity: 0.1, face: true }, 'timeout'], 600);
  const d = await attempt(clock, analyser).run(stills(10));
  assert.equal(d.outcome, 'timeout');
  assert.equal(d.reason, 'no-liveness', 'a good frame was seen, liveness still pending');
  assert.equal(d.frames, 4, 'frames 2 and 3 timed out; frame 4 arrived past the budget');
  assert.equal(analyser.frames.length, 3);
  assert.equal(d.scoredFrames, 1);
  assert.equal(d.stageTimings.total, timings(1).total, 'nothing added for the skipped frames');
});

test('the camera ending, a failing worker and a cancel end the attempt', async () => {
  const clock = new ManualClock();
  const ended = await attempt(clock, new ScriptedAnalyser(clock, [{ face: false }])).run(stills(2));
  assert.deepEqual([ended.outcome, ended.reason, ended.liveness], ['timeout', 'no-face', undefined]);
  const seen = await attempt(clock, new ScriptedAnalyser(clock, [{ similarity: 0.9 }])).run(stills(1));
  assert.deepEqual([seen.outcome, seen.reason], ['timeout', 'source-ended']);
  await assert.rejects(attempt(clock, new ScriptedAnalyser(clock, ['broken'])).run(stills(2)), /worker gone/);
  const ac = new AbortController();
  const cancelling: FrameAnalyser = {
    analyse: async () => {
      ac.abort();
      return { width: 640, height: 480, faces: [], timings: timings(1) };
    },
  };
  await assert.rejects(attempt(clock, cancelling).run(stills(5), ac.signal), CancelledError);
});

test('a cue shown on a screen that reports drawing waits for that report (its time reaches the challenge); without one it does not', async () => {
  for (const reports of [true, false]) {
    const clock = new ManualClock();
    const liveness = new LivenessTracker(() => drawChallenge(DEFAULT_CHALLENGE_POLICY, () => 0));
    const drawnAt: (number | undefined)[] = [];
    const awaitDrawn = liveness.awaitDrawn.bind(liveness);
    let asked = 0;
    liveness.awaitDrawn = () => {
      asked++;
      const opened = awaitDrawn();
      return (at) => {
        drawnAt.push(at);
        opened(at);
      };
    };
    const shown: string[] = [];
    await new FaceAttempt({
      analyser: new ScriptedAnalyser(clock, [{ similarity: 0.9 }]),
      clock,
      log: silentLogger,
      policy: { ...DEFAULT_DECISION_POLICY, threshold: 0.6, budgetMs: 1_000 },
      guidance: DEFAULT_GUIDANCE_POLICY,
      liveness,
      enrolled: () => embeddingAt(1),
      onGuidance: (e) => {
        shown.push(e.kind);
        return reports ? Promise.resolve(clock.monotonic() + 40) : undefined;
      },
    }).run(stills(12));
    assert.ok(shown.includes('blink-once'), shown.join(','));
    assert.equal(asked, reports ? 1 : 0, `${reports}: ${shown.join(',')}`);
    if (reports) assert.ok(drawnAt.length === 1 && typeof drawnAt[0] === 'number', String(drawnAt));
  }
});

test.run();
