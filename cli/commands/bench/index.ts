/** `kaoreader bench …`: measure a capability; prints JSON. */
import { group } from '../../command.ts';
import { facility } from './facility.ts';

export const benchCommand = group('bench', 'measure a capability; prints JSON', [facility]);
