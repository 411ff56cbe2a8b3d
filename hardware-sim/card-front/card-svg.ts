/**
 * Draws a card front as SVG (then rasterised by sharp/librsvg with fontconfig, so the text is
 * real Noto CJK glyphs): pale patterned background, the printed fields, and the photo.
 * Birth date in era form as printed ("昭和55年 2月17日生", year 1 as 元年), expiry in
 * Gregorian form ("2035年 2月17日まで有効"), 4-digit security code.
 */
import { eraKanji, type CalendarDate, type EraDate } from '../../firmware/card-front/era.ts';
import { CARD_H_MM, CARD_W_MM, CORNER_RADIUS_MM, LAYOUT, type TextSlot } from './card-layout.ts';

export interface CardPrint {
  readonly nameKanji: string;
  readonly address: string;
  readonly sex: string;
  readonly birth: EraDate;
  readonly expiry: CalendarDate;
  readonly securityCode: string;
  /** PNG bytes of the photo (any size; drawn into the photo box). */
  readonly photoPng?: Uint8Array;
}

export interface PrintStyle {
  readonly font: string;
  readonly weight: 400 | 700;
  /** Whole-print offset in mm (print registration varies card to card). */
  readonly dx: number;
  readonly dy: number;
}

const pad = (n: number): string => (n < 10 ? ` ${n}` : String(n));

export function birthText(b: EraDate): string {
  return `${eraKanji(b.era)}${b.eraYear === 1 ? '元' : pad(b.eraYear)}年${pad(b.month)}月${pad(b.day)}日生`;
}

export function expiryText(e: CalendarDate): string {
  return `${e.year}年${pad(e.month)}月${pad(e.day)}日まで有効`;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(slot: TextSlot, s: string, style: PrintStyle, fill = '#1a1a1a', weight = style.weight): string {
  return `<text x="${slot.x + style.dx}" y="${slot.baseline + style.dy}" font-family="${style.font}" font-weight="${weight}" font-size="${slot.size}" fill="${fill}" xml:space="preserve">${esc(s)}</text>`;
}

/** SVG in mm user units, rendered at `pxPerMm`. */
export function cardSvg(card: CardPrint, style: PrintStyle, pxPerMm: number): string {
  const L = LAYOUT;
  const waves: string[] = [];
  for (let i = 0; i < 14; i++) {
    const y = 4 + i * 3.8;
    waves.push(`<path d="M0 ${y} Q 21 ${y - 2.2} 43 ${y} T 86 ${y}" stroke="#d9e6f2" stroke-width="0.25" fill="none"/>`);
  }
  const photo = card.photoPng
    ? `<image x="${L.photo.x}" y="${L.photo.y}" width="${L.photo.w}" height="${L.photo.h}" preserveAspectRatio="xMidYMid slice" href="data:image/png;base64,${Buffer.from(card.photoPng).toString('base64')}"/>`
    : `<rect x="${L.photo.x}" y="${L.photo.y}" width="${L.photo.w}" height="${L.photo.h}" fill="#b8b8b8"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(CARD_W_MM * pxPerMm)}" height="${Math.round(CARD_H_MM * pxPerMm)}" viewBox="0 0 ${CARD_W_MM} ${CARD_H_MM}">
<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f6f0f4"/><stop offset="1" stop-color="#eef3f8"/></linearGradient></defs>
<rect width="${CARD_W_MM}" height="${CARD_H_MM}" rx="${CORNER_RADIUS_MM}" fill="url(#bg)"/>
${waves.join('\n')}
${text(L.title, '個人番号カード', style, '#27466e', 700)}
${text(L.nameLabel, '氏名', style, '#555')}
${text(L.name, card.nameKanji, style)}
${text(L.addressLabel, '住所', style, '#555')}
${text(L.address, card.address, style)}
${text(L.birth, birthText(card.birth), style)}
${text(L.sex, `性別 ${card.sex}`, style)}
<rect x="${L.expiryBand.x + style.dx}" y="${L.expiryBand.y + style.dy}" width="${L.expiryBand.w}" height="${L.expiryBand.h}" rx="0.8" fill="#f3e9cf"/>
${text(L.expiry, expiryText(card.expiry), style)}
${text(L.securityLabel, 'セキュリティコード', style, '#555')}
${text(L.securityCode, card.securityCode, style)}
${text(L.issuer, '千代田区長', style, '#333')}
${photo}
<rect x="${L.photo.x}" y="${L.photo.y}" width="${L.photo.w}" height="${L.photo.h}" fill="none" stroke="#888" stroke-width="0.2"/>
</svg>`;
}
