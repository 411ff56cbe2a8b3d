/**
 * The display pipeline: screen → Layout (fitted to the panel's logical size) → SVG → sharp →
 * RGBA → the framebuffer's pixel layout (with rotation and stride) → Display.show. Reuses one
 * output buffer per frame size. Reports the time of each stage for the bench.
 */
import type { Display } from '../ports/display.ts';
import { FontSet } from './fonts/font-set.ts';
import type { Lang } from './i18n/languages.ts';
import { buildLayout } from './layout/build-layout.ts';
import type { Theme } from './layout/theme.ts';
import type { Layout } from './layout/types.ts';
import { convertFrame, logicalSize, type Rotation } from './render/pixel-format.ts';
import { rasterize } from './render/rasterize.ts';
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

  constructor(readonly display: Display, readonly rotate: Rotation = 0, fonts?: FontSet) {
    this.fonts = fonts ?? new FontSet();
    ({ width: this.width, height: this.height } = logicalSize(display.geometry, rotate));
  }

  layout(screen: ScreenId, params: ScreenParams, lang: Lang, theme: Theme): Layout {
    return buildLayout({ screen, params, lang, width: this.width, height: this.height, theme }, this.fonts);
  }

  /** Lays out, renders and writes one screen; resolves when the frame is on the panel. */
  async present(screen: ScreenId, params: ScreenParams, lang: Lang, theme: Theme): Promise<{ layout: Layout; timing: FrameTiming }> {
    const t0 = performance.now();
    const layout = this.layout(screen, params, lang, theme);
    const t1 = performance.now();
    const rgba = await rasterize(layout, { preview: params.preview, photo: params.photo });
    const t2 = performance.now();
    const frame = convertFrame(rgba, this.display.geometry, this.rotate, this.#out);
    this.#out = frame;
    const t3 = performance.now();
    await this.display.show(frame);
    const t4 = performance.now();
    return { layout, timing: { layoutMs: t1 - t0, renderMs: t2 - t1, convertMs: t3 - t2, writeMs: t4 - t3 } };
  }
}
