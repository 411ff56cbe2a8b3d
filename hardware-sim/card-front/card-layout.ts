/**
 * Where things are printed on the simulated card front (ID-1 card, 85.6 × 54 mm), in mm from
 * the top-left corner, modelled on the My Number card: name, address, birth date in era form
 * with sex, the expiry band, the security code, and the photo on the right. Baselines are
 * the y of the text's alphabetic baseline.
 */
export const CARD_W_MM = 85.6;
export const CARD_H_MM = 54;
export const CORNER_RADIUS_MM = 3.18;

export interface TextSlot {
  readonly x: number;
  readonly baseline: number;
  /** Font size (em) in mm. */
  readonly size: number;
}

export const LAYOUT = {
  title: { x: 4, baseline: 5.6, size: 2.4 },
  nameLabel: { x: 4, baseline: 11, size: 1.7 },
  name: { x: 10, baseline: 11.4, size: 4.2 },
  addressLabel: { x: 4, baseline: 18, size: 1.7 },
  address: { x: 10, baseline: 18.2, size: 2.3 },
  birth: { x: 5, baseline: 33.6, size: 3.0 },
  sex: { x: 43, baseline: 33.6, size: 3.0 },
  expiryBand: { x: 4, y: 38.4, w: 47, h: 6.6 },
  expiry: { x: 6, baseline: 43.3, size: 3.0 },
  securityLabel: { x: 4, baseline: 50.6, size: 1.6 },
  securityCode: { x: 22, baseline: 50.8, size: 3.0 },
  photo: { x: 61, y: 10, w: 20.5, h: 26.5 },
  issuer: { x: 60, baseline: 44, size: 2.0 },
} as const;

export const CARD_FONTS = ['Noto Sans CJK JP', 'Noto Serif CJK JP'] as const;
