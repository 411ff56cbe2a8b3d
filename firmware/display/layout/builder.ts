/**
 * Shared machinery of the templates: a grid unit `u` (1 % of the short side) so one template
 * serves 800×480, 1024×600 and portrait; text roles with preferred/minimum sizes (scaled by the
 * large-text theme); generous touch targets; text resolution from the catalogs; fitting.
 */
import type { FontSet } from '../fonts/font-set.ts';
import type { MessageKey } from '../i18n/catalog.ts';
import type { Lang } from '../i18n/languages.ts';
import type { MessageArgs } from '../i18n/message-format.ts';
import { translate } from '../i18n/translate.ts';
import { consentItem } from '../screens/consent-items.ts';
import type { ScreenDef, ScreenParams, TextRef } from '../screens/screen-def.ts';
import { fitText } from './text-fit.ts';
import type { Theme } from './theme.ts';
import type { Button, ButtonKind, Dots, FittedText, ImageSlot, Layout, QrBlock, Rect, Shape, TextSpec } from './types.ts';
import { KaoreaderError } from '../../core/errors.ts';

export class ScreenParamsError extends KaoreaderError {
  readonly code = 'SCREEN_PARAMS';
}

export type TextRole = 'title' | 'body' | 'hint' | 'small' | 'button' | 'key' | 'code';

/** Preferred and minimum size of each role, in units of `u`. */
const ROLE: Record<TextRole, { size: number; min: number; weight: 'regular' | 'bold' }> = {
  title: { size: 7, min: 3.4, weight: 'bold' },
  body: { size: 4.8, min: 2.9, weight: 'regular' },
  hint: { size: 6.5, min: 3.4, weight: 'bold' },
  small: { size: 3.8, min: 2.6, weight: 'regular' },
  button: { size: 5, min: 2.7, weight: 'bold' },
  key: { size: 9, min: 5, weight: 'bold' },
  code: { size: 8, min: 4, weight: 'bold' },
};
/** Never below this many px: small text on a kiosk is unreadable. */
const FLOOR_PX = 13;

export class LayoutBuilder {
  readonly u: number;
  readonly m: number;
  readonly portrait: boolean;
  readonly #texts: FittedText[] = [];
  readonly #buttons: Button[] = [];
  readonly #shapes: Shape[] = [];
  readonly #images: ImageSlot[] = [];
  readonly #speech: string[] = [];
  dots: Dots | undefined;
  qr: QrBlock | undefined;

  constructor(
    readonly def: ScreenDef,
    readonly params: ScreenParams,
    readonly lang: Lang,
    readonly width: number,
    readonly height: number,
    readonly theme: Theme,
    readonly fonts: FontSet,
  ) {
    this.u = Math.min(width, height) / 100;
    this.m = Math.round(4 * this.u);
    this.portrait = height > width;
  }

  /** Arguments for this screen's messages, derived from the structured params. */
  args(): MessageArgs {
    const p = this.params;
    return {
      ...(p.triesLeft !== undefined ? { count: p.triesLeft } : {}),
      ...(p.index !== undefined ? { index: p.index } : {}),
      ...(p.total !== undefined ? { total: p.total } : {}),
      ...p.args,
    };
  }

  resolve(ref: TextRef): string {
    if (typeof ref === 'string') return translate(this.lang, ref, this.args());
    if ('hint' in ref) {
      const hint = this.params.hint ?? 'position';
      return translate(this.lang, `face.hint.${hint}` as MessageKey);
    }
    const item = consentItem(this.params.item ?? '');
    if (!item) throw new ScreenParamsError(`screen ${this.def.id}: unknown consent item "${this.params.item ?? ''}"`);
    return translate(this.lang, ref.item === 'title' ? item.title : item.question);
  }

  spec(
    id: string,
    text: string,
    rect: Rect,
    role: TextRole,
    opts: Partial<Pick<TextSpec, 'align' | 'valign' | 'color' | 'lang'>> = {},
  ): TextSpec {
    const r = ROLE[role];
    const scale = role === 'key' ? 1 : this.theme.textScale;
    return {
      id,
      rect,
      text,
      lang: opts.lang ?? this.lang,
      size: Math.round(r.size * this.u * scale),
      minSize: Math.max(FLOOR_PX, Math.round(r.min * this.u)),
      weight: r.weight,
      align: opts.align ?? 'start',
      valign: opts.valign ?? 'top',
      color: opts.color ?? this.theme.text,
    };
  }

  text(
    id: string,
    ref: TextRef | { readonly literal: string },
    rect: Rect,
    role: TextRole,
    opts: Partial<Pick<TextSpec, 'align' | 'valign' | 'color' | 'lang'>> = {},
  ): FittedText {
    const s = typeof ref === 'object' && 'literal' in ref ? ref.literal : this.resolve(ref);
    const fitted = fitText(this.spec(id, s, rect, role, opts), this.fonts);
    this.#texts.push(fitted);
    if (role !== 'small' && role !== 'key') this.#speech.push(s);
    return fitted;
  }

  colours(kind: ButtonKind): { fill: string; text: string; stroke: string | undefined } {
    const t = this.theme;
    switch (kind) {
      case 'primary':
        return { fill: t.primary, text: t.primaryText, stroke: undefined };
      case 'danger':
        return { fill: t.danger, text: t.dangerText, stroke: undefined };
      case 'key':
        return { fill: t.key, text: t.keyText, stroke: t.keyStroke };
      case 'lang':
      case 'toggle':
      case 'secondary':
        return { fill: t.secondary, text: t.secondaryText, stroke: t.name === 'high-contrast' ? t.keyStroke : undefined };
    }
  }

  button(id: string, label: string, rect: Rect, kind: ButtonKind, opts: { lang?: Lang; role?: TextRole; pressed?: boolean } = {}): Button {
    const c = opts.pressed ? { fill: this.theme.primary, text: this.theme.primaryText, stroke: undefined } : this.colours(kind);
    const pad = Math.round(Math.min(2.2 * this.u, rect.h * 0.12));
    const inner = { x: rect.x + pad, y: rect.y + pad, w: rect.w - 2 * pad, h: rect.h - 2 * pad };
    const spec = this.spec(`${id}.label`, label, inner, opts.role ?? 'button', {
      align: 'center',
      valign: 'middle',
      color: c.text,
      ...(opts.lang ? { lang: opts.lang } : {}),
    });
    const b: Button = {
      id,
      rect,
      kind,
      fill: c.fill,
      stroke: c.stroke,
      label: fitText(spec, this.fonts),
      ...(opts.pressed !== undefined ? { pressed: opts.pressed } : {}),
    };
    this.#buttons.push(b);
    return b;
  }

  /** The definition's buttons laid out in `area`: a row, or a column when `column`. */
  defButtons(area: Rect, column: boolean, ids?: readonly string[]): void {
    const defs = this.def.buttons.filter((b) => !ids || ids.includes(b.id));
    const n = defs.length;
    if (n === 0) return;
    const gap = Math.round(3 * this.u);
    defs.forEach((b, i) => {
      const rect = column
        ? { x: area.x, y: area.y + i * ((area.h - gap * (n - 1)) / n + gap), w: area.w, h: (area.h - gap * (n - 1)) / n }
        : { x: area.x + i * ((area.w - gap * (n - 1)) / n + gap), y: area.y, w: (area.w - gap * (n - 1)) / n, h: area.h };
      this.button(b.id, translate(this.lang, b.label), roundRect(rect), b.kind);
    });
  }

  /** Coloured stripe along the top in the screen's tone, and the title under it. */
  header(rect: Rect): void {
    const t = this.theme;
    const tone = { info: t.accent, success: t.primary, warning: t.warning, error: t.error }[this.def.tone];
    this.shape({ kind: 'rect', rect: { x: 0, y: 0, w: this.width, h: Math.round(1.6 * this.u) }, fill: tone, stroke: undefined });
    this.text('title', this.def.title, rect, 'title', { valign: 'middle' });
  }

  shape(s: Shape): void {
    this.#shapes.push(s);
  }
  image(slot: ImageSlot): void {
    this.#images.push(slot);
  }

  finish(): Layout {
    return {
      screen: this.def.id,
      lang: this.lang,
      width: this.width,
      height: this.height,
      theme: this.theme,
      shapes: this.#shapes,
      texts: this.#texts,
      buttons: this.#buttons,
      images: this.#images,
      dots: this.dots,
      qr: this.qr,
      speech: this.#speech.join('\n'),
    };
  }
}

export function roundRect(r: Rect): Rect {
  const x = Math.round(r.x);
  const y = Math.round(r.y);
  return { x, y, w: Math.round(r.x + r.w) - x, h: Math.round(r.y + r.h) - y };
}

/** Splits `area` vertically in proportion to `weights` with `gap` between parts. */
export function splitV(area: Rect, weights: readonly number[], gap: number): Rect[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const free = area.h - gap * (weights.length - 1);
  let y = area.y;
  return weights.map((w) => {
    const h = (free * w) / total;
    const r = roundRect({ x: area.x, y, w: area.w, h });
    y += h + gap;
    return r;
  });
}
