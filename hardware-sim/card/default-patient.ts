/**
 * A default simulated patient (until named profiles are wired): fixed card data, the face
 * cropped from the face-api sample photo (or any photo given), PIN 1234.
 * 照合番号B = 55021720352285 (born 1980-02-17 = 昭和55, card expires 2035, code 2285).
 */
import { chipPhotoFromImage, type Box } from './face-photo.ts';
import type { CardProfile } from './patient.ts';

export const SAMPLE_FACE = {
  path: 'node_modules/@vladmandic/face-api/demo/sample1.jpg',
  box: { left: 760, top: 330, width: 360, height: 450 } as Box,
};

/** The default patient's card facts (照合番号B 55021720352285), without the card id and the photo. */
export const DEFAULT_CARD_FACTS = {
  birthDate: { year: 1980, month: 2, day: 17 },
  sex: '女',
  cardExpiry: { year: 2035, month: 2, day: 17 },
  securityCode: '2285',
  pin: '1234',
} as const satisfies Omit<CardProfile, 'id' | 'photoJp2'>;

export async function defaultPatient(id: string, photo: { path: string; box?: Box } = SAMPLE_FACE): Promise<CardProfile> {
  const photoJp2 = await chipPhotoFromImage(photo.path, photo.box);
  return { id, ...DEFAULT_CARD_FACTS, photoJp2 };
}
