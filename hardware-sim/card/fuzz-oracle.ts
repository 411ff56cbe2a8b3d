/**
 * The fuzz oracle. A case whose phase completes is compared with the unmutated run of the same
 * phase: a different output is corrupted data accepted (a finding). The same output is harmless
 * only for a reason the oracle can name:
 * - identical: the mutation changed nothing;
 * - unused-bytes: it changed only bytes the client provably does not use (the values of DF29 and
 *   DF2A in EF 0002: after DF28, not signed, never returned; the FF filler is never read);
 * - filler-length: only the FF20 length of EF 0002 changed, to end inside the EF's FF filler: the
 *   client stops at the first filler byte (spec: "stop at the first 00/FF byte"), so it reads a
 *   little more and parses the same fields;
 * - resent: the card answered 61xx/6Cxx and the client asked again (ISO 7816-4 §5.3.4);
 * - short-read: READ BINARY answered a true prefix of its data with 9000 (a card does so at the
 *   end of an EF) and the client read the rest;
 * - counter-only: an empty VERIFY (a counter query) answered another counter state (63Cx, 63C0 or
 *   6984 blocked, 9000 verified). ISO 7816 gives status words no integrity: the reader only
 *   shows the count or stops (last-try warning, blocked screen), the VERIFY that spends a try
 *   reads the counter again, and nothing is accepted without the card's VERIFY and signature.
 * Anything else that completes is a finding too: a changed response the client used without
 * noticing.
 */
import type { BuiltCardFace } from './card-face-builder.ts';

export interface TraceEntry {
  readonly command: Uint8Array;
  readonly response: Uint8Array;
}

export type Harmless = 'identical' | 'unused-bytes' | 'filler-length' | 'resent' | 'short-read' | 'counter-only';
export const HARMLESS: readonly Harmless[] = ['identical', 'unused-bytes', 'filler-length', 'resent', 'short-read', 'counter-only'];

/** [from, to) byte ranges of a response's data. */
export type Ranges = readonly (readonly [number, number])[];

/** Per exchange: what in its data the client does not use, and where EF 0002's FF20 length sits. */
export interface Unused {
  readonly ranges: Ranges;
  /** The two bytes of the FF20 length in this response, and the values that end inside the filler. */
  readonly objectLength?: { readonly at: number; readonly min: number; readonly max: number };
}

const CARD_FACE_AID = 'd3921000310001010402';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * For each exchange of an unmutated trace, the data bytes the client does not use: the parts of
 * a READ BINARY of EF 0002 (card-face AP) that fall in the values of DF29 and DF2A; and for the
 * read holding the FF20 header, the lengths that still end inside the EF's filler.
 */
export function unusedRanges(trace: readonly TraceEntry[], card: Pick<BuiltCardFace, 'layout' | 'objectLength' | 'ef'>): Unused[] {
  const { layout } = card;
  const unsigned = layout.filter((l) => l.tag === 0xdf29 || l.tag === 0xdf2a).map((l) => [l.valueStart, l.start + l.length] as const);
  let faceAp = false;
  let ef: number | undefined;
  return trace.map(({ command: c, response: r }): Unused => {
    if (c[1] === 0xa4 && c[2] === 0x04) {
      faceAp = hex(c.subarray(5, 5 + (c[4] ?? 0))) === CARD_FACE_AID;
      ef = undefined;
    } else if (c[1] === 0xa4 && c[2] === 0x02) {
      ef = ((c[5] ?? 0) << 8) | (c[6] ?? 0);
    }
    if (!(faceAp && ef === 0x0002 && c[1] === 0xb0 && ((c[2] ?? 0) & 0x80) === 0)) return { ranges: [] };
    const offset = (((c[2] ?? 0) & 0x7f) << 8) | (c[3] ?? 0);
    const length = r.length - 2;
    const out: [number, number][] = [];
    for (const [from, to] of unsigned) {
      const a = Math.max(from, offset);
      const b = Math.min(to, offset + length);
      if (a < b) out.push([a - offset, b - offset]);
    }
    const holdsLength = offset === 0 && length >= 5;
    return { ranges: out, ...(holdsLength ? { objectLength: { at: 3, min: card.objectLength - 5, max: card.ef.length - 5 } } : {}) };
  });
}

const swOf = (r: Uint8Array): number => ((r[r.length - 2] ?? 0) << 8) | (r[r.length - 1] ?? 0);

/** Why a changed response that left the output alone is harmless, or undefined when it is not. */
export function harmlessBecause(entry: TraceEntry, mutated: Uint8Array, unused: Unused): Harmless | undefined {
  const original = entry.response;
  if (mutated.length === original.length && Buffer.compare(mutated, original) === 0) return 'identical';
  const sw = mutated.length >= 2 ? swOf(mutated) : -1;
  if (mutated.length === original.length && swOf(original) === sw) {
    const changed: number[] = [];
    for (let i = 0; i < mutated.length - 2; i++) if (mutated[i] !== original[i]) changed.push(i);
    if (changed.every((i) => unused.ranges.some(([a, b]) => i >= a && i < b))) return 'unused-bytes';
    const ol = unused.objectLength;
    if (ol && changed.every((i) => i === ol.at || i === ol.at + 1)) {
      const value = ((mutated[ol.at] ?? 0) << 8) | (mutated[ol.at + 1] ?? 0);
      if (value >= ol.min && value <= ol.max) return 'filler-length';
    }
  }
  if (sw >> 8 === 0x61 || sw >> 8 === 0x6c) return 'resent';
  const c = entry.command;
  const data = mutated.subarray(0, Math.max(0, mutated.length - 2));
  const originalData = original.subarray(0, original.length - 2);
  if (
    c[1] === 0xb0 &&
    sw === 0x9000 &&
    swOf(original) === 0x9000 &&
    data.length > 0 &&
    data.length < originalData.length &&
    Buffer.compare(data, originalData.subarray(0, data.length)) === 0
  )
    return 'short-read';
  if (c[1] === 0x20 && c.length === 4 && data.length === 0 && (sw === 0x9000 || sw === 0x6984 || (sw & 0xfff0) === 0x63c0))
    return 'counter-only';
  return undefined;
}
