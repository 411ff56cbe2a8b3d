/**
 * Reads the few OpenType tables text fitting needs from a .ttf/.otf/.ttc file: `head`
 * (unitsPerEm), `hhea` (ascender, descender, number of h-metrics), `hmtx` (advance widths) and
 * `cmap` (format 4 or 12, Unicode → glyph). Only those tables are read into memory. Advances
 * ignore kerning and shaping, which only narrow text (ligatures, conjuncts, kerning), so a
 * width measured here is an upper bound of the rendered width.
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

/** Random access to a font file. */
export interface FontSource {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

export function bufferSource(buf: Buffer): FontSource {
  return { size: buf.length, read: (offset, length) => buf.subarray(offset, offset + length) };
}

function readChecked(file: FontSource, offset: number, length: number, what: string): Buffer {
  if (offset < 0 || length < 0 || offset + length > file.size) throw new FontFormatError(`font: ${what} past end of file`);
  const b = file.read(offset, length);
  if (b.length !== length) throw new FontFormatError(`font: short read of ${what}`);
  return b;
}

/** The tables `tags` of the font starting at `base`, each in its own buffer. */
function readTables(file: FontSource, base: number, tags: readonly string[]): Map<string, Buffer> {
  const n = readChecked(file, base + 4, 2, 'table count').readUInt16BE(0);
  if (n === 0 || n > 200) throw new FontFormatError('font: bad table count');
  const dir = readChecked(file, base + 12, n * 16, 'table directory');
  const out = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const tag = dir.toString('latin1', i * 16, i * 16 + 4);
    if (!tags.includes(tag)) continue;
    out.set(tag, Buffer.from(readChecked(file, dir.readUInt32BE(i * 16 + 8), dir.readUInt32BE(i * 16 + 12), `${tag} table`)));
  }
  for (const tag of tags) if (!out.has(tag)) throw new FontFormatError(`font: no ${tag} table`);
  return out;
}

/** Unicode → glyph id lookup built from a format 12 (preferred) or format 4 cmap subtable. */
function cmapLookup(cmap: Buffer): (cp: number) => number {
  const n = cmap.readUInt16BE(2);
  let f4: number | undefined;
  let f12: number | undefined;
  for (let i = 0; i < Math.min(n, 64); i++) {
    const rec = 4 + i * 8;
    if (rec + 8 > cmap.length) break;
    const platform = cmap.readUInt16BE(rec);
    const encoding = cmap.readUInt16BE(rec + 2);
    const sub = cmap.readUInt32BE(rec + 4);
    if (sub + 2 > cmap.length) continue;
    const format = cmap.readUInt16BE(sub);
    if (format === 12 && (platform === 3 || platform === 0)) f12 = sub;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) f4 = sub;
  }
  if (f12 !== undefined) {
    const groups = cmap.readUInt32BE(f12 + 12);
    if (f12 + 16 + groups * 12 > cmap.length) throw new FontFormatError('font: cmap format 12 past its table');
    const starts = new Uint32Array(groups);
    const ends = new Uint32Array(groups);
    const glyphs = new Uint32Array(groups);
    for (let g = 0; g < groups; g++) {
      const p = f12 + 16 + g * 12;
      starts[g] = cmap.readUInt32BE(p);
      ends[g] = cmap.readUInt32BE(p + 4);
      glyphs[g] = cmap.readUInt32BE(p + 8);
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
  const segX2 = cmap.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  if (ranges + segX2 > cmap.length) throw new FontFormatError('font: cmap format 4 past its table');
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segX2; s += 2) {
      if (cp > cmap.readUInt16BE(ends + s)) continue;
      const start = cmap.readUInt16BE(starts + s);
      if (cp < start) return 0;
      const delta = cmap.readInt16BE(deltas + s);
      const range = cmap.readUInt16BE(ranges + s);
      if (range === 0) return (cp + delta) & 0xffff;
      const at = ranges + s + range + (cp - start) * 2;
      if (at + 2 > cmap.length) return 0;
      const g = cmap.readUInt16BE(at);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

/** Parses font number `index` of the file (for .ttc collections; 0 otherwise). */
export function parseFont(src: FontSource | Buffer, index = 0): FontMetrics {
  const file = Buffer.isBuffer(src) ? bufferSource(src) : src;
  const header = readChecked(file, 0, 12, 'header');
  let base = 0;
  if (header.toString('latin1', 0, 4) === 'ttcf') {
    const count = header.readUInt32BE(8);
    if (index < 0 || index >= count || count > 1000) throw new FontFormatError(`font: collection has ${count} fonts, not index ${index}`);
    base = readChecked(file, 12 + index * 4, 4, 'collection offset').readUInt32BE(0);
  }
  const t = readTables(file, base, ['head', 'hhea', 'hmtx', 'cmap']);
  const head = t.get('head') as Buffer;
  const hhea = t.get('hhea') as Buffer;
  const hmtx = t.get('hmtx') as Buffer;
  if (head.length < 54 || hhea.length < 36) throw new FontFormatError('font: head or hhea too short');
  const unitsPerEm = head.readUInt16BE(18);
  if (unitsPerEm < 16) throw new FontFormatError('font: bad unitsPerEm');
  const ascent = hhea.readInt16BE(4) / unitsPerEm;
  const descent = -hhea.readInt16BE(6) / unitsPerEm;
  const hmetrics = hhea.readUInt16BE(34);
  if (hmetrics === 0 || hmetrics * 4 > hmtx.length) throw new FontFormatError('font: bad hmtx');
  const glyphOf = cmapLookup(t.get('cmap') as Buffer);
  const cache = new Map<number, number | undefined>();
  return {
    unitsPerEm,
    ascent,
    descent,
    advance(cp) {
      if (cache.has(cp)) return cache.get(cp);
      const g = glyphOf(cp);
      const adv = g === 0 ? undefined : hmtx.readUInt16BE(Math.min(g, hmetrics - 1) * 4) / unitsPerEm;
      cache.set(cp, adv);
      return adv;
    },
  };
}
