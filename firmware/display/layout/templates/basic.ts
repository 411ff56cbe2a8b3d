/** Text-first templates: message (title, body, a row of buttons), choice (big answer buttons), list (consent reuse), progress (update). */
import { translate } from '../../i18n/translate.ts';
import { consentItem } from '../../screens/consent-items.ts';
import { type LayoutBuilder, roundRect, ScreenParamsError, splitV } from '../builder.ts';
import type { Rect } from '../types.ts';

/** Title band, content area and bottom button band of a screen with `buttonH` (0: no buttons). */
export function bands(b: LayoutBuilder, buttonH: number): { title: Rect; content: Rect; buttons: Rect } {
  const { u, m, width, height } = b;
  const title = roundRect({ x: m, y: m + 1.6 * u, w: width - 2 * m, h: (b.portrait ? 13 : 15) * u });
  const buttons = roundRect({ x: m, y: height - m - buttonH, w: width - 2 * m, h: buttonH });
  const top = title.y + title.h + 2 * u;
  const content = roundRect({ x: m, y: top, w: width - 2 * m, h: (buttonH > 0 ? buttons.y - 3 * u : height - m) - top });
  return { title, content, buttons };
}

function bodies(b: LayoutBuilder, area: Rect): void {
  // The "2 of 4" line only when the position is known.
  const refs = b.def.body.filter((r) => r !== 'consent.progress' || (b.params.index !== undefined && b.params.total !== undefined));
  if (refs.length === 0) return;
  const parts = splitV(
    area,
    refs.map((_, i) => (i === 0 ? 2 : 1)),
    Math.round(2 * b.u),
  );
  refs.forEach((ref, i) => b.text(`body${i}`, ref, parts[i] as Rect, i === 0 ? 'body' : 'small', i === 0 ? {} : { color: b.theme.muted }));
}

export function messageTemplate(b: LayoutBuilder): void {
  const n = b.def.buttons.length;
  const column = b.portrait && n > 2;
  const btnH = n === 0 ? 0 : Math.round((column ? n * 15 + (n - 1) * 3 : 17) * b.u);
  const { title, content, buttons } = bands(b, btnH);
  b.header(title);
  bodies(b, content);
  b.defButtons(buttons, column);
}

export function choiceTemplate(b: LayoutBuilder): void {
  const n = b.def.buttons.length;
  const column = b.portrait || n > 2;
  const btnH = Math.round(column ? n * (b.portrait ? 17 : 13) * b.u + (n - 1) * 3 * b.u : 26 * b.u);
  const { title, content, buttons } = bands(b, btnH);
  b.header(title);
  bodies(b, content);
  b.defButtons(buttons, column);
}

export function listTemplate(b: LayoutBuilder): void {
  const prev = b.params.previous ?? [];
  if (prev.length === 0) throw new ScreenParamsError(`screen ${b.def.id}: needs the previous consent choices`);
  const { title, content, buttons } = bands(b, Math.round(17 * b.u));
  b.header(title);
  const [intro, list] = splitV(content, [1, 2], Math.round(2 * b.u)) as [Rect, Rect];
  bodies(b, intro);
  b.shape({ kind: 'rect', rect: list, fill: b.theme.panel, stroke: b.theme.keyStroke, radius: Math.round(1.5 * b.u) });
  const pad = Math.round(2 * b.u);
  const inner = { x: list.x + pad, y: list.y + pad / 2, w: list.w - 2 * pad, h: list.h - pad };
  const rows = splitV(
    inner,
    prev.map(() => 1),
    0,
  );
  prev.forEach((p, i) => {
    const item = consentItem(p.item);
    if (!item) throw new ScreenParamsError(`screen ${b.def.id}: unknown consent item "${p.item}"`);
    const line = translate(b.lang, 'reuse.line', { item: translate(b.lang, item.title), agreed: p.agreed ? 'yes' : 'no' });
    b.text(`line${i}`, { literal: line }, rows[i] as Rect, 'body', { valign: 'middle' });
  });
  b.defButtons(buttons, false);
}

export function progressTemplate(b: LayoutBuilder): void {
  const { title, content } = bands(b, 0);
  b.header(title);
  const [body, bar, pct] = splitV(content, [3, 1, 2], Math.round(3 * b.u)) as [Rect, Rect, Rect];
  const ref = b.def.body[0];
  if (ref) b.text('body0', ref, body, 'body', { valign: 'middle', align: 'center' });
  const progress = Math.min(1, Math.max(0, Number(b.params.args?.['progress'] ?? 0)));
  const track = roundRect({ x: bar.x + 6 * b.u, y: bar.y + bar.h / 2 - 2.5 * b.u, w: bar.w - 12 * b.u, h: 5 * b.u });
  b.shape({ kind: 'rect', rect: track, fill: b.theme.secondary, stroke: undefined, radius: Math.round(2.5 * b.u) });
  b.shape({
    kind: 'rect',
    rect: { ...track, w: Math.max(1, Math.round(track.w * progress)) },
    fill: b.theme.accent,
    stroke: undefined,
    radius: Math.round(2.5 * b.u),
  });
  const pref = b.def.body[1];
  if (pref) b.text('body1', pref, pct, 'body', { align: 'center' });
}
