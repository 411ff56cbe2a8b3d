/**
 * Raw touch coordinates → logical display pixels: normalise by the panel's axis ranges, swap and
 * invert axes as the panel is wired, then rotate with the display (0/90/180/270 clockwise, the
 * same rotation the renderer applies) and scale to the logical screen.
 */
export interface Calibration {
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
  readonly swapXY: boolean;
  readonly invertX: boolean;
  readonly invertY: boolean;
}

export interface Mapping {
  readonly calibration: Calibration;
  readonly rotate: 0 | 90 | 180 | 270;
  /** Logical screen size (after rotation), in px. */
  readonly width: number;
  readonly height: number;
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

export function mapTouch(m: Mapping, rawX: number, rawY: number): { x: number; y: number } {
  const c = m.calibration;
  let u = clamp01((rawX - c.minX) / Math.max(1, c.maxX - c.minX));
  let v = clamp01((rawY - c.minY) / Math.max(1, c.maxY - c.minY));
  if (c.swapXY) [u, v] = [v, u];
  if (c.invertX) u = 1 - u;
  if (c.invertY) v = 1 - v;
  // (u, v) is on the physical panel; the logical image was rotated clockwise by `rotate` onto it.
  let lu: number;
  let lv: number;
  switch (m.rotate) {
    case 0:
      lu = u;
      lv = v;
      break;
    case 90:
      lu = v;
      lv = 1 - u;
      break;
    case 180:
      lu = 1 - u;
      lv = 1 - v;
      break;
    case 270:
      lu = 1 - v;
      lv = u;
      break;
  }
  return { x: Math.min(m.width - 1, Math.floor(lu * m.width)), y: Math.min(m.height - 1, Math.floor(lv * m.height)) };
}
