/**
 * Landmarks as they cross the thread boundary: one Float64Array (x0, y0, x1, y1, …) instead of
 * 68 two-element arrays. The structured clone copies a typed array in one piece, where 68 arrays
 * are 69 objects to serialise and rebuild on each side (≈ 30 µs of the main thread's round trip,
 * the prior going in and the landmarks coming back). Doubles, so the points are unchanged.
 */
import type { Point } from '../pipeline/geometry.ts';
import type { FaceObservation, FrameAnalysis } from '../pipeline/pipeline.ts';

export type WirePoints = Float64Array;

/** A frame's analysis on the wire: the same, with its landmarks packed. */
export type WireAnalysis = Omit<FrameAnalysis, 'primary'> & {
  readonly primary?: Omit<FaceObservation, 'landmarks'> & { readonly landmarks: WirePoints };
};

export function packPoints(points: readonly Point[]): WirePoints {
  const out = new Float64Array(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    out[i * 2] = points[i]![0];
    out[i * 2 + 1] = points[i]![1];
  }
  return out;
}

export function unpackPoints(packed: WirePoints): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 1 < packed.length; i += 2) out.push([packed[i]!, packed[i + 1]!]);
  return out;
}

export function toWire(a: FrameAnalysis): WireAnalysis {
  const { primary, ...rest } = a;
  return primary ? { ...rest, primary: { ...primary, landmarks: packPoints(primary.landmarks) } } : rest;
}

export function fromWire(a: WireAnalysis): FrameAnalysis {
  const { primary, ...rest } = a;
  return primary ? { ...rest, primary: { ...primary, landmarks: unpackPoints(primary.landmarks) } } : rest;
}
