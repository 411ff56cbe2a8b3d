/**
 * `kaoreader screens`: renders every screen × language to PNG (through the same layout, fitting
 * and SVG rendering as the device) plus a contact sheet, for review by people, and reports any
 * text that does not fit its box.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { FontSet } from '../../firmware/display/fonts/font-set.ts';
import { isLang, LANGS, type Lang } from '../../firmware/display/i18n/languages.ts';
import { buildLayout } from '../../firmware/display/layout/build-layout.ts';
import { themeFor } from '../../firmware/display/layout/theme.ts';
import { rasterize } from '../../firmware/display/render/rasterize.ts';
import { sampleParams } from '../../firmware/display/screens/index.ts';
import { SCREEN_IDS, type ScreenId } from '../../firmware/display/screens/screen-def.ts';
import { parse, UsageError } from '../args.ts';
import type { Command } from '../command.ts';

export function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(text);
  if (!m) throw new UsageError(`--size must look like 1024x600, not "${text}"`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export function parseLangs(text: string): Lang[] {
  if (text === 'all') return [...LANGS];
  const langs = text.split(',');
  for (const l of langs) if (!isLang(l)) throw new UsageError(`unknown language "${l}"; one of: all, ${LANGS.join(', ')}`);
  return langs as Lang[];
}

const THUMB_W = 320;

export const screensCommand: Command = {
  name: 'screens',
  summary: 'render every screen × language to PNG plus a contact sheet',
  usage: `kaoreader screens --out DIR [--lang all|ja,en,…] [--size 1024x600] [--screen ID,…] [--large-text] [--high-contrast]

Writes DIR/<size>/<lang>/<screen>.png and DIR/<size>/contact-sheet.png (rows: screens,
columns: languages). Prints a JSON summary; exit 1 when a text overflows its box.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      out: { type: 'string' },
      lang: { type: 'string', default: 'all' },
      size: { type: 'string', default: '1024x600' },
      screen: { type: 'string' },
      'large-text': { type: 'boolean' },
      'high-contrast': { type: 'boolean' },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    const { width, height } = parseSize(values.size);
    const langs = parseLangs(values.lang);
    const screens = (values.screen ? values.screen.split(',') : [...SCREEN_IDS]) as ScreenId[];
    for (const s of screens) if (!SCREEN_IDS.includes(s)) throw new UsageError(`unknown screen "${s}"`);
    const theme = themeFor({ largeText: values['large-text'] ?? false, highContrast: values['high-contrast'] ?? false });
    const fonts = new FontSet();
    const dir = join(values.out, `${width}x${height}`);
    const thumbH = Math.round((THUMB_W * height) / width);
    const tiles: { input: Buffer; left: number; top: number }[] = [];
    const overflow: string[] = [];
    let files = 0;
    for (const [row, screen] of screens.entries()) {
      for (const [col, lang] of langs.entries()) {
        if (ctx.signal.aborted) return 130;
        const layout = buildLayout({ screen, params: sampleParams(screen), lang, width, height, theme }, fonts);
        for (const t of [...layout.texts, ...layout.buttons.map((b) => b.label)])
          if (t.overflow) overflow.push(`${screen}/${lang}/${t.id}`);
        const rgba = await rasterize(layout);
        const img = sharp(rgba.data, { raw: { width, height, channels: 4 } });
        await mkdir(join(dir, lang), { recursive: true });
        await writeFile(join(dir, lang, `${screen}.png`), await img.clone().png().toBuffer());
        files++;
        tiles.push({ input: await img.resize(THUMB_W, thumbH).png().toBuffer(), left: col * (THUMB_W + 8), top: row * (thumbH + 8) });
      }
    }
    const sheet = join(dir, 'contact-sheet.png');
    await sharp({
      create: { width: langs.length * (THUMB_W + 8), height: screens.length * (thumbH + 8), channels: 3, background: '#777777' },
    })
      .composite(tiles)
      .png()
      .toFile(sheet);
    ctx.stdout.write(
      `${JSON.stringify({ dir, files, contactSheet: sheet, screens: screens.length, languages: langs.length, overflow }, null, 2)}\n`,
    );
    return overflow.length > 0 ? 1 : 0;
  },
};
