/** `kaoreader sim …`: simulated hardware and surroundings, for development and QA. */
import { group } from '../../command.ts';
import { cardCommand } from './card.ts';
import { facility } from './facility.ts';

export const simCommand = group('sim', 'run a simulator (virtual My Number Card, facility, …)', [cardCommand, facility]);
