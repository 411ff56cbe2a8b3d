/**
 * Reads one printed line of a rectified field: binarise (Otsu), keep the ink components on the
 * expected text line, group them into columns (parts stacked above each other, like 令 or a
 * dakuten), cut columns wider than a digit at their thinnest points (touching digits: "444"
 * printed bold and blurred is one blob), then choose how the pieces form glyphs (a kanji such as
 * 和 is two or three pieces) by dynamic programming over the classifier's scores, each glyph
 * classified against `allowed`.
 */
import { components, type Component } from './components.ts';
import { UnreadableCardFrontError } from './errors.ts';
import type { Classification, GlyphClassifier } from './glyph-classifier.ts';
import { glyphFeature, type Box, type GreyImage } from './glyph-features.ts';
import { otsu } from './otsu.ts';

export interface LineRead {
  readonly text: string;
  readonly glyphs: readonly Classification[];
}

export interface LineSpec {
  /** Where the middle of the text line should be, px from the top of the field image. */
  readonly centreY: number;
  readonly em: number;
  readonly allowed: string;
}

const MAX_COLUMNS = 40;
const MAX_PARTS = 4;

export function readLine(img: GreyImage, spec: LineSpec, classifier: GlyphClassifier, field: string): LineRead {
  const { width: W, height: H, data } = img;
  const T = otsu(data);
  let paperSum = 0,
    paperN = 0,
    inkSum = 0,
    inkN = 0;
  for (const v of data) {
    if (v > T) {
      paperSum += v;
      paperN++;
    } else {
      inkSum += v;
      inkN++;
    }
  }
  const paper = paperN ? paperSum / paperN : 255;
  const inkLevel = inkN ? inkSum / inkN : 0;
  if (paper - inkLevel < 50)
    throw new UnreadableCardFrontError('field-not-found', `${field}: no printed text (contrast ${Math.round(paper - inkLevel)})`);
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < data.length; i++) mask[i] = (data[i] as number) <= T ? 1 : 0;
  const em = spec.em;
  const onLine = components(mask, W, H).filter((c) => {
    const cy = (c.y0 + c.y1) / 2;
    return c.area >= 3 && Math.abs(cy - spec.centreY) < 0.6 * em && c.y1 - c.y0 <= 1.3 * em && c.x1 - c.x0 <= 5 * em;
  });
  const columns = groupColumns(onLine)
    .filter((c) => c.area >= 0.02 * em * em)
    .flatMap((c) => splitWide(c, mask, W, em, 4));
  if (columns.length === 0) throw new UnreadableCardFrontError('field-not-found', `${field}: no text on the line`);
  if (columns.length > MAX_COLUMNS) throw new UnreadableCardFrontError('unexpected-text', `${field}: ${columns.length} marks on one line`);
  const ink = (v: number): number => Math.min(1, Math.max(0, (paper - v) / (paper - inkLevel)));
  const classify = (box: Box): Classification => classifier.classify(glyphFeature(img, box, em, ink), spec.allowed);
  // best[i]: cheapest reading of columns[0..i); cost of a glyph = 1 − score
  const n = columns.length;
  const best: { cost: number; prev: number; glyph?: Classification }[] = [{ cost: 0, prev: -1 }];
  for (let j = 1; j <= n; j++) {
    best[j] = { cost: Infinity, prev: -1 };
    for (let k = 1; k <= MAX_PARTS && j - k >= 0; k++) {
      const parts = columns.slice(j - k, j);
      const box = union(parts);
      if (k > 1 && (box.x1 - box.x0 > 1.15 * em || maxGap(parts) > 0.3 * em)) continue;
      const from = best[j - k] as { cost: number };
      if (!Number.isFinite(from.cost)) continue;
      const g = classify(box);
      const cost = from.cost + (1 - g.score);
      if (cost < (best[j] as { cost: number }).cost) best[j] = { cost, prev: j - k, glyph: g };
    }
  }
  const glyphs: Classification[] = [];
  for (let j = n; j > 0;) {
    const b = best[j] as { prev: number; glyph?: Classification };
    if (!b.glyph || b.prev < 0) throw new UnreadableCardFrontError('unexpected-text', `${field}: marks that form no glyph`);
    glyphs.unshift(b.glyph);
    j = b.prev;
  }
  return { text: glyphs.map((g) => g.char).join(''), glyphs };
}

function groupColumns(comps: readonly Component[]): Component[] {
  const sorted = [...comps].sort((a, b) => a.x0 - b.x0);
  const out: Component[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    const overlap = last ? Math.min(last.x1, c.x1) - Math.max(last.x0, c.x0) : -1;
    if (last && overlap >= 1) out[out.length - 1] = { ...union([last, c]), area: last.area + c.area };
    else out.push(c);
  }
  return out;
}

function union(parts: readonly Component[]): Component {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity,
    area = 0;
  for (const p of parts) {
    x0 = Math.min(x0, p.x0);
    y0 = Math.min(y0, p.y0);
    x1 = Math.max(x1, p.x1);
    y1 = Math.max(y1, p.y1);
    area += p.area;
  }
  return { x0, y0, x1, y1, area };
}

function maxGap(parts: readonly Component[]): number {
  let g = 0;
  for (let i = 1; i < parts.length; i++) g = Math.max(g, (parts[i] as Component).x0 - (parts[i - 1] as Component).x1);
  return g;
}

/** A column wider than 0.7 em, cut at the least-ink x in its middle 40 % into two tight pieces, and so on (`depth` cuts deep). */
function splitWide(c: Component, mask: Uint8Array, W: number, em: number, depth: number): Component[] {
  const w = c.x1 - c.x0;
  if (w <= 0.7 * em || depth <= 0) return [c];
  let cut = -1;
  let least = Infinity;
  for (let x = Math.round(c.x0 + 0.3 * w); x <= c.x0 + 0.7 * w; x++) {
    let n = 0;
    for (let y = c.y0; y < c.y1; y++) n += mask[y * W + x] as number;
    const score = n + Math.abs(x - (c.x0 + w / 2)) * 0.05;
    if (score < least) {
      least = score;
      cut = x;
    }
  }
  const piece = (x0: number, x1: number): Component | undefined => {
    let y0 = Infinity,
      y1 = -1,
      area = 0,
      lx = Infinity,
      rx = -1;
    for (let y = c.y0; y < c.y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (!mask[y * W + x]) continue;
        area++;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (x < lx) lx = x;
        if (x > rx) rx = x;
      }
    }
    return area ? { x0: lx, y0, x1: rx + 1, y1: y1 + 1, area } : undefined;
  };
  const parts = [piece(c.x0, cut), piece(cut, c.x1)].filter((p): p is Component => p !== undefined);
  return parts.length === 2 ? parts.flatMap((p) => splitWide(p, mask, W, em, depth - 1)) : [c];
}
