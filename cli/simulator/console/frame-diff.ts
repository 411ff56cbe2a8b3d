/**
 * What changed between two frames of one display, in its device bytes: the live view sends a
 * browser that has frame A only the rectangle where frame B differs (a PIN pad redraw changes
 * the dots, not the screen), cut out as a small frame of its own.
 */
import { bytesPerPixel } from '../../../firmware/display/render/pixel-format.ts';
import type { DisplayGeometry } from '../../../firmware/ports/display.ts';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The smallest rectangle holding every pixel that differs between `a` and `b` (same geometry); undefined when none does. */
export function changedRect(a: Buffer, b: Buffer, g: DisplayGeometry): Rect | undefined {
  const bpp = bytesPerPixel(g.format);
  const rowBytes = g.width * bpp;
  const rowDiffers = (y: number): boolean =>
    a.compare(b, y * g.stride, y * g.stride + rowBytes, y * g.stride, y * g.stride + rowBytes) !== 0;
  let top = 0;
  while (top < g.height && !rowDiffers(top)) top++;
  if (top === g.height) return undefined;
  let bottom = g.height - 1;
  while (bottom > top && !rowDiffers(bottom)) bottom--;
  const pixelDiffers = (row: number, x: number): boolean => {
    for (let i = row + x * bpp, end = i + bpp; i < end; i++) if (a[i] !== b[i]) return true;
    return false;
  };
  let left = g.width;
  let right = -1;
  for (let y = top; y <= bottom; y++) {
    const row = y * g.stride;
    for (let x = 0; x < left; x++)
      if (pixelDiffers(row, x)) {
        left = x;
        break;
      }
    for (let x = g.width - 1; x > right; x--)
      if (pixelDiffers(row, x)) {
        right = x;
        break;
      }
  }
  return { x: left, y: top, w: right - left + 1, h: bottom - top + 1 };
}

/** The device bytes of `r` in a frame of geometry `g`, as a frame of its own (no row padding). */
export function cropFrame(bytes: Buffer, g: DisplayGeometry, r: Rect): { bytes: Buffer; geometry: DisplayGeometry } {
  const bpp = bytesPerPixel(g.format);
  const out = Buffer.allocUnsafe(r.w * r.h * bpp);
  for (let y = 0; y < r.h; y++) bytes.copy(out, y * r.w * bpp, (r.y + y) * g.stride + r.x * bpp, (r.y + y) * g.stride + (r.x + r.w) * bpp);
  return { bytes: out, geometry: { width: r.w, height: r.h, stride: r.w * bpp, format: g.format } };
}
