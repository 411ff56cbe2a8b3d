/**
 * Spoof samples for `bench face-accuracy`: single camera frames labelled in their file name
 * (`_F` spoof, `_T` real). Each readable frame is turned upright (the samples were shot with
 * the camera on its side: the rotation with the most confident upright face wins), measured
 * by the passive cues, and replayed as sequences through the liveness tracker exactly as the
 * visit would see them (following the face from frame to frame): the frame held still, and the
 * frame moved as a plane. A real person's single frame replayed is a spoof too; what a real
 * sample must pass is the passive check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { assessFrame } from '../../../firmware/face/guidance.ts';
import { DEFAULT_CHALLENGE_POLICY, drawChallenge } from '../../../firmware/face/liveness/challenge.ts';
import { LivenessTracker, type LivenessVerdict } from '../../../firmware/face/liveness/liveness.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';
import type { FaceObservation, FacePipeline, FrameAnalysis } from '../../../firmware/face/pipeline/pipeline.ts';
import { rigidSequence, stillSequence, type Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import type { StillFrame } from '../../../hardware-sim/face/array-frame-source.ts';

export interface SpoofSampleResult {
  readonly file: string;
  readonly label: 'spoof' | 'real' | 'unknown';
  readonly readable: boolean;
  readonly rotation?: number;
  readonly faceFound?: boolean;
  readonly passive?: { clipped: number; sharpness: number; problems: string[] };
  readonly still?: LivenessVerdict['state'];
  readonly moved?: LivenessVerdict['state'];
  readonly stillReason?: string;
  readonly movedReason?: string;
}

async function upright(
  bytes: Buffer,
  pipeline: FacePipeline,
): Promise<{ image: Rgb; rotation: number; analysis: FrameAnalysis } | undefined> {
  let best: { image: Rgb; rotation: number; analysis: FrameAnalysis; score: number } | undefined;
  for (const rotation of [0, 90, 180, 270]) {
    const { data, info } = await sharp(bytes)
      .rotate(rotation)
      .resize(640, 480, { fit: 'contain', background: '#000' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = { width: info.width, height: info.height, data: new Uint8Array(data) };
    const analysis = await pipeline.analyse({ ...image, channels: 3 }, { embed: false });
    const score = analysis.primary ? analysis.primary.box.score - 0.1 * Math.abs(analysis.primary.pose.roll) : -1;
    if (score > (best?.score ?? -1)) best = { image, rotation, analysis, score };
  }
  return best;
}

async function replay(frames: readonly StillFrame[], pipeline: FacePipeline): Promise<LivenessVerdict> {
  const rand = seededRandom(5);
  const tracker = new LivenessTracker(() => drawChallenge(DEFAULT_CHALLENGE_POLICY, (max) => Math.floor(rand() * max)));
  let verdict = tracker.verdict();
  let prior: FaceObservation['landmarks'] | undefined;
  for (const [i, f] of frames.entries()) {
    const a = await pipeline.analyse(
      { width: f.width, height: f.height, channels: 3, data: f.data },
      { embed: false, follow: true, prior },
    );
    prior = a.primary?.landmarks ?? prior;
    if (a.primary) verdict = tracker.add({ at: i * 33, face: a.primary });
    if (verdict.state !== 'pending') break;
  }
  return verdict;
}

export async function runSpoofSamples(dir: string, files: readonly string[], pipeline: FacePipeline): Promise<SpoofSampleResult[]> {
  const out: SpoofSampleResult[] = [];
  for (const file of [...files].filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
    const label = /_F\d*\./i.test(file) ? 'spoof' : /_T\d*\./i.test(file) ? 'real' : 'unknown';
    let found;
    try {
      found = await upright(readFileSync(join(dir, file)), pipeline);
    } catch {
      out.push({ file, label, readable: false });
      continue;
    }
    if (!found?.analysis.primary) {
      out.push({ file, label, readable: true, faceFound: false });
      continue;
    }
    const { image, rotation, analysis } = found;
    const s = analysis.primary!.stats;
    const still = await replay(stillSequence(image, 30), pipeline);
    const moved = await replay(rigidSequence(image, 40), pipeline);
    out.push({
      file,
      label,
      readable: true,
      rotation,
      faceFound: true,
      passive: { clipped: Number(s.clipped.toFixed(4)), sharpness: Number(s.sharpness.toFixed(1)), problems: assessFrame(analysis) },
      still: still.state,
      stillReason: still.reason,
      moved: moved.state,
      movedReason: moved.reason,
    });
    image.data.fill(0);
  }
  return out;
}
