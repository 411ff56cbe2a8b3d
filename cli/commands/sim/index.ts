/** `kaoreader sim …`: drive the simulated hardware. */
import { group } from '../../command.ts';
import { visitCommand } from './visit.ts';

export const simCommand = group('sim', 'drive the simulated hardware (scripted visits, …)', [visitCommand]);
