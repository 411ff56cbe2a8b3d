/**
 * One face verification on virtual time, as the reader would run it: the real FaceVerifier (its
 * challenge drawn from `seed`), the face pipeline in process, a simulated camera stepping on a
 * ManualClock (each analysed frame costs `analysisMs`), the guidance drawn on a screen that shows
 * it `displayMs` later, and whoever stands in front of the camera reading that screen and doing
 * what it asks (PromptReaction on a PatientBody: a live patient, or an attacker moving a photo).
 * A run's outcome depends on the frames, not on how busy this machine is.
 */
import { silentLogger } from '../../../firmware/core/logger.ts';
import type { FaceDecision } from '../../../firmware/face/decision.ts';
import type { GuidanceKind } from '../../../firmware/face/guidance.ts';
import { asChallengeCue, type ChallengePolicy } from '../../../firmware/face/liveness/challenge.ts';
import type { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import { faceVerifierOn, type FaceAnalyser } from '../../../firmware/face/verifier.ts';
import type { FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';
import type { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { SteppedFrameSource } from '../../../hardware-sim/camera/stepped-frame-source.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import { PromptReaction, type PatientBody, type Prompt } from '../../../hardware-sim/patients/prompt-reaction.ts';
import { inProcessAnalyser } from './in-process-analyser.ts';

export interface SessionSetup {
  /** The clock the run's time is on (a fresh one when absent; give one when the analyser keeps it too). */
  readonly clock?: ManualClock;
  readonly scene: FrameRenderer;
  /** Who reads the screen and acts (undefined: nobody can); `elapsedSec` is the run's time. */
  readonly body?: (elapsedSec: () => number) => PatientBody;
  /** The chip photo (JP2) enrolled before the run. */
  readonly chip: Uint8Array;
  readonly seed: number;
  readonly analysisMs: number;
  readonly budgetMs?: number;
  /** The challenge (default the product's). */
  readonly challenge?: ChallengePolicy;
  readonly displayMs?: number;
}

/** What a body did, seconds from the start of the run (to replay it later). */
export type Done =
  { readonly at: number; readonly blink: number } | { readonly at: number; readonly turnDeg: number; readonly durationSec: number };

export interface SessionResult {
  readonly decision: FaceDecision;
  /** The challenge cues the screen showed, in order. */
  readonly cues: readonly GuidanceKind[];
  /** When each of them was first reported, seconds from the start of the run. */
  readonly cueAt: readonly number[];
  readonly done: readonly Done[];
}

/** A live face's body on the run's time: what it is asked, it does from the frame now shown. */
export function liveBody(face: LiveFaceRenderer): (elapsedSec: () => number) => PatientBody {
  return (elapsedSec) => ({
    blink: (d, inSec = 0) => face.scheduleBlink(elapsedSec() + inSec, d),
    turnHead: (deg, d) => face.scheduleTurn(elapsedSec(), deg, d),
  });
}

/** A run with the pipeline in this thread (`FacePipeline`) or on any analyser (the face worker, on the same ManualClock). */
export async function runSession(on: FacePipeline | FaceAnalyser, s: SessionSetup): Promise<SessionResult> {
  const clock = s.clock ?? new ManualClock();
  const rand = seededRandom(s.seed * 7919 + 1);
  const analyser = 'enrol' in on ? on : inProcessAnalyser(on);
  const verifier = faceVerifierOn(analyser, {
    clock,
    log: silentLogger,
    random: (max) => Math.floor(rand() * max),
    ...(s.challenge ? { challenge: s.challenge } : {}),
  });
  await verifier.enrol(s.chip.slice());
  let shown: Prompt | undefined;
  const cues: GuidanceKind[] = [];
  const cueAt: number[] = [];
  const done: Done[] = [];
  const t0 = clock.monotonic();
  const elapsedSec = (): number => (clock.monotonic() - t0) / 1000;
  const inner = s.body?.(elapsedSec);
  const body: PatientBody | undefined = inner && {
    blink: (d, inSec = 0) => {
      done.push({ at: elapsedSec() + inSec, blink: d ?? 0.3 });
      inner.blink(d, inSec);
    },
    turnHead: (deg, d) => {
      done.push({ at: elapsedSec(), turnDeg: deg, durationSec: d ?? 1.2 });
      inner.turnHead(deg, d);
    },
  };
  const patient = body && new PromptReaction({ clock, seed: s.seed, look: () => shown, body });
  patient?.start();
  const source = new SteppedFrameSource(s.scene, { clock, analysisMs: s.analysisMs, maxFrames: 2_000 });
  try {
    const decision = await verifier.verify(source, {
      ...(s.budgetMs !== undefined ? { budgetMs: s.budgetMs } : {}),
      onGuidance: (e) => {
        const next = asChallengeCue(e.kind);
        if (next) {
          cues.push(e.kind);
          cueAt.push(elapsedSec());
        }
        clock.setTimeout(() => {
          shown = next;
        }, s.displayMs ?? 150);
        // No drawing is reported: the window counts from the frame that cued it (GuidanceSink).
        return undefined;
      },
    });
    return { decision, cues, cueAt, done };
  } finally {
    patient?.stop();
    await source.close();
    verifier.wipe();
  }
}
