/** Idle: "place your card", the language grid (each name in its own script) and the accessibility toggles. */
import { CATALOGS } from '../../i18n/catalogs/index.ts';
import { LANGS } from '../../i18n/languages.ts';
import { translate } from '../../i18n/translate.ts';
import { type LayoutBuilder, roundRect, splitV } from '../builder.ts';
import type { Rect } from '../types.ts';
import { bands } from './basic.ts';

export function idleTemplate(b: LayoutBuilder): void {
  const { u } = b;
  const langs = b.params.langs ?? LANGS;
  const cols = b.portrait ? 3 : 6;
  const rows = Math.ceil(langs.length / cols);
  const toggleH = Math.round(12 * u);
  const gridH = Math.round(rows * (b.portrait ? 12 : 11.5) * u + (rows - 1) * 2 * u);
  const { title, content, buttons } = bands(b, toggleH + 3 * u + gridH);
  b.header(title);
  const [body, label] = splitV(content, [3, 1.3], Math.round(u)) as [Rect, Rect];
  b.text('body0', b.def.body[0] ?? 'idle.body', body, 'body');
  b.text('language', 'idle.language', label, 'small', { color: b.theme.muted, valign: 'middle' });
  const gap = 2 * u;
  const cw = (buttons.w - gap * (cols - 1)) / cols;
  const ch = (gridH - gap * (rows - 1)) / rows;
  langs.forEach((lang, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const rect = roundRect({ x: buttons.x + c * (cw + gap), y: buttons.y + r * (ch + gap), w: cw, h: ch });
    b.button(`lang-${lang}`, CATALOGS[lang]['lang.name'], rect, 'lang', { lang, pressed: lang === b.lang });
  });
  const toggles = b.def.buttons;
  const tw = (buttons.w - gap * (toggles.length - 1)) / toggles.length;
  toggles.forEach((t, i) => {
    const rect = roundRect({ x: buttons.x + i * (tw + gap), y: buttons.y + gridH + 3 * u, w: tw, h: toggleH });
    b.button(t.id, translate(b.lang, t.label), rect, 'toggle');
  });
}
