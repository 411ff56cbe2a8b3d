/** `kaoreader bench …`: measurements that print JSON. */
import { group } from '../../command.ts';
import { faceAccuracyBench } from './face-accuracy.ts';
import { faceBench } from './face.ts';

export const benchCommand = group('bench', 'measure a capability; prints JSON', [faceBench, faceAccuracyBench]);
