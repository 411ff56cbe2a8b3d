/**
 * Reads the few OpenType tables text fitting needs from a .ttf/.otf/.ttc file: `head`
 * (unitsPerEm), `hhea` (ascender, descender, number of h-metrics), `hmtx` (advance widths) and
 * `cmap` (format 4 or 12, Unicode → glyph). Advances ignore kerning and shaping, which only
 * narrows text (ligatures, conjuncts, kerning), so a width measured here is an upper bound.
 */
import { KaoreaderError } from '../../core/errors.ts';

export class FontFormatError extends KaoreaderError {
  readonly code = 'FONT_FORMAT';
}

export interface FontMetrics {
  readonly unitsPerEm: number;
  /** Ascender and descender (positive) in em. */
  readonly ascent: number;
  readonly descent: number;
  /** Advance of the glyph for `cp` in em, or undefined when the font has no glyph for it. */
  advance(cp: number): number | undefined;
}

interface Table { readonly offset: number; readonly length: number }

function tables(buf: Buffer, base: number): Map<string, Table> {
  if (base + 12 > buf.length) throw new FontFormatError('font: truncated table directory');
  const n = buf.readUInt16BE(base + 4);
  if (n > 200 || base + 12 + n * 16 > buf.length) throw new FontFormatError('font: bad table count');
  const out = new Map<string, Table>();
  for (let i = 0; i < n; i++) {
    const rec = base + 12 + i * 16;
    const offset = buf.readUInt32BE(rec + 8);
    const length = buf.readUInt32BE(rec + 12);
    if (offset + length > buf.length) throw new FontFormatError('font: table past end of file');
    out.set(buf.toString('latin1', rec, rec + 4), { offset, length });
  }
  return out;
}

function need(t: Map<string, Table>, tag: string): Table {
  const table = t.get(tag);
  if (!table) throw new FontFormatError(`font: no ${tag} table`);
  return table;
}

/** Unicode → glyph id lookup built from a format 4 or format 12 cmap subtable. */
function cmapLookup(buf: Buffer, cmap: Table): (cp: number) => number {
  const n = buf.readUInt16BE(cmap.offset + 2);
  let f4: number | undefined;
  let f12: number | undefined;
  for (let i = 0; i < Math.min(n, 64); i++) {
    const rec = cmap.offset + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const sub = cmap.offset + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(sub);
    if (format === 12 && (platform === 3 || platform === 0)) f12 = sub;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) f4 = sub;
  }
  if (f12 !== undefined) {
    const groups = buf.readUInt32BE(f12 + 12);
    const starts = new Uint32Array(groups);
    const ends = new Uint32Array(groups);
    const glyphs = new Uint32Array(groups);
    for (let g = 0; g < groups; g++) {
      const p = f12 + 16 + g * 12;
      starts[g] = buf.readUInt32BE(p);
      ends[g] = buf.readUInt32BE(p + 4);
      glyphs[g] = buf.readUInt32BE(p + 8);
    }
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cp < (starts[mid] as number)) hi = mid - 1;
        else if (cp > (ends[mid] as number)) lo = mid + 1;
        else return (glyphs[mid] as number) + cp - (starts[mid] as number);
      }
      return 0;
    };
  }
  if (f4 === undefined) throw new FontFormatError('font: no Unicode cmap (format 4 or 12)');
  const sub = f4;
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segX2; s += 2) {
      if (cp > buf.readUInt16BE(ends + s)) continue;
      const start = buf.readUInt16BE(starts + s);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + s);
      const range = buf.readUInt16BE(ranges + s);
      if (range === 0) return (cp + delta) & 0xffff;
      const at = ranges + s + range + (cp - start) * 2;
      const g = buf.readUInt16BE(at);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

/** Parses font number `index` of `buf` (index is for .ttc collections; 0 otherwise). */
export function parseFont(buf: Buffer, index = 0): FontMetrics {
  if (buf.length < 12) throw new FontFormatError('font: file too short');
  let base = 0;
  if (buf.toString('latin1', 0, 4) === 'ttcf') {
    const count = buf.readUInt32BE(8);
    if (index < 0 || index >= count) throw new FontFormatError(`font: collection has ${count} fonts, not index ${index}`);
    base = buf.readUInt32BE(12 + index * 4);
  }
  const t = tables(buf, base);
  const head = need(t, 'head');
  const hhea = need(t, 'hhea');
  const hmtx = need(t, 'hmtx');
  const unitsPerEm = buf.readUInt16BE(head.offset + 18);
  if (unitsPerEm < 16) throw new FontFormatError('font: bad unitsPerEm');
  const ascent = buf.readInt16BE(hhea.offset + 4) / unitsPerEm;
  const descent = -buf.readInt16BE(hhea.offset + 6) / unitsPerEm;
  const hmetrics = buf.readUInt16BE(hhea.offset + 34);
  if (hmetrics === 0 || hmetrics * 4 > hmtx.length) throw new FontFormatError('font: bad hmtx');
  const glyphOf = cmapLookup(buf, need(t, 'cmap'));
  const cache = new Map<number, number | undefined>();
  return {
    unitsPerEm,
    ascent,
    descent,
    advance(cp) {
      if (cache.has(cp)) return cache.get(cp);
      const g = glyphOf(cp);
      const adv = g === 0 ? undefined : buf.readUInt16BE(hmtx.offset + Math.min(g, hmetrics - 1) * 4) / unitsPerEm;
      cache.set(cp, adv);
      return adv;
    },
  };
}
