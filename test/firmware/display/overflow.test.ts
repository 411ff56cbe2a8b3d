/**
 * The overflow check: every screen × language fits at 800×480, 1024×600 and portrait 600×1024,
 * in the standard and the large-text theme, measured with the fonts' metrics; at 800×480 (the
 * smallest) it is also checked by pixels: rendered ink outside its text box fails. Also: no text
 * needs a glyph the fonts lack (no tofu), and touch targets stay generous.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FontSet } from '../../../firmware/display/fonts/font-set.ts';
import { LANGS, LANGUAGES } from '../../../firmware/display/i18n/languages.ts';
import { buildLayout } from '../../../firmware/display/layout/build-layout.ts';
import { themeFor } from '../../../firmware/display/layout/theme.ts';
import type { Layout } from '../../../firmware/display/layout/types.ts';
import { inkOutsideBoxes } from '../../../firmware/display/render/rasterize.ts';
import { sampleParams } from '../../../firmware/display/screens/index.ts';
import { SCREEN_IDS } from '../../../firmware/display/screens/screen-def.ts';

const fonts = new FontSet();
const SIZES = [
  [800, 480],
  [1024, 600],
  [600, 1024],
] as const;
const standard = themeFor({ largeText: false, highContrast: false });
const large = themeFor({ largeText: true, highContrast: false });

const all = (l: Layout) => [...l.texts, ...l.buttons.map((b) => b.label)];

test('metrics: no text overflows in any screen × language × size × text size', () => {
  const problems: string[] = [];
  let n = 0;
  for (const [width, height] of SIZES) {
    for (const theme of [standard, large]) {
      for (const screen of SCREEN_IDS) {
        for (const lang of LANGS) {
          const layout = buildLayout({ screen, params: sampleParams(screen), lang, width, height, theme }, fonts);
          n++;
          for (const t of all(layout)) {
            if (t.overflow)
              problems.push(`${screen} ${lang} ${width}x${height} scale ${theme.textScale}: ${t.id} "${t.text.slice(0, 40)}"`);
            for (const line of t.lines)
              if (line.width > t.rect.w + 0.5) problems.push(`${screen} ${lang} ${width}x${height}: ${t.id} line wider than its box`);
          }
        }
      }
    }
  }
  assert.is(n, SCREEN_IDS.length * LANGS.length * SIZES.length * 2);
  assert.equal(problems, []);
});

test('pixels: at 800×480 no rendered glyph falls outside its box, for every screen × language', async () => {
  const problems: string[] = [];
  const jobs = SCREEN_IDS.flatMap((screen) => LANGS.map((lang) => ({ screen, lang })));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const { screen, lang } = jobs[next++] as (typeof jobs)[number];
      const layout = buildLayout({ screen, params: sampleParams(screen), lang, width: 800, height: 480, theme: standard }, fonts);
      const stray = await inkOutsideBoxes(layout);
      if (stray)
        problems.push(
          `${screen} ${lang}: ${stray.count} px of ink outside boxes around (${stray.x0},${stray.y0})–(${stray.x1},${stray.y1})`,
        );
    }
  };
  await worker(); // one render at a time, as the device does
  assert.is(next, SCREEN_IDS.length * LANGS.length);
  assert.equal(problems, []);
});

test('the pixel probe does catch a text that overflows', async () => {
  const layout = buildLayout({ screen: 'done', params: {}, lang: 'vi', width: 800, height: 480, theme: standard }, fonts);
  const t = layout.texts[0];
  assert.ok(t);
  const squeezed: Layout = { ...layout, texts: [{ ...t, rect: { ...t.rect, w: 40 } }] };
  assert.ok(await inkOutsideBoxes(squeezed));
});

test('every character of every screen has a glyph in its language fonts (no tofu)', () => {
  const missing: string[] = [];
  for (const screen of SCREEN_IDS) {
    for (const lang of LANGS) {
      const layout = buildLayout({ screen, params: sampleParams(screen), lang, width: 1024, height: 600, theme: standard }, fonts);
      for (const t of all(layout)) {
        const m = fonts.missing(t.text, LANGUAGES[t.lang].fonts, t.weight);
        if (m.length) missing.push(`${screen} ${lang} ${t.id}: ${m.join(' ')}`);
      }
    }
  }
  assert.equal(missing, []);
});

test('touch targets: every button at least 52 px high and wide at 800×480, none overlapping', () => {
  for (const screen of SCREEN_IDS) {
    const layout = buildLayout({ screen, params: sampleParams(screen), lang: 'ja', width: 800, height: 480, theme: standard }, fonts);
    const bs = layout.buttons;
    for (const b of bs) {
      assert.ok(b.rect.w >= 52 && b.rect.h >= 52, `${screen} ${b.id} is ${b.rect.w}×${b.rect.h}`);
      assert.ok(b.rect.x >= 0 && b.rect.y >= 0 && b.rect.x + b.rect.w <= 800 && b.rect.y + b.rect.h <= 480, `${screen} ${b.id} on screen`);
    }
    for (let i = 0; i < bs.length; i++) {
      for (let j = i + 1; j < bs.length; j++) {
        const a = (bs[i] as (typeof bs)[number]).rect;
        const c = (bs[j] as (typeof bs)[number]).rect;
        const overlap = a.x < c.x + c.w && c.x < a.x + a.w && a.y < c.y + c.h && c.y < a.y + a.h;
        assert.not.ok(overlap, `${screen}: ${bs[i]?.id} overlaps ${bs[j]?.id}`);
      }
    }
  }
});

test.run();
