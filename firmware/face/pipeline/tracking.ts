/**
 * Following one face across frames. The tiny detector's box is not a stable reference: on some
 * faces it flips between two positions ≈ 30 px apart from one frame to the next (two grid cells
 * competing), and its score dips when the eyes close. The 68-point net, given a different crop,
 * answers with a differently shaped face, which liveness then reads as motion. So once a face
 * has landmarks, the next frame's landmark crop comes from those landmarks (a square around
 * their centroid, sized from their spread, calibrated to the size and place of a detector box on
 * the same faces); the detector only has to confirm that the face is still there. When the
 * full-frame detection misses a face the previous frame had, the detector looks again in a crop
 * around it, where the face is large in the input and no other face competes (and, before any
 * face is followed, in the centre of the frame).
 */
import type { Box } from './detector-decode.ts';
import type { Point } from './geometry.ts';

/**
 * A square in frame pixels, turned by `angle` (radians, the face's roll: its eye line's slope), so
 * the landmark net sees the face upright whatever the head's tilt in the image plane.
 */
export interface Square {
  readonly cx: number;
  readonly cy: number;
  readonly side: number;
  readonly angle: number;
}

/**
 * A detector box's side over the RMS radius of the 68 landmarks, and its centre's offset below
 * their centroid in the same unit: medians over 136 frames of the five simulated patients
 * (detector box 3.18–3.69 r, 10th–90th percentile; centre 0.03–0.21 r lower).
 */
const SIDE_PER_RADIUS = 3.5;
const CENTRE_BELOW = 0.1;

/** The roll of 68 landmarks: the angle of the line from the image-left eye's centre to the other's. */
export function rollOf(points: readonly Point[]): number {
  let lx = 0;
  let ly = 0;
  let rx = 0;
  let ry = 0;
  for (let i = 36; i < 42; i++) {
    lx += points[i]![0];
    ly += points[i]![1];
    rx += points[i + 6]![0];
    ry += points[i + 6]![1];
  }
  return Math.atan2(ry - ly, rx - lx);
}

/** The landmark crop a detector box would give for a face with these landmarks, turned to their roll. */
export function landmarkSquare(points: readonly Point[]): Square {
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x;
    my += y;
  }
  mx /= points.length || 1;
  my /= points.length || 1;
  let r = 0;
  for (const [x, y] of points) r += (x - mx) ** 2 + (y - my) ** 2;
  r = Math.sqrt(r / (points.length || 1));
  const angle = points.length === 68 ? rollOf(points) : 0;
  // "Below the centroid" is along the face's own down.
  return { cx: mx - Math.sin(angle) * CENTRE_BELOW * r, cy: my + Math.cos(angle) * CENTRE_BELOW * r, side: SIDE_PER_RADIUS * r, angle };
}

/** The square crop of a detector box (what the landmark net is given without a prior), at the turn it was found at. */
export function boxSquare(b: Box, angle = 0): Square {
  return { cx: b.x + b.width / 2, cy: b.y + b.height / 2, side: Math.max(b.width, b.height), angle };
}

/**
 * Is `box` the face that was at `prior`? Its centre within 40 % of the prior's side, its size
 * within a factor 1.6 (a head moves a few pixels between frames; a second person is elsewhere).
 */
export function follows(box: Box, prior: Square): boolean {
  const b = boxSquare(box);
  const ratio = b.side / prior.side;
  return Math.hypot(b.cx - prior.cx, b.cy - prior.cy) <= 0.4 * prior.side && ratio >= 1 / 1.6 && ratio <= 1.6;
}

/** Of `boxes`, the one that follows `prior` with its centre nearest to it, if any. */
export function followingBox<B extends Box>(boxes: readonly B[], prior: Square): B | undefined {
  let best: B | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const b of boxes) {
    if (!follows(b, prior)) continue;
    const s = boxSquare(b);
    const d = Math.hypot(s.cx - prior.cx, s.cy - prior.cy);
    if (d < bestD) {
      best = b;
      bestD = d;
    }
  }
  return best;
}

/** Crops (relative to the prior's side) in which the detector looks again when it lost the face. */
export const SEARCH_CROPS: readonly number[] = [2, 1.6];
/** Input side of the detector on a search crop (the face fills about half of it). */
export const SEARCH_INPUT = 224;
/**
 * Before any face is followed, a frame where the full-frame detection found nothing is searched
 * again in the centre square (this share of the frame height), where the reader's screen asks
 * the patient to put their face.
 */
export const GUIDE_SIDE = 0.85;
/** Lowest score accepted in a search crop: the prior already says where the face is. */
export const SEARCH_MIN_SCORE = 0.2;

/**
 * Between the detector's confirmations, a followed face's box is the last confirmed box carried
 * along by the landmarks: moved and scaled as their square moved and grew since that confirmation
 * (so guidance and liveness see a box of the detector's own size and place for this face).
 */
export interface Anchor {
  /** The detector's box at the last confirmation. */
  readonly box: Box & { readonly angle: number };
  /** The landmark square of the same frame. */
  readonly square: Square;
}

export function anchoredBox(anchor: Anchor, now: Square): Box & { readonly angle: number } {
  const k = now.side / anchor.square.side;
  const { box } = anchor;
  const cx = now.cx + (box.x + box.width / 2 - anchor.square.cx) * k;
  const cy = now.cy + (box.y + box.height / 2 - anchor.square.cy) * k;
  const width = box.width * k;
  const height = box.height * k;
  return { x: cx - width / 2, y: cy - height / 2, width, height, score: box.score, angle: box.angle };
}

/**
 * Do landmarks found without the detector still describe the face it last confirmed? Their square
 * within a factor 1.25 of the size it had then, its centre within a quarter of that side: a few
 * frames cannot change a face more. The landmark net, given a crop, always answers with a face;
 * one drifting off it (shrinking onto a feature, sliding away) fails this before it can follow
 * anything else, and the detector looks again.
 */
export function stillAnchored(anchor: Anchor, now: Square): boolean {
  const ratio = now.side / anchor.square.side;
  return (
    ratio >= 1 / 1.25 && ratio <= 1.25 && Math.hypot(now.cx - anchor.square.cx, now.cy - anchor.square.cy) <= 0.25 * anchor.square.side
  );
}

/**
 * What the detector does on a followed frame, given the frames since it last confirmed the face
 * and since it last looked at the whole frame: `glance` (nothing: the landmarks alone follow the
 * face), `confirm` (the small crop around it) or `full` (the crop and the whole frame).
 */
export type FollowStep = 'glance' | 'confirm' | 'full';

export function followStep(sinceConfirm: number, sinceFull: number, confirmEvery: number, fullEvery: number): FollowStep {
  if (sinceFull + 1 >= fullEvery) return 'full';
  return sinceConfirm + 1 < confirmEvery ? 'glance' : 'confirm';
}

/** Shares of followed frames on which the detector confirms (any crop) and looks at the whole frame, in the steady state. */
export function followShares(confirmEvery: number, fullEvery: number): { confirm: number; full: number } {
  let sinceConfirm = 0;
  let sinceFull = 0;
  let confirms = 0;
  let fulls = 0;
  const n = confirmEvery * fullEvery * 4;
  for (let i = 0; i < n; i++) {
    const step = followStep(sinceConfirm, sinceFull, confirmEvery, fullEvery);
    if (step === 'glance') {
      sinceConfirm++;
      sinceFull++;
      continue;
    }
    confirms++;
    sinceConfirm = 0;
    if (step === 'full') {
      fulls++;
      sinceFull = 0;
    } else sinceFull++;
  }
  return { confirm: confirms / n, full: fulls / n };
}
