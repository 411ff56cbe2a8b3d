/**
 * Real pixels on the simulated framebuffer: button regions have their colour in RGB565 and
 * XRGB8888, the high-contrast theme changes them, the masked entry shows as many filled dots as
 * digits typed, and xml:lang picks the Japanese or Chinese glyph variant.
 */
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildLayout } from '../../../firmware/display/layout/build-layout.ts';
import { themeFor } from '../../../firmware/display/layout/theme.ts';
import { layoutSvg } from '../../../firmware/display/render/svg.ts';
import { rasterize } from '../../../firmware/display/render/rasterize.ts';
import { hex, sharedFonts, simUi } from './helpers.ts';

const standard = themeFor({ largeText: false, highContrast: false });

/** Colour at a spot of the button away from its label (left edge, vertically centred). */
function buttonSpot(b: { rect: { x: number; y: number; w: number; h: number } }): [number, number] {
  return [b.rect.x + 6, b.rect.y + Math.floor(b.rect.h / 2)];
}

test('a primary button region has the primary colour on an XRGB8888 and an RGB565 panel', async () => {
  for (const format of ['XRGB8888', 'RGB565'] as const) {
    const { ui, display } = simUi(800, 480, format);
    const layout = await ui.show('consent', {}, 'ja');
    const all = layout.buttons.find((b) => b.id === 'all');
    assert.ok(all);
    const [x, y] = buttonSpot(all);
    const got = display.pixel(x, y);
    if (format === 'XRGB8888') assert.is(hex(got), standard.primary);
    else {
      const want = [0x0b, 0x6e, 0x4f];
      got.forEach((v, i) => assert.ok(Math.abs(v - (want[i] as number)) <= 8, `RGB565 channel ${i}: ${v}`));
    }
    const bg = display.pixel(2, 470);
    assert.is(hex(bg), format === 'XRGB8888' ? standard.background : hex(bg));
    await ui.close();
  }
});

test('high contrast: black background, yellow primary button', async () => {
  const { ui, display } = simUi();
  await ui.setAccessibility({ highContrast: true });
  const layout = await ui.show('method', {}, 'en');
  const face = layout.buttons.find((b) => b.id === 'face');
  assert.ok(face);
  assert.is(hex(display.pixel(...buttonSpot(face))), '#FFD400');
  assert.is(hex(display.pixel(2, 470)), '#000000');
  await ui.close();
});

test('masked entry: the number of filled dots equals the digits entered', async () => {
  const { ui, display } = simUi();
  for (const entered of [0, 1, 3, 4]) {
    const layout = await ui.show('pin', { triesLeft: 3, entered, digitOrder: [1, 2, 3, 4, 5, 6, 7, 8, 9, 0] }, 'ja');
    const d = layout.dots;
    assert.ok(d);
    const r = Math.min(d.rect.h * 0.32, d.rect.w / (d.total * 3));
    let filled = 0;
    for (let i = 0; i < d.total; i++) {
      const cx = Math.round(d.rect.x + r * 1.5 + i * r * 3);
      const cy = Math.round(d.rect.y + d.rect.h / 2);
      if (hex(display.pixel(cx, cy)) === standard.text) filled++;
    }
    assert.is(filled, entered, `${entered} digits`);
  }
  await ui.close();
});

test('a key press redraws only the dots, and the frame equals a full render of the new state', async () => {
  const { ui, display } = simUi(800, 480, 'XRGB8888');
  const order = [5, 2, 8, 0, 1, 9, 3, 7, 4, 6];
  await ui.show('pin', { triesLeft: 2, entered: 1, digitOrder: order }, 'th');
  const layout = await ui.show('pin', { triesLeft: 2, entered: 2, digitOrder: order }, 'th');
  assert.is(ui.renderer.partialFrames, 1);
  const patched = display.lastRgba();
  const full = await rasterize(layout);
  let diff = 0;
  for (let i = 0; i < full.data.length; i += 4) if (Math.abs((full.data[i] as number) - (patched.data[i] as number)) > 2) diff++;
  assert.is(diff, 0, 'partial redraw matches a full render');
  await ui.close();
});

test('concurrent shows reach the panel in call order: the last screen asked for is the one shown', async () => {
  const { ui, display } = simUi();
  const results = await Promise.all([ui.show('idle', {}, 'th'), ui.show('out-of-service', {}, 'ne'), ui.show('done', {}, 'ja')]);
  assert.equal(
    results.map((l) => l.screen),
    ['idle', 'out-of-service', 'done'],
  );
  assert.is(ui.layout?.screen, 'done');
  assert.is(display.frames, 3);
  assert.is(hex(display.pixel(400, 2)), standard.primary, 'the success stripe of "done" is on the panel');
  await ui.close();
});

test('xml:lang and the per-language font pick different glyphs for 直 in ja and zh-Hans', async () => {
  const glyph = async (lang: 'ja' | 'zh-Hans', family: string): Promise<Buffer> => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120" fill="#fff"/><text x="10" y="100" font-size="96" font-family="'${family}'" xml:lang="${lang}">直</text></svg>`;
    return sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
  };
  const a = await glyph('ja', 'Noto Sans CJK JP');
  const b = await glyph('zh-Hans', 'Noto Sans CJK SC');
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] as number) - (b[i] as number)) > 64) diff++;
  assert.ok(diff > 50, `glyphs differ in ${diff} pixels`);
  const layout = buildLayout({ screen: 'idle', params: {}, lang: 'th', width: 800, height: 480, theme: standard }, sharedFonts);
  const svg = layoutSvg(layout);
  assert.match(svg, 'xml:lang="th"');
  assert.match(svg, 'xml:lang="ne"');
  assert.match(svg, 'Noto Sans CJK KR');
  assert.match(svg, 'Noto Sans Devanagari');
});

test('chip photo and camera preview pixels land in their slots', async () => {
  const { ui, display } = simUi();
  const photo = {
    data: new Uint8Array(30 * 40 * 3).fill(0).map((_, i) => (i % 3 === 0 ? 200 : 20)),
    width: 30,
    height: 40,
    channels: 3 as const,
  };
  const layout = await ui.show('staff-check', { photo }, 'ja');
  const slot = layout.images.find((s) => s.id === 'photo');
  assert.ok(slot);
  const [r, g, b] = display.pixel(slot.rect.x + Math.floor(slot.rect.w / 2), slot.rect.y + Math.floor(slot.rect.h / 2));
  assert.ok(r > 180 && g < 40 && b < 40, `photo colour at the slot centre: ${r},${g},${b}`);
  const preview = { data: new Uint8Array(64 * 48).fill(90), width: 64, height: 48, channels: 1 as const };
  const face = await ui.show('face', { preview, hint: 'closer' }, 'en');
  const guide = face.shapes.find((s) => s.kind === 'ellipse');
  assert.ok(guide);
  assert.is(
    hex(display.pixel(guide.rect.x + Math.floor(guide.rect.w / 2), guide.rect.y + Math.floor(guide.rect.h / 2))),
    '#5A5A5A',
    'preview pixels inside the guide',
  );
  assert.is(
    hex(display.pixel(guide.rect.x, guide.rect.y + Math.floor(guide.rect.h / 2))),
    standard.accent,
    'frame guide drawn over the preview',
  );
  assert.ok(face.texts.some((t) => t.text === 'Please come a little closer'));
  // Live preview: the next camera frame redraws from the cached base frame, no new SVG render.
  const partial = ui.renderer.partialFrames;
  const brighter = { data: new Uint8Array(64 * 48 * 3).fill(200), width: 64, height: 48, channels: 3 as const };
  await ui.show('face', { preview: brighter, hint: 'closer' }, 'en');
  assert.is(ui.renderer.partialFrames, partial + 1);
  assert.is(hex(display.pixel(guide.rect.x + Math.floor(guide.rect.w / 2), guide.rect.y + Math.floor(guide.rect.h / 2))), '#C8C8C8');
  assert.is(hex(display.pixel(guide.rect.x, guide.rect.y + Math.floor(guide.rect.h / 2))), standard.accent);
  await ui.close();
});

test.run();
