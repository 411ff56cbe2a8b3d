/**
 * One call that puts a simulated patient in front of the reader: their profile (PIN,
 * 照合番号B…), the camera showing them live or a spoof of them, and the card-front scanner
 * with their card on the tray. For `cli/compose.ts` and visit tests.
 */
import type { Clock } from '../../firmware/ports/clock.ts';
import type { FrameSource } from '../../firmware/ports/frame-source.ts';
import { liveFaceCamera, movedPhotoCamera, stillPhotoCamera, type LiveFaceCamera } from '../camera/sim-cameras.ts';
import type { Presentation } from '../camera/spoof.ts';
import { SimCardFrontScanner } from '../card-front/sim-card-front-scanner.ts';
import type { Variation } from '../card-front/scan-scene.ts';
import { loadPatient, type LoadedPatient } from './load-patient.ts';

export type PatientAtCamera = 'live' | 'still-photo' | 'moved-photo';

export interface SimulatedPatientOptions {
  readonly clock: Clock;
  readonly atCamera?: PatientAtCamera;
  /** For 'moved-photo': bare, paper print or phone screen. */
  readonly presentation?: Presentation;
  readonly fps?: number;
  readonly width?: number;
  readonly height?: number;
  readonly seed?: number;
  readonly cardVariation?: Variation;
}

export interface SimulatedPatient {
  readonly profile: LoadedPatient;
  readonly camera: FrameSource;
  /** Set when `atCamera` is 'live': answers liveness challenges (`blink()`, `turnHead()`). */
  readonly live: LiveFaceCamera | undefined;
  readonly cardFront: SimCardFrontScanner;
  /** Closes camera and scanner and wipes the face pixels. */
  close(): Promise<void>;
}

export async function simulatedPatient(id: string, o: SimulatedPatientOptions): Promise<SimulatedPatient> {
  const profile = await loadPatient(id);
  const cam = {
    clock: o.clock,
    ...(o.fps ? { fps: o.fps } : {}),
    ...(o.width ? { width: o.width } : {}),
    ...(o.height ? { height: o.height } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  };
  const atCamera = o.atCamera ?? 'live';
  const live = atCamera === 'live' ? liveFaceCamera(profile, cam) : undefined;
  const camera: FrameSource =
    live ??
    (atCamera === 'still-photo'
      ? stillPhotoCamera(profile, cam)
      : movedPhotoCamera(profile, { ...cam, presentation: o.presentation ?? 'paper' }));
  const cardFront = await SimCardFrontScanner.forPatient(profile, {
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.cardVariation ? { variation: o.cardVariation } : {}),
  });
  return {
    profile,
    camera,
    live,
    cardFront,
    async close() {
      await camera.close();
      await cardFront.close();
      profile.faceImage.data.fill(0);
    },
  };
}
