/**
 * Where the reader looks for the three fields of 照合番号B on the card front, in millimetres
 * from the card's top-left corner (ID-1 card, 85.6 × 54 mm), with margins for print
 * registration (±0.5 mm) and card-edge fitting. `centreY` is the middle of the text line
 * (baseline − 0.38 em) inside the region; `em` the print size.
 */
import { BIRTH_CHARS, DIGITS, EXPIRY_CHARS } from './glyph-templates.ts';
import type { MmRect } from './rectify.ts';

export interface FieldRegion {
  readonly name: 'birth' | 'expiry' | 'securityCode';
  readonly rect: MmRect;
  readonly centreYmm: number;
  readonly emMm: number;
  readonly allowed: string;
}

export const CARD_MM = { width: 85.6, height: 54 } as const;

export const FIELDS: readonly FieldRegion[] = [
  { name: 'birth', rect: { x0: 3.4, y0: 29.4, x1: 40.6, y1: 35.8 }, centreYmm: 33.6 - 1.14 - 29.4, emMm: 3, allowed: BIRTH_CHARS },
  { name: 'expiry', rect: { x0: 4.6, y0: 39.1, x1: 50.6, y1: 45.5 }, centreYmm: 43.3 - 1.14 - 39.1, emMm: 3, allowed: EXPIRY_CHARS },
  { name: 'securityCode', rect: { x0: 20.4, y0: 46.6, x1: 36.5, y1: 53.0 }, centreYmm: 50.8 - 1.14 - 46.6, emMm: 3, allowed: DIGITS },
];
