/** Rasterises a card front (SVG → sharp/librsvg with the Noto CJK fonts) to 8-bit grey. */
import sharp from 'sharp';
import { cardSvg, type CardPrint, type PrintStyle } from './card-svg.ts';
import type { CardRaster } from './scan-scene.ts';

export const CARD_PX_PER_MM = 12;

export async function rasteriseCard(card: CardPrint, style: PrintStyle, pxPerMm = CARD_PX_PER_MM): Promise<CardRaster> {
  const { data, info } = await sharp(Buffer.from(cardSvg(card, style, pxPerMm)))
    .flatten({ background: '#404040' })
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pxPerMm, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
}
