/**
 * A simulated patient as a camera sees them at the reader: their face crop placed in a 640×480
 * frame at a natural size (eyes about 80 px apart, as at arm's length from a reader's camera),
 * the surroundings continued from the crop's edges. The patient crops are tight, and a camera
 * filled by a face is "too close" for any face pipeline.
 */
import sharp from 'sharp';
import type { FaceSubject } from '../../hardware-sim/camera/sim-cameras.ts';
import type { LoadedPatient } from '../../hardware-sim/patients/load-patient.ts';

const WIDTH = 640;
const HEIGHT = 480;

export async function cameraSubject(p: LoadedPatient, eyeDistance = 80): Promise<FaceSubject> {
  const [[lx, ly], [rx, ry]] = p.face.eyes;
  const k = eyeDistance / Math.hypot(rx - lx, ry - ly);
  const w = Math.round(p.faceImage.width * k);
  const h = Math.round(p.faceImage.height * k);
  const left = Math.round((WIDTH - w) / 2);
  const top = Math.round((HEIGHT - h) / 2 - 0.05 * HEIGHT);
  const { data } = await sharp(p.faceImage.data, { raw: { width: p.faceImage.width, height: p.faceImage.height, channels: 3 } })
    .resize(w, h, { fit: 'fill' })
    .extend({ left, top, right: WIDTH - w - left, bottom: HEIGHT - h - top, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    faceImage: { width: WIDTH, height: HEIGHT, data: new Uint8Array(data) },
    face: { eyes: [[lx * k + left, ly * k + top], [rx * k + left, ry * k + top]] },
  };
}
