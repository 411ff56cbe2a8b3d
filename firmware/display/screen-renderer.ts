/**
 * The display pipeline: screen → Layout (fitted to the panel's logical size) → SVG → sharp →
 * RGBA → the framebuffer's pixel layout (with rotation and stride) → Display.show. Reuses one
 * output buffer per frame size, and one scratch frame for screens drawn from a cached base.
 * Reports the time of each stage for the bench.
 */
import sharp from 'sharp';
import type { Display } from '../ports/display.ts';
import { FontSet } from './fonts/font-set.ts';
import type { Lang } from './i18n/languages.ts';
import { buildLayout } from './layout/build-layout.ts';
import type { Theme } from './layout/theme.ts';
import type { Layout } from './layout/types.ts';
import { convertFrame, logicalSize, type Rotation } from './render/pixel-format.ts';
import { paintDots } from './render/dots.ts';
import { blendOver, copyFrame, pasteImage } from './render/compose-frame.ts';
import { OVERLAY_MARGIN, rasterize, rasterizeBase, rasterizeOverlay } from './render/rasterize.ts';
import type { Layer, Rgba } from './render/rgba.ts';
import { layoutSvg } from './render/svg.ts';
import type { ScreenId, ScreenParams } from './screens/screen-def.ts';

export interface FrameTiming {
  readonly layoutMs: number;
  readonly renderMs: number;
  readonly convertMs: number;
  readonly writeMs: number;
}

export class ScreenRenderer {
  readonly fonts: FontSet;
  readonly width: number;
  readonly height: number;
  #out: Buffer | undefined;
  /** Frames drawn from the cached base frame without a new SVG render (diagnostics, tests). */
  partialFrames = 0;
  /**
   * The last screen with dots or image slots, rendered without them (and without its overlay
   * shapes, kept as a separate layer), keyed by its SVG.
   */
  #base: { key: string; rgba: Rgba; overlay: Layer | undefined } | undefined;
  /** The frame drawn from #base (reused: a key press or a camera frame allocates no frame). */
  #scratch: Buffer | undefined;

  constructor(
    readonly display: Display,
    readonly rotate: Rotation = 0,
    fonts?: FontSet,
  ) {
    // Every frame is different (or patched in place): libvips' operation cache only costs memory.
    sharp.cache(false);
    this.fonts = fonts ?? new FontSet();
    ({ width: this.width, height: this.height } = logicalSize(display.geometry, rotate));
  }

  /** Drops the cached base frame (the next frame is a full render). */
  forgetCache(): void {
    this.#base = undefined;
    this.#dropScratch();
  }

  /** The scratch frame may hold the chip photo or a camera frame: zeroed before it is let go. */
  #dropScratch(): void {
    this.#scratch?.fill(0);
    this.#scratch = undefined;
  }

  layout(screen: ScreenId, params: ScreenParams, lang: Lang, theme: Theme): Layout {
    return buildLayout({ screen, params, lang, width: this.width, height: this.height, theme }, this.fonts);
  }

  /**
   * Full render for plain screens. Screens with masked dots or image slots (PIN entry, live
   * camera preview, chip photo) are drawn from a cached base frame while their SVG is unchanged:
   * images pasted into their slots, the overlay layer (frame guide) blended over them, the dots
   * painted, so a key press or a camera frame costs no SVG render.
   */
  async #rasterize(layout: Layout, params: ScreenParams): Promise<Rgba> {
    if (!layout.dots && layout.images.length === 0) {
      this.#base = undefined;
      this.#dropScratch();
      return rasterize(layout);
    }
    const key = layoutSvg(layout, false);
    let base = this.#base;
    if (base?.key === key) this.partialFrames++;
    else {
      base = { key, rgba: await rasterizeBase(layout), overlay: await rasterizeOverlay(layout) };
      this.#base = base;
    }
    const frame = copyFrame(base.rgba, this.#scratch);
    if (frame.data !== this.#scratch) this.#dropScratch(); // another frame size
    this.#scratch = frame.data;
    for (const slot of layout.images) {
      const img = params[slot.id];
      if (img) await pasteImage(frame, slot, img);
    }
    if (base.overlay) {
      for (const s of layout.shapes) {
        const m = OVERLAY_MARGIN;
        if (s.overlay) blendOver(frame, base.overlay, { x: s.rect.x - m, y: s.rect.y - m, w: s.rect.w + 2 * m, h: s.rect.h + 2 * m });
      }
    }
    if (layout.dots) paintDots(frame, layout.dots);
    return frame;
  }

  /** Lays out, renders and writes one screen; resolves when the frame is on the panel. */
  async present(screen: ScreenId, params: ScreenParams, lang: Lang, theme: Theme): Promise<{ layout: Layout; timing: FrameTiming }> {
    const t0 = performance.now();
    const layout = this.layout(screen, params, lang, theme);
    const t1 = performance.now();
    const rgba = await this.#rasterize(layout, params);
    const t2 = performance.now();
    const frame = convertFrame(rgba, this.display.geometry, this.rotate, this.#out);
    this.#out = frame;
    const t3 = performance.now();
    await this.display.show(frame);
    const t4 = performance.now();
    return { layout, timing: { layoutMs: t1 - t0, renderMs: t2 - t1, convertMs: t3 - t2, writeMs: t4 - t3 } };
  }
}
