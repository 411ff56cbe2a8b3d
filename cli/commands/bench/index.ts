/** `kaoreader bench …`: measure a capability; prints JSON. */
import { group } from '../../command.ts';
import { cardBenchCommand } from './card.ts';

export const benchCommand = group('bench', 'measure a capability; prints JSON', [cardBenchCommand]);
