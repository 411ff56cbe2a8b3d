/**
 * `loadPatient(id)`: a simulated patient's profile, 照合番号B, and face pixels (RGB, decoded
 * with sharp from the face-api sample photo on each call; the caller owns and wipes them).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { verificationNumberBOfEra } from '../../firmware/card-front/verification-number-b.ts';
import { toEraDate, type EraDate } from '../../firmware/card-front/era.ts';
import type { RgbImage } from '../camera/image.ts';
import { PATIENTS, type ChipPhotoSource, type PatientProfile } from './profiles.ts';

export type { RgbImage };

export class UnknownPatientError extends KaoreaderError {
  readonly code = 'UNKNOWN_PATIENT';
  constructor(readonly id: string) {
    super(`no simulated patient "${id}"; known: ${PATIENTS.map((p) => p.id).join(', ')}`);
  }
}

export interface LoadedPatient extends PatientProfile {
  readonly birthEra: EraDate;
  /** 14 digits. */
  readonly verificationNumberB: string;
  readonly faceImage: RgbImage;
  /** Another photograph of the person for the card's photo, when there is one (else the card shows `faceImage`). */
  readonly chipImage?: RgbImage;
}

export function patientIds(): string[] {
  return PATIENTS.map((p) => p.id);
}

export function findPatient(id: string): PatientProfile {
  const p = PATIENTS.find((x) => x.id === id);
  if (!p) throw new UnknownPatientError(id);
  return p;
}

/** Profile fields derived without touching the photo (era date, 照合番号B). */
export function describePatient(p: PatientProfile): Omit<LoadedPatient, 'faceImage'> {
  const birthEra = toEraDate(p.birthDate);
  if (!birthEra) throw new UnknownPatientError(`${p.id} (birth date before 大正)`);
  // the simulator's ground truth (test data, so a string is fine here)
  return {
    ...p,
    birthEra,
    verificationNumberB: Buffer.from(verificationNumberBOfEra(birthEra, p.cardExpiry.year, Buffer.from(p.securityCode, 'latin1'))).toString(
      'latin1',
    ),
  };
}

export function sampleDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
}

const rgb = (data: Buffer, width: number, height: number): RgbImage => ({
  width,
  height,
  data: new Uint8Array(data.buffer, data.byteOffset, data.length),
});

/** The region of `src` around (cx, cy), turned by `deg` about its centre. */
async function turnedCrop(file: string, src: ChipPhotoSource): Promise<RgbImage> {
  const side = Math.ceil(Math.hypot(src.width, src.height));
  const left = Math.round(src.cx - side / 2);
  const top = Math.round(src.cy - side / 2);
  const turned = await sharp(file)
    .extract({ left, top, width: side, height: side })
    .rotate(src.rotateDeg, { background: '#808080' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: 3 } })
    .extract({
      left: Math.round((turned.info.width - src.width) / 2),
      top: Math.round((turned.info.height - src.height) / 2),
      width: src.width,
      height: src.height,
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return rgb(data, info.width, info.height);
}

export async function loadPatient(id: string): Promise<LoadedPatient> {
  const p = findPatient(id);
  const { left, top, width, height } = p.face;
  const { data, info } = await sharp(join(sampleDir(), p.face.sample))
    .extract({ left, top, width, height })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const chip = p.face.chipPhoto;
  return {
    ...describePatient(p),
    faceImage: rgb(data, info.width, info.height),
    ...(chip ? { chipImage: await turnedCrop(join(sampleDir(), chip.sample), chip) } : {}),
  };
}
