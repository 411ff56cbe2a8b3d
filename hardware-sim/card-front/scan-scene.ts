/**
 * What the card-front scanner sees: the rasterised card placed on a dark tray, never quite
 * straight (rotation, shift, scale, a little perspective), under uneven light with a glare
 * spot, slightly out of focus, with sensor noise and JPEG compression. Every variation is drawn
 * from a seeded random source, within the ranges of `Variation`.
 */
import sharp from 'sharp';
import { homographyFrom, invert, type Point } from '../../firmware/card-front/homography.ts';
import type { CardFrontImage } from '../../firmware/ports/card-front-scanner.ts';
import { NoiseTable } from '../camera/image.ts';
import { CARD_H_MM, CARD_W_MM, CORNER_RADIUS_MM } from './card-layout.ts';

export interface Variation {
  readonly rotationDeg: number;
  readonly shiftPx: number;
  readonly scale: number;
  /** Independent corner displacement, as a fraction of the card width (keystone). */
  readonly perspective: number;
  /** Peak light gradient across the image (fraction). */
  readonly lightGradient: number;
  readonly glare: number;
  readonly blurSigma: readonly [number, number];
  readonly noise: readonly [number, number];
  readonly jpegQuality: readonly [number, number];
}

export const NORMAL_VARIATION: Variation = {
  rotationDeg: 6,
  shiftPx: 25,
  scale: 0.05,
  perspective: 0.015,
  lightGradient: 0.3,
  glare: 30,
  blurSigma: [0.3, 1.2],
  noise: [1.5, 6],
  jpegQuality: [70, 95],
};

/** Beyond what a working scanner produces: for checking that the OCR refuses instead of misreading. */
export const HARD_VARIATION: Variation = {
  rotationDeg: 12,
  shiftPx: 40,
  scale: 0.08,
  perspective: 0.03,
  lightGradient: 0.5,
  glare: 90,
  blurSigma: [0.8, 2.4],
  noise: [4, 12],
  jpegQuality: [35, 75],
};

export const EASY_VARIATION: Variation = {
  rotationDeg: 1,
  shiftPx: 5,
  scale: 0.01,
  perspective: 0,
  lightGradient: 0.05,
  glare: 0,
  blurSigma: [0.3, 0.4],
  noise: [1, 1.5],
  jpegQuality: [92, 95],
};

export interface SceneOptions {
  readonly width: number;
  readonly height: number;
  /** Nominal card scale in the scan. */
  readonly pxPerMm: number;
}

export const DEFAULT_SCENE: SceneOptions = { width: 960, height: 720, pxPerMm: 9.6 };

export interface CardRaster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly pxPerMm: number;
}

const between = (rand: () => number, [lo, hi]: readonly [number, number]): number => lo + (hi - lo) * rand();

function insideCard(x: number, y: number): boolean {
  if (x < 0 || y < 0 || x > CARD_W_MM || y > CARD_H_MM) return false;
  const r = CORNER_RADIUS_MM;
  const cx = x < r ? r : x > CARD_W_MM - r ? CARD_W_MM - r : x;
  const cy = y < r ? r : y > CARD_H_MM - r ? CARD_H_MM - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The card corners (mm → image) for one placement. */
export function placement(rand: () => number, v: Variation, s: SceneOptions): Point[] {
  const theta = ((rand() * 2 - 1) * v.rotationDeg * Math.PI) / 180;
  const scale = s.pxPerMm * (1 + (rand() * 2 - 1) * v.scale);
  const cx = s.width / 2 + (rand() * 2 - 1) * v.shiftPx;
  const cy = s.height / 2 + (rand() * 2 - 1) * v.shiftPx;
  const corners: Point[] = [
    [0, 0],
    [CARD_W_MM, 0],
    [CARD_W_MM, CARD_H_MM],
    [0, CARD_H_MM],
  ];
  const jitter = v.perspective * CARD_W_MM * scale;
  return corners.map(([x, y]) => {
    const dx = (x - CARD_W_MM / 2) * scale;
    const dy = (y - CARD_H_MM / 2) * scale;
    return [
      cx + dx * Math.cos(theta) - dy * Math.sin(theta) + (rand() * 2 - 1) * jitter,
      cy + dx * Math.sin(theta) + dy * Math.cos(theta) + (rand() * 2 - 1) * jitter,
    ] as Point;
  });
}

/** Composes one scan of `card` (or of the empty tray when `card` is undefined). */
export async function scanScene(
  card: CardRaster | undefined,
  rand: () => number,
  v: Variation = NORMAL_VARIATION,
  s: SceneOptions = DEFAULT_SCENE,
): Promise<CardFrontImage> {
  const { width: W, height: H } = s;
  const out = new Uint8Array(W * H);
  const tray = 45 + rand() * 25;
  const corners = placement(rand, v, s);
  const toMm = invert(
    homographyFrom(
      [
        [0, 0],
        [CARD_W_MM, 0],
        [CARD_W_MM, CARD_H_MM],
        [0, CARD_H_MM],
      ],
      corners,
    ),
  );
  const phi = rand() * 2 * Math.PI;
  const grad = (rand() * 2 - 1) * v.lightGradient;
  const exposure = 0.85 + rand() * 0.2;
  const gx = rand() * W;
  const gy = rand() * H;
  const gs = 60 + rand() * 90;
  const gAmp = rand() * v.glare;
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = toMm;
  for (let y = 0; y < H; y++) {
    // A real scanner images the card on its own hardware: the reader's event loop keeps turning.
    if (y % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve));
    for (let x = 0; x < W; x++) {
      let val = tray + (8 * y) / H;
      if (card) {
        const w = h6 * (x + 0.5) + h7 * (y + 0.5) + h8;
        const mx = (h0 * (x + 0.5) + h1 * (y + 0.5) + h2) / w;
        const my = (h3 * (x + 0.5) + h4 * (y + 0.5) + h5) / w;
        if (insideCard(mx, my)) val = bilinear(card, mx * card.pxPerMm - 0.5, my * card.pxPerMm - 0.5);
      }
      const light = exposure * (1 + grad * (((x - W / 2) * Math.cos(phi) + (y - H / 2) * Math.sin(phi)) / W));
      const glare = gAmp < 0.5 ? 0 : gAmp * Math.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * gs * gs));
      out[y * W + x] = Math.max(0, Math.min(255, val * light + glare));
    }
  }
  const sigma = between(rand, v.blurSigma);
  let img = sharp(out, { raw: { width: W, height: H, channels: 1 } });
  if (sigma >= 0.3) img = img.blur(sigma);
  const blurred = await img.extractChannel(0).raw().toBuffer();
  new NoiseTable(rand).apply(blurred, between(rand, v.noise));
  const jpeg = await sharp(blurred, { raw: { width: W, height: H, channels: 1 } })
    .toColourspace('b-w')
    .jpeg({ quality: Math.round(between(rand, v.jpegQuality)) })
    .toBuffer();
  const { data, info } = await sharp(jpeg).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  out.fill(0);
  blurred.fill(0);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
}

function bilinear(img: CardRaster, x: number, y: number): number {
  const xi = Math.max(0, Math.min(img.width - 2, Math.floor(x)));
  const yi = Math.max(0, Math.min(img.height - 2, Math.floor(y)));
  const fx = Math.min(1, Math.max(0, x - xi));
  const fy = Math.min(1, Math.max(0, y - yi));
  const d = img.data;
  const p = yi * img.width + xi;
  return (
    ((d[p] as number) * (1 - fx) + (d[p + 1] as number) * fx) * (1 - fy) +
    ((d[p + img.width] as number) * (1 - fx) + (d[p + img.width + 1] as number) * fx) * fy
  );
}
