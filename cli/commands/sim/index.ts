/** `kaoreader sim …`: simulated hardware for development and QA. */
import { group } from '../../command.ts';
import { cardCommand } from './card.ts';

export const simCommand = group('sim', 'run simulated hardware (virtual My Number Card…)', [cardCommand]);
