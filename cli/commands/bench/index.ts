/** `kaoreader bench <area>`: measure a capability; each prints JSON. */
import { group } from '../../command.ts';
import { cardBenchCommand } from './card.ts';
import { displayBench } from './display.ts';
import { ota } from './ota.ts';

export const benchCommand = group('bench', 'measure a capability; prints JSON', [cardBenchCommand, displayBench, ota]);
