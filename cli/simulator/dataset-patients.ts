/**
 * Simulated patients from a labelled face set (identities.json: lists of photo file names per
 * person): every person with two photographs or more becomes a patient whose card carries the
 * first photograph (the chip photo) while the camera shows the second, animated (live-face.ts) —
 * a genuine match as hard as at a real reader. Faces and eyes are located by a detector that is
 * not ours (face-api's SSD and 68 points, reference-finder.ts). Card data is invented per person.
 * The photos stay in memory; the caller wipes `faceImage` and `chipImage` when done.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { faceApiModelDir } from '../../tools/models/build-models.ts';
import type { RgbImage } from '../../hardware-sim/camera/image.ts';
import { decodeRgb } from '../../hardware-sim/face/face-material.ts';
import { describePatient, type LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';
import { PATIENTS } from '../../hardware-sim/patients/profiles.ts';
import { referenceFinder, type ReferenceFinder } from '../commands/bench/reference-finder.ts';

export class DatasetError extends KaoreaderError {
  readonly code = 'DATASET_INVALID';
}

/** Crops are scaled to this eye distance (the built-in patients' crops have 95–105 px). */
const EYE_DISTANCE = 100;

interface Located {
  readonly image: RgbImage;
  readonly eyes: [[number, number], [number, number]];
}

/** The face of `file` upright (eye line level), eyes 100 px apart, in a 360 × 420 crop with the eyes at 45 % height. */
async function uprightFace(finder: ReferenceFinder, file: string): Promise<Located | undefined> {
  const photo = await decodeRgb(file);
  try {
    const found = await finder.findWithEyes(photo);
    if (!found) return undefined;
    const [[lx, ly], [rx, ry]] = found.eyes;
    const scale = EYE_DISTANCE / Math.hypot(rx - lx, ry - ly);
    const deg = (-Math.atan2(ry - ly, rx - lx) * 180) / Math.PI;
    const w = 360;
    const h = 420;
    // Scale the whole photo, turn it about the eyes' midpoint, then cut the crop around it.
    const mx = ((lx + rx) / 2) * scale;
    const my = ((ly + ry) / 2) * scale;
    const side = Math.ceil(Math.hypot(w, h)) + 2;
    const pad = side;
    const big = await sharp(Buffer.from(photo.data), { raw: { width: photo.width, height: photo.height, channels: 3 } })
      .resize(Math.round(photo.width * scale), Math.round(photo.height * scale))
      .extend({ left: pad, right: pad, top: pad, bottom: pad, extendWith: 'copy' })
      .extract({ left: Math.round(mx + pad - side / 2), top: Math.round(my + pad - side / 2), width: side, height: side })
      .rotate(deg)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const cx = big.info.width / 2;
    const cy = big.info.height / 2;
    const left = Math.round(cx - w / 2);
    const top = Math.round(cy - 0.45 * h);
    const { data } = await sharp(big.data, { raw: { width: big.info.width, height: big.info.height, channels: 3 } })
      .extract({ left, top, width: w, height: h })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const ex = cx - left;
    const ey = cy - top;
    return {
      image: { width: w, height: h, data: new Uint8Array(data) },
      eyes: [
        [ex - EYE_DISTANCE / 2, ey],
        [ex + EYE_DISTANCE / 2, ey],
      ],
    };
  } finally {
    photo.data.fill(0);
  }
}

/** The patients of a labelled set: one per person with two photos or more (at most `max`). */
export async function datasetPatients(dir: string, max = 100): Promise<LoadedPatient[]> {
  let identities: unknown;
  try {
    identities = JSON.parse(readFileSync(join(dir, 'identities.json'), 'utf8'));
  } catch (cause) {
    throw new DatasetError(`cannot read ${join(dir, 'identities.json')}`, { cause });
  }
  if (!Array.isArray(identities) || !identities.every((g) => Array.isArray(g) && g.every((f) => typeof f === 'string')))
    throw new DatasetError('identities.json must be an array of arrays of file names');
  const finder = await referenceFinder(faceApiModelDir());
  const template = PATIENTS[0]!;
  const out: LoadedPatient[] = [];
  for (const [k, files] of (identities as string[][]).entries()) {
    if (out.length >= max || files.length < 2) continue;
    const chip = await uprightFace(finder, join(dir, files[0]!));
    const live = await uprightFace(finder, join(dir, files[1]!));
    if (!chip || !live) {
      chip?.image.data.fill(0);
      live?.image.data.fill(0);
      continue;
    }
    const birthDate = { year: 1950 + ((k * 7) % 50), month: 1 + (k % 12), day: 1 + ((k * 5) % 28) };
    const profile = {
      ...template,
      id: `dataset-${k + 1}`,
      nameKanji: `試験 ${k + 1}号`,
      birthDate,
      // A card expires on a birthday.
      cardExpiry: { ...birthDate, year: 2030 + (k % 5) },
      securityCode: String(1000 + ((k * 733) % 9000)),
      face: { sample: files[1]!, left: 0, top: 0, width: live.image.width, height: live.image.height, eyes: live.eyes },
    };
    out.push({ ...describePatient(profile), faceImage: live.image, chipImage: chip.image });
  }
  if (out.length === 0) throw new DatasetError(`no person in ${dir} has two photos with a face`);
  return out;
}
