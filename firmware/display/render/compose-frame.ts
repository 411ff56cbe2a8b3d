/**
 * Frame composition in memory for screens redrawn often (live camera preview, PIN entry): an
 * image resized into its slot (cover-fit, by sharp), and a transparent overlay layer blended
 * over a region (source-over), on a copy of a cached base frame.
 */
import sharp from 'sharp';
import type { ImageSlot, Rect } from '../layout/types.ts';
import type { RawImage } from '../screens/screen-def.ts';
import { FrameSizeError } from './pixel-format.ts';
import type { Layer, Rgba } from './rgba.ts';

/** A copy of `f`, written into `into` when that has the same size (no new 2.4 MB buffer per frame). */
export function copyFrame(f: Rgba, into?: Buffer): Rgba {
  if (into?.length !== f.data.length) return { data: Buffer.from(f.data), width: f.width, height: f.height };
  f.data.copy(into);
  return { data: into, width: f.width, height: f.height };
}

export async function pasteImage(frame: Rgba, slot: ImageSlot, img: RawImage): Promise<void> {
  const { x, y, w, h } = slot.rect;
  const pixels = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .resize(w, h, { fit: 'cover' })
    .removeAlpha()
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer();
  if (pixels.length !== w * h * 4)
    throw new FrameSizeError(`image for slot ${slot.id} came out as ${pixels.length} bytes, not ${w}×${h} RGBA`);
  for (let row = 0; row < h && y + row < frame.height; row++) {
    pixels.copy(frame.data, ((y + row) * frame.width + x) * 4, row * w * 4, row * w * 4 + Math.min(w, frame.width - x) * 4);
  }
}

/** Source-over blend of `overlay` (a layer placed at its left/top) onto `frame` within `rect`. */
export function blendOver(frame: Rgba, overlay: Layer, rect: Rect): void {
  const x0 = Math.max(0, overlay.left, Math.floor(rect.x));
  const y0 = Math.max(0, overlay.top, Math.floor(rect.y));
  const x1 = Math.min(frame.width, overlay.left + overlay.width, Math.ceil(rect.x + rect.w));
  const y1 = Math.min(frame.height, overlay.top + overlay.height, Math.ceil(rect.y + rect.h));
  const d = frame.data;
  const s = overlay.data;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * frame.width + x) * 4;
      const i = ((y - overlay.top) * overlay.width + (x - overlay.left)) * 4;
      const a = (s[i + 3] as number) / 255;
      if (a === 0) continue;
      d[o] = Math.round((s[i] as number) * a + (d[o] as number) * (1 - a));
      d[o + 1] = Math.round((s[i + 1] as number) * a + (d[o + 1] as number) * (1 - a));
      d[o + 2] = Math.round((s[i + 2] as number) * a + (d[o + 2] as number) * (1 - a));
    }
  }
}
