/** `kaoreader sim …`: simulators of what surrounds a reader. */
import { group } from '../../command.ts';
import { facility } from './facility.ts';

export const simCommand = group('sim', 'run a simulator (facility, …)', [facility]);
