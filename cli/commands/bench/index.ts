/** `kaoreader bench <area>`: measure a capability; prints JSON with --json. */
import { group } from '../../command.ts';
import { displayBench } from './display.ts';

export const benchCommand = group('bench', 'measure a capability; prints JSON', [displayBench]);
