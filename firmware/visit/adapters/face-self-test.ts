/**
 * The face part of the self-test: the models run once on a known face (a JPEG 2000 test photo
 * shipped with the release), through the same enrolment the visit uses, then the template is
 * wiped. Proves the models are loaded and inference works on this machine's runtime.
 */
import { readFile } from 'node:fs/promises';
import type { VisitFace } from '../deps.ts';

export function faceSelfTest(
  face: VisitFace,
  photoPath: string,
  now: () => number = () => performance.now(),
): (signal: AbortSignal) => Promise<string> {
  return async (signal) => {
    const photo = new Uint8Array(await readFile(photoPath));
    const t0 = now();
    try {
      await face.enrol(photo, signal);
    } finally {
      face.wipe();
      photo.fill(0);
    }
    return `models ran on the test photo (${photoPath}) in ${Math.round(now() - t0)} ms`;
  };
}
