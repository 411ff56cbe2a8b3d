/**
 * Where in a frame the detector looks, and how its boxes come back. A view is a square of the
 * frame (centre, side, turn) mapped onto the detector's square input; parts of the square outside
 * the frame are black, as in the letterbox the detector was trained with. The ways of looking when
 * the plain letterbox finds nothing (`FALLBACK_VIEWS`):
 * - `padded`: the whole frame shrunk into the middle of the input, so a face that fills the image
 *   and touches its border (a tight chip photo, a patient too close) is whole and detector-sized;
 * - `centre`: the middle of the frame enlarged, for a small face where the patient stands;
 * - `turned±`: the frame turned by ∓25° first, for a head tilted 15–40° in the image plane;
 * - `equalised`: the letterbox of a copy with its exposure evened out (exposure.ts), for dark,
 *   washed-out and backlit frames.
 */
import type { Box } from './detector-decode.ts';
import type { Affine } from './raster.ts';

export interface View {
  readonly cx: number;
  readonly cy: number;
  readonly side: number;
  /** Radians; the view's up is turned by this from the frame's up (a face tilted by it looks upright). */
  readonly angle: number;
}

/** A detection in frame pixels, with the turn of the view it was found in. */
export interface Detection extends Box {
  readonly angle: number;
}

export type ViewKind = 'letterbox' | 'padded' | 'centre' | 'turned-' | 'turned+';

/** A way of looking: which square, on what detector input size, of the frame as it came or equalised. */
export interface ViewSpec {
  readonly kind: ViewKind;
  readonly size: number;
  readonly equalised: boolean;
}

const spec = (kind: ViewKind, size: number, equalised = true): ViewSpec => ({ kind, size, equalised });

/**
 * A still (a chip photo; a single frame) is looked at every way, cheapest first, and the best face
 * of all is taken: the detector finds faces 50–300 px wide in its input, so a face that fills the
 * image wants a small input and a margin, a small one a large input on the middle of the frame.
 * Chosen on face-api's demo photos and their harder variants (not on the set the accuracy bench
 * reports on): these views together find the face in 346 of their 352 variants.
 */
export const STILL_VIEWS: readonly ViewSpec[] = [
  spec('letterbox', 320),
  spec('padded', 224),
  spec('padded', 160),
  spec('turned+', 160),
  spec('turned-', 160),
  spec('centre', 224),
  spec('centre', 416),
  spec('letterbox', 416, false),
];

/** A stream's faceless frame (nobody followed yet) tries one of these more, in turn, after the usual two looks. */
export const STREAM_FALLBACK_VIEWS: readonly ViewSpec[] = [
  spec('padded', 224),
  spec('centre', 416),
  spec('turned+', 160),
  spec('turned-', 160),
  spec('letterbox', 320),
];

const TURN = (25 * Math.PI) / 180;
/** The padded view's side over the frame's longer side (the frame fills 60 % of the input). */
const PADDED = 1 / 0.6;
/** The centre view's side over the frame's shorter side. */
const CENTRE = 0.6;

/** The plain letterbox: the frame in the top-left of a square of its longer side. */
export function letterbox(width: number, height: number): View {
  const side = Math.max(width, height);
  return { cx: side / 2, cy: side / 2, side, angle: 0 };
}

export function viewOf(kind: ViewKind, width: number, height: number): View {
  const cx = width / 2;
  const cy = height / 2;
  const long = Math.max(width, height);
  switch (kind) {
    case 'letterbox':
      return letterbox(width, height);
    case 'padded':
      return { cx, cy, side: long * PADDED, angle: 0 };
    case 'centre':
      return { cx, cy, side: Math.min(width, height) * CENTRE, angle: 0 };
    case 'turned-':
      return { cx, cy, side: long, angle: -TURN };
    case 'turned+':
      return { cx, cy, side: long, angle: TURN };
  }
}

/** Sampling map for warpToFloat: input pixel (u, v) of a `size` input ← frame point. */
export function viewToFrame(view: View, size: number): Affine {
  const s = view.side / size;
  const c = Math.cos(view.angle) * s;
  const n = Math.sin(view.angle) * s;
  const h = size / 2;
  // frame = centre + R(angle)·s·(u − h, v − h)
  return [c, -n, view.cx - c * h + n * h, n, c, view.cy - n * h - c * h];
}

/** A box found in the view's input (input pixels) → a detection in frame pixels. */
export function boxToFrame(b: Box, view: View, size: number): Detection {
  const [a, bb, c, d, e, f] = viewToFrame(view, size);
  const u = b.x + b.width / 2;
  const v = b.y + b.height / 2;
  const cx = a * u + bb * v + c;
  const cy = d * u + e * v + f;
  const s = view.side / size;
  return {
    x: cx - (b.width * s) / 2,
    y: cy - (b.height * s) / 2,
    width: b.width * s,
    height: b.height * s,
    score: b.score,
    angle: view.angle,
  };
}
