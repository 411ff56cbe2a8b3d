/** `kaoreader sim …`: simulators of the reader and what surrounds it. */
import { group } from '../../command.ts';
import { cardCommand } from './card.ts';
import { consoleCommand } from './console.ts';
import { facility } from './facility.ts';
import { visitCommand } from './visit.ts';

export const simCommand = group('sim', 'run a simulator (scripted visits, virtual card, facility, …)', [
  consoleCommand,
  visitCommand,
  cardCommand,
  facility,
]);
