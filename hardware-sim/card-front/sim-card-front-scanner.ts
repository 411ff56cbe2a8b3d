/**
 * Simulated card-front scanner (CardFrontScanner port): images whatever card lies on the tray,
 * rasterised once per card and then, for every `scan()`, placed, lit, blurred and compressed
 * anew from a seeded random source (see scan-scene.ts). No card on the tray → an image of the
 * empty tray (the OCR then reports no card). `unplug()` makes scans fail like a pulled cable.
 */
import sharp from 'sharp';
import { DeviceUnavailableError, throwIfAborted } from '../../firmware/core/errors.ts';
import type { CardFrontImage, CardFrontScanner } from '../../firmware/ports/card-front-scanner.ts';
import { seededRandom } from '../camera/image.ts';
import type { LoadedPatient } from '../patients/load-patient.ts';
import { rasteriseCard } from './card-raster.ts';
import type { CardPrint, PrintStyle } from './card-svg.ts';
import { DEFAULT_SCENE, NORMAL_VARIATION, scanScene, type CardRaster, type SceneOptions, type Variation } from './scan-scene.ts';

export interface SimCardFrontScannerOptions {
  readonly seed?: number;
  readonly variation?: Variation;
  readonly scene?: SceneOptions;
}

export const DEFAULT_STYLE: PrintStyle = { font: 'Noto Sans CJK JP', weight: 400, dx: 0, dy: 0 };

/** What a patient's card prints (photo included). */
export async function patientCardPrint(p: LoadedPatient): Promise<CardPrint> {
  const photoPng = await sharp(p.faceImage.data, { raw: { width: p.faceImage.width, height: p.faceImage.height, channels: 3 } })
    .png()
    .toBuffer();
  return {
    nameKanji: p.nameKanji,
    address: p.address,
    sex: p.sex,
    birth: p.birthEra,
    expiry: p.cardExpiry,
    securityCode: p.securityCode,
    photoPng,
  };
}

export class SimCardFrontScanner implements CardFrontScanner {
  readonly #rand: () => number;
  #card: { print: CardPrint; style: PrintStyle; raster?: CardRaster } | undefined;
  #connected = true;
  #closed = false;
  scans = 0;

  constructor(readonly options: SimCardFrontScannerOptions = {}) {
    this.#rand = seededRandom(options.seed ?? 1);
  }

  /** A scanner with the patient's card already on the tray. */
  static async forPatient(p: LoadedPatient, options: SimCardFrontScannerOptions = {}): Promise<SimCardFrontScanner> {
    const s = new SimCardFrontScanner(options);
    s.place(await patientCardPrint(p));
    return s;
  }

  /** Puts a card on the tray (or takes it away with `undefined`). */
  place(print: CardPrint | undefined, style: PrintStyle = DEFAULT_STYLE): void {
    this.#card = print ? { print, style } : undefined;
  }

  unplug(): void {
    this.#connected = false;
  }

  replug(): void {
    this.#connected = true;
  }

  async scan(signal?: AbortSignal): Promise<CardFrontImage> {
    throwIfAborted(signal, 'card-front scan');
    if (this.#closed || !this.#connected)
      throw new DeviceUnavailableError('card-front scanner', this.#closed ? 'the scanner was closed' : 'reconnect the scanner cable');
    const card = this.#card;
    if (card && !card.raster) card.raster = await rasteriseCard(card.print, card.style);
    throwIfAborted(signal, 'card-front scan');
    const image = await scanScene(
      card?.raster,
      this.#rand,
      this.options.variation ?? NORMAL_VARIATION,
      this.options.scene ?? DEFAULT_SCENE,
    );
    throwIfAborted(signal, 'card-front scan');
    this.scans++;
    return image;
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#card?.raster?.data.fill(0);
    this.#card = undefined;
    return Promise.resolve();
  }
}
