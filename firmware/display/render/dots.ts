/**
 * The masked PIN entry (●○○○) painted straight into an RGBA frame: filled discs for digits
 * entered, rings for the rest, anti-aliased by pixel coverage. Painted in JS after rasterizing,
 * so a key press costs a copy of the cached frame and a few thousand pixels, not a new render.
 */
import type { Dots } from '../layout/types.ts';
import type { Rgba } from './rgba.ts';

export function dotGeometry(d: Dots): { r: number; step: number; x0: number; cy: number; stroke: number } {
  const r = Math.min(d.rect.h * 0.32, d.rect.w / (d.total * 3));
  return { r, step: r * 3, x0: d.rect.x + r * 1.5, cy: d.rect.y + d.rect.h / 2, stroke: Math.max(2, r * 0.18) };
}

function parseColour(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.replace('#', ''), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

export function paintDots(frame: Rgba, d: Dots): void {
  const { r, step, x0, cy, stroke } = dotGeometry(d);
  const [cr, cg, cb] = parseColour(d.color);
  const data = frame.data;
  for (let i = 0; i < d.total; i++) {
    const cx = x0 + i * step;
    const filled = i < d.filled;
    const reach = r + stroke / 2 + 1;
    const ys = Math.max(0, Math.floor(cy - reach));
    const ye = Math.min(frame.height - 1, Math.ceil(cy + reach));
    const xs = Math.max(0, Math.floor(cx - reach));
    const xe = Math.min(frame.width - 1, Math.ceil(cx + reach));
    for (let y = ys; y <= ye; y++) {
      for (let x = xs; x <= xe; x++) {
        const dist = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const outer = filled ? r + stroke / 2 : r + stroke / 2;
        let a = Math.min(1, Math.max(0, outer + 0.5 - dist));
        if (!filled) a = Math.min(a, Math.max(0, dist - (r - stroke / 2) + 0.5));
        if (a <= 0) continue;
        const o = (y * frame.width + x) * 4;
        data[o] = Math.round((data[o] as number) * (1 - a) + cr * a);
        data[o + 1] = Math.round((data[o + 1] as number) * (1 - a) + cg * a);
        data[o + 2] = Math.round((data[o + 2] as number) * (1 - a) + cb * a);
      }
    }
  }
}
