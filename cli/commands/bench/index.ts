/** `kaoreader bench <area>`: measure a capability; prints JSON with --json. */
import { group } from '../../command.ts';
import { cameraBench } from './camera.ts';
import { cardBenchCommand } from './card.ts';
import { cardFrontBench } from './card-front.ts';
import { consoleBench } from './console.ts';
import { displayBench } from './display.ts';
import { faceAccuracyBench } from './face-accuracy.ts';
import { faceBench } from './face.ts';
import { faceLivenessBench } from './face-liveness.ts';
import { facility } from './facility.ts';
import { ota } from './ota.ts';
import { visit } from './visit.ts';

export const benchCommand = group('bench', 'measure a capability; prints JSON', [
  cameraBench,
  cardBenchCommand,
  cardFrontBench,
  consoleBench,
  displayBench,
  faceBench,
  faceAccuracyBench,
  faceLivenessBench,
  facility,
  ota,
  visit,
]);
