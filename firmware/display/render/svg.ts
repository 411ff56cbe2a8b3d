/**
 * Layout → SVG text. Every text line carries `xml:lang` and the language's font families so
 * fontconfig/pango pick the right Noto CJK variant (JP/SC/TC/KR) and the Thai and Devanagari
 * faces. Image slots are left empty here; the rasterizer composites their pixels.
 */
import type { FittedText, Layout, Shape } from '../layout/types.ts';

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function fontAttr(families: readonly string[]): string {
  return families.map((f) => `'${f}'`).join(', ');
}

export function textSvg(t: FittedText, color = t.color): string {
  const anchor = t.align === 'center' ? 'middle' : 'start';
  const attrs = `font-family="${escapeXml(fontAttr(t.families))}" font-size="${t.fontSize}" font-weight="${t.weight === 'bold' ? 700 : 400}" fill="${color}" text-anchor="${anchor}" xml:lang="${t.lang}"`;
  return t.lines.map((l) => `<text x="${l.x.toFixed(1)}" y="${l.baseline.toFixed(1)}" ${attrs}>${escapeXml(l.text)}</text>`).join('');
}

function shapeSvg(s: Shape): string {
  const fill = s.fill ?? 'none';
  const stroke = s.stroke ? ` stroke="${s.stroke}" stroke-width="${s.strokeWidth ?? 2}"` : '';
  const { x, y, w, h } = s.rect;
  if (s.kind === 'ellipse') return `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}" fill="${fill}"${stroke}/>`;
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${s.radius ?? 0}" fill="${fill}"${stroke}/>`;
}

function qrSvg(layout: Layout): string {
  const q = layout.qr;
  if (!q) return '';
  const n = q.modules.length;
  const cell = Math.floor(Math.min(q.rect.w, q.rect.h) / n);
  const ox = q.rect.x + Math.floor((q.rect.w - cell * n) / 2);
  const oy = q.rect.y + Math.floor((q.rect.h - cell * n) / 2);
  let path = '';
  q.modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${ox + x * cell} ${oy + y * cell}h${cell}v${cell}h-${cell}z`;
    }),
  );
  return `<path d="${path}" fill="#000000"/>`;
}

/** Shapes drawn above the image slots, as a transparent SVG of the screen's size. */
export function overlaySvg(layout: Layout): string {
  const shapes = layout.shapes
    .filter((s) => s.overlay)
    .map(shapeSvg)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${shapes}</svg>`;
}

/**
 * The whole screen except the masked PIN dots (painted afterwards by render/dots.ts); with
 * `withOverlay` false the overlay shapes are left for `overlaySvg`.
 */
export function layoutSvg(layout: Layout, withOverlay = true): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
  ];
  parts.push(`<rect width="${layout.width}" height="${layout.height}" fill="${layout.theme.background}"/>`);
  for (const s of layout.shapes) if (withOverlay || !s.overlay) parts.push(shapeSvg(s));
  parts.push(qrSvg(layout));
  for (const b of layout.buttons) {
    const { x, y, w, h } = b.rect;
    const stroke = b.stroke ? ` stroke="${b.stroke}" stroke-width="2"` : '';
    parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${Math.round(Math.min(w, h) * 0.14)}" fill="${b.fill}"${stroke}/>`);
    parts.push(textSvg(b.label));
  }
  for (const t of layout.texts) parts.push(textSvg(t));
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The overflow probe: every text in black on white, then each text's own box painted white.
 * Any dark pixel left is ink outside its box (checked by `inkOutsideBoxes`).
 */
export function inkProbeSvg(layout: Layout, margin = 2): string {
  const texts = [...layout.texts, ...layout.buttons.map((b) => b.label)];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">`,
    `<rect width="${layout.width}" height="${layout.height}" fill="#FFFFFF"/>`,
  ];
  for (const t of texts) parts.push(textSvg(t, '#000000'));
  for (const t of texts)
    parts.push(
      `<rect x="${t.rect.x - margin}" y="${t.rect.y - margin}" width="${t.rect.w + 2 * margin}" height="${t.rect.h + 2 * margin}" fill="#FFFFFF"/>`,
    );
  parts.push('</svg>');
  return parts.join('');
}
