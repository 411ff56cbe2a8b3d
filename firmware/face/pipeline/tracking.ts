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

/** An axis-aligned square, frame pixels. */
export interface Square {
  readonly cx: number;
  readonly cy: number;
  readonly side: number;
}

/**
 * A detector box's side over the RMS radius of the 68 landmarks, and its centre's offset below
 * their centroid in the same unit: medians over 136 frames of the five simulated patients
 * (detector box 3.18–3.69 r, 10th–90th percentile; centre 0.03–0.21 r lower).
 */
const SIDE_PER_RADIUS = 3.5;
const CENTRE_BELOW = 0.1;

/** The landmark crop a detector box would give for a face with these landmarks. */
export function landmarkSquare(points: readonly Point[]): Square {
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) { mx += x; my += y; }
  mx /= points.length || 1;
  my /= points.length || 1;
  let r = 0;
  for (const [x, y] of points) r += (x - mx) ** 2 + (y - my) ** 2;
  r = Math.sqrt(r / (points.length || 1));
  return { cx: mx, cy: my + CENTRE_BELOW * r, side: SIDE_PER_RADIUS * r };
}

/** The square crop of a detector box (what the landmark net is given without a prior). */
export function boxSquare(b: Box): Square {
  return { cx: b.x + b.width / 2, cy: b.y + b.height / 2, side: Math.max(b.width, b.height) };
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
export function followingBox(boxes: readonly Box[], prior: Square): Box | undefined {
  let best: Box | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const b of boxes) {
    if (!follows(b, prior)) continue;
    const s = boxSquare(b);
    const d = Math.hypot(s.cx - prior.cx, s.cy - prior.cy);
    if (d < bestD) { best = b; bestD = d; }
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
