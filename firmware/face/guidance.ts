/**
 * Guidance for the patient while the camera looks: derived from one frame's analysis (faces,
 * landmarks, image statistics). The visit shows each kind in the patient's language; this
 * module only names it. Thresholds are a documented, configurable policy (docs/face-models.md).
 */
import type { FrameAnalysis } from './pipeline/pipeline.ts';

export type GuidanceKind =
  | 'no-face'
  | 'several-faces'
  | 'too-far'
  | 'too-close'
  | 'off-centre'
  | 'head-turned'
  | 'too-dark'
  | 'too-bright'
  | 'backlit'
  | 'blurred'
  | 'face-covered'
  | 'blink-once'
  | 'blink-twice'
  | 'blink-thrice'
  | 'turn-left'
  | 'turn-right'
  | 'hold-still'
  | 'ok';

export interface GuidanceEvent {
  readonly kind: GuidanceKind;
  /** Frame sequence the event was computed from. */
  readonly sequence: number;
}

/**
 * Where guidance goes. A screen that reports when it has drawn the hint returns a promise of that
 * time (clock.monotonic(), the timeline of the frames' capture times; undefined when it never drew
 * it: another screen came first): a liveness cue's response window opens only then. Nothing
 * returned (the benches' virtual-time sessions, where nothing draws): it opens at the frame that
 * cued it.
 */
export type GuidanceSink = (event: GuidanceEvent) => Promise<number | undefined> | undefined;

export interface GuidancePolicy {
  /** Face width over frame width. */
  readonly minFaceWidth: number;
  readonly maxFaceWidth: number;
  /** Face centre offset from frame centre, as a fraction of the frame size. */
  readonly maxOffCentre: number;
  /** |yaw| proxy (nose offset / eye distance) and pitch band. */
  readonly maxYaw: number;
  readonly pitchRange: readonly [number, number];
  readonly minFaceLuma: number;
  readonly maxFaceLuma: number;
  /** Backlit: surround brighter than the face by this factor and the face below maxFaceLuma/2. */
  readonly backlitRatio: number;
  readonly minSharpness: number;
  readonly minMouthTexture: number;
  readonly minEyeBrightness: number;
  /** A second face counts when its area is at least this share of the largest. */
  readonly secondFaceArea: number;
}

export const DEFAULT_GUIDANCE_POLICY: GuidancePolicy = {
  minFaceWidth: 0.15,
  maxFaceWidth: 0.7,
  maxOffCentre: 0.22,
  maxYaw: 0.3,
  pitchRange: [0.3, 0.85],
  minFaceLuma: 70,
  maxFaceLuma: 215,
  backlitRatio: 1.6,
  minSharpness: 12,
  minMouthTexture: 0.06,
  minEyeBrightness: 0.35,
  secondFaceArea: 0.25,
};

/** Every problem in the frame, most important first; `[]` when the frame is usable. */
export function assessFrame(a: FrameAnalysis, p: GuidancePolicy = DEFAULT_GUIDANCE_POLICY): GuidanceKind[] {
  const face = a.primary;
  if (!face) return ['no-face'];
  const out: GuidanceKind[] = [];
  const area = face.box.width * face.box.height;
  if (a.faces.filter((b) => b.width * b.height >= area * p.secondFaceArea).length > 1) out.push('several-faces');
  const rel = face.box.width / a.width;
  const outside = face.box.x < 0 || face.box.y < 0 || face.box.x + face.box.width > a.width || face.box.y + face.box.height > a.height;
  if (rel > p.maxFaceWidth || (outside && rel > p.maxFaceWidth * 0.7)) out.push('too-close');
  else if (rel < p.minFaceWidth) out.push('too-far');
  const cx = (face.box.x + face.box.width / 2) / a.width - 0.5;
  const cy = (face.box.y + face.box.height / 2) / a.height - 0.5;
  if (Math.abs(cx) > p.maxOffCentre || Math.abs(cy) > p.maxOffCentre || (outside && !out.includes('too-close'))) out.push('off-centre');
  if (Math.abs(face.pose.yaw) > p.maxYaw || face.pose.pitch < p.pitchRange[0] || face.pose.pitch > p.pitchRange[1]) out.push('head-turned');
  const s = face.stats;
  if (s.surroundLuma > s.faceLuma * p.backlitRatio && s.faceLuma < p.maxFaceLuma / 2) out.push('backlit');
  else if (s.faceLuma < p.minFaceLuma) out.push('too-dark');
  else if (s.faceLuma > p.maxFaceLuma) out.push('too-bright');
  if (s.sharpness < p.minSharpness) out.push('blurred');
  if (s.mouthTexture < p.minMouthTexture || s.eyeBrightness < p.minEyeBrightness) out.push('face-covered');
  return out;
}
