/**
 * Rasterizes a Layout: SVG → sharp (librsvg, pango, fontconfig) → raw RGBA, with the live camera
 * preview and the chip photo composited into their slots (cover-fit). Pixels of those images are
 * secrets: they only pass through sharp's memory here, never a file or a log.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { ImageSlot, Layout, Rect } from '../layout/types.ts';
import type { RawImage } from '../screens/screen-def.ts';
import { paintDots } from './dots.ts';
import type { Layer, Rgba } from './rgba.ts';
import { inkProbeSvg, layoutSvg, overlaySvg } from './svg.ts';

/** Pixels around an overlay shape's rect that belong to it (stroke, anti-aliasing). */
export const OVERLAY_MARGIN = 8;

export interface SlotImages {
  readonly preview?: RawImage | undefined;
  readonly photo?: RawImage | undefined;
}

async function slotOverlay(slot: ImageSlot, img: RawImage): Promise<OverlayOptions> {
  const input = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .resize(slot.rect.w, slot.rect.h, { fit: 'cover' })
    .ensureAlpha()
    .raw()
    .toBuffer();
  return { input, raw: { width: slot.rect.w, height: slot.rect.h, channels: 4 }, left: slot.rect.x, top: slot.rect.y };
}

export async function rasterize(layout: Layout, images: SlotImages = {}): Promise<Rgba> {
  const overlays: OverlayOptions[] = [];
  for (const slot of layout.images) {
    const img = images[slot.id];
    if (img) overlays.push(await slotOverlay(slot, img));
  }
  let pipeline = sharp(Buffer.from(layoutSvg(layout, overlays.length === 0)));
  if (overlays.length > 0) {
    if (layout.shapes.some((s) => s.overlay)) overlays.push({ input: Buffer.from(overlaySvg(layout)), left: 0, top: 0 });
    const base = await pipeline.ensureAlpha().raw().toBuffer();
    pipeline = sharp(base, { raw: { width: layout.width, height: layout.height, channels: 4 } }).composite(overlays);
  }
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const frame = { data, width: info.width, height: info.height };
  if (layout.dots) paintDots(frame, layout.dots);
  return frame;
}

/** The screen without its masked dots, images and overlay shapes (a cached base frame). */
export async function rasterizeBase(layout: Layout): Promise<Rgba> {
  const { data, info } = await sharp(Buffer.from(layoutSvg(layout, false)))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The screen area the overlay shapes can paint (their rects plus OVERLAY_MARGIN), or undefined. */
export function overlayBounds(layout: Layout): Rect | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const s of layout.shapes) {
    if (!s.overlay) continue;
    x0 = Math.min(x0, s.rect.x - OVERLAY_MARGIN);
    y0 = Math.min(y0, s.rect.y - OVERLAY_MARGIN);
    x1 = Math.max(x1, s.rect.x + s.rect.w + OVERLAY_MARGIN);
    y1 = Math.max(y1, s.rect.y + s.rect.h + OVERLAY_MARGIN);
  }
  const x = Math.max(0, Math.floor(x0));
  const y = Math.max(0, Math.floor(y0));
  const w = Math.min(layout.width, Math.ceil(x1)) - x;
  const h = Math.min(layout.height, Math.ceil(y1)) - y;
  return w > 0 && h > 0 ? { x, y, w, h } : undefined;
}

/**
 * The overlay shapes alone on a transparent layer, cut to `overlayBounds` (the face screen's
 * frame guide: a fraction of the 2.4 MB a full-size layer would keep), or undefined when none.
 */
export async function rasterizeOverlay(layout: Layout): Promise<Layer | undefined> {
  const b = overlayBounds(layout);
  if (!b) return undefined;
  const { data, info } = await sharp(Buffer.from(overlaySvg(layout)))
    .ensureAlpha()
    .extract({ left: b.x, top: b.y, width: b.w, height: b.h })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, left: b.x, top: b.y };
}

/**
 * Overflow check by pixels: renders `inkProbeSvg` and counts dark pixels left outside every text
 * box. Returns the bounding box of the stray ink, or undefined when every glyph is inside its box.
 */
export async function inkOutsideBoxes(
  layout: Layout,
): Promise<{ count: number; x0: number; y0: number; x1: number; y1: number } | undefined> {
  const { data, info } = await sharp(Buffer.from(inkProbeSvg(layout)))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let count = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) < 128) {
      count++;
      const x = i % info.width;
      const y = Math.floor(i / info.width);
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return count === 0 ? undefined : { count, x0, y0, x1, y1 };
}
