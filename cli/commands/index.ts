/** Every top-level command of the CLI. */
import type { Command } from '../command.ts';
import { benchCommand } from './bench/index.ts';
import { doctorCommand } from './doctor.ts';
import { facilityCommand } from './facility/index.ts';
import { releaseCommand } from './release/index.ts';
import { runCommand } from './run.ts';
import { screensCommand } from './screens.ts';
import { simCommand } from './sim/index.ts';
import { staffPasswordCommand } from './staff-password.ts';

export const commands: readonly Command[] = [runCommand, doctorCommand, simCommand, facilityCommand, benchCommand, screensCommand, releaseCommand, staffPasswordCommand];
