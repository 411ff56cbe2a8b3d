/**
 * Reference glyphs for the card-front OCR, rendered at first use from the installed Noto CJK
 * families (Debian fonts-noto-cjk: Sans and Serif, regular and bold) with the display's SVG renderer (sharp/librsvg) at the
 * reader's working scale (em = 30 px, the card's 3 mm print at 10 px/mm). Each character gets one
 * template per font and blur level; the classifier takes the best. Nothing is downloaded or stored.
 */
import { svgToGrey } from '../display/render/grey-svg.ts';
import { glyphFeature, type GlyphFeature } from './glyph-features.ts';

export const DIGITS = '0123456789';
export const BIRTH_CHARS = `${DIGITS}大正昭和平成令元年月日生`;
export const EXPIRY_CHARS = `${DIGITS}年月日まで有効`;
export const ALL_CHARS = [...new Set([...BIRTH_CHARS, ...EXPIRY_CHARS])].join('');
export const TEMPLATE_FONTS = [
  { family: 'Noto Sans CJK JP', weight: 400 },
  { family: 'Noto Sans CJK JP', weight: 700 },
  { family: 'Noto Serif CJK JP', weight: 400 },
  { family: 'Noto Serif CJK JP', weight: 700 },
] as const;
export const EM_PX = 30;
/** Template variants: sharp, and blurred like an out-of-focus scan. */
const BLURS = [0, 0.9, 1.6] as const;

export interface GlyphTemplate extends GlyphFeature {
  readonly char: string;
  readonly font: string;
}

const CELL = 2 * EM_PX;

/** Renders every character in every font and blur level; ~0.2 s, once per reader. */
export async function renderTemplates(chars: string = ALL_CHARS): Promise<GlyphTemplate[]> {
  const list = [...chars];
  const out: GlyphTemplate[] = [];
  for (const font of TEMPLATE_FONTS) {
    const cols = list.length;
    const width = cols * CELL;
    const texts = list
      .map(
        (c, i) =>
          `<text x="${i * CELL + EM_PX / 2}" y="${1.4 * EM_PX}" font-family="${font.family}" font-weight="${font.weight}" font-size="${EM_PX}" fill="#000">${c}</text>`,
      )
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${CELL}"><rect width="${width}" height="${CELL}" fill="#fff"/>${texts}</svg>`;
    const images = await svgToGrey(svg, BLURS);
    BLURS.forEach((sigma, i) => {
      const img = images[i];
      if (img) cut(img, list, `${font.family} ${font.weight}${sigma ? ` blur ${sigma}` : ''}`, out);
    });
  }
  return out;
}

/** Cuts one rendered row of glyphs into templates (ink box at mid-grey). */
function cut(img: { width: number; height: number; data: Uint8Array }, list: readonly string[], font: string, out: GlyphTemplate[]): void {
  list.forEach((char, i) => {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < CELL; y++) {
      for (let x = i * CELL; x < (i + 1) * CELL; x++) {
        if ((img.data[y * img.width + x] as number) < 128) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x + 1);
          y1 = Math.max(y1, y + 1);
        }
      }
    }
    if (x1 < 0) return; // the font lacks this glyph
    const f = glyphFeature(img, { x0, y0, x1, y1 }, EM_PX, (v) => (255 - v) / 255);
    out.push({ ...f, char, font });
  });
}
