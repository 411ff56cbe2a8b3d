/**
 * The display pipeline: screen → Layout (fitted to the panel's logical size) → SVG → sharp →
 * RGBA → the framebuffer's pixel layout (with rotation and stride) → Display.show. Reuses one
 * output buffer per frame size. Reports the time of each stage for the bench.
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
import { rasterize, rasterizeBase, type Rgba } from './render/rasterize.ts';
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
  /** Frames drawn from the cached base frame, only the masked dots repainted (diagnostics, tests). */
  partialFrames = 0;
  /** The last pad screen rendered without its dots, keyed by its SVG (dots are not in the SVG). */
  #base: { key: string; rgba: Rgba } | undefined;

  constructor(readonly display: Display, readonly rotate: Rotation = 0, fonts?: FontSet) {
    // Every frame is different (or patched in place): libvips' operation cache only costs memory.
    sharp.cache(false);
    this.fonts = fonts ?? new FontSet();
    ({ width: this.width, height: this.height } = logicalSize(display.geometry, rotate));
  }

  /** Drops the cached PIN pad base frame (the next frame is a full render). */
  forgetCache(): void {
    this.#base = undefined;
  }

  layout(screen: ScreenId, params: ScreenParams, lang: Lang, theme: Theme): Layout {
    return buildLayout({ screen, params, lang, width: this.width, height: this.height, theme }, this.fonts);
  }

  /**
   * Full render; for a screen with masked dots whose SVG did not change since the last frame (a
   * digit typed or cleared), a copy of the cached base frame with the dots painted on it.
   */
  async #rasterize(layout: Layout, params: ScreenParams): Promise<Rgba> {
    if (!layout.dots || params.preview || params.photo || layout.images.length > 0) {
      this.#base = undefined;
      return rasterize(layout, { preview: params.preview, photo: params.photo });
    }
    const key = layoutSvg(layout);
    let base = this.#base;
    if (base?.key === key) this.partialFrames++;
    else {
      base = { key, rgba: await rasterizeBase(layout) };
      this.#base = base;
    }
    const frame = { data: Buffer.from(base.rgba.data), width: base.rgba.width, height: base.rgba.height };
    paintDots(frame, layout.dots);
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
