/**
 * Every top-level command of the CLI, each loaded when it runs: a one-shot command (doctor,
 * self-test, --version) loads only its own code, which matters on a Pi and under emulation.
 * The summaries here are the commands' own (test/cli/commands/index.test.ts keeps them equal).
 */
import type { Command } from '../command.ts';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'run',
    summary: 'run the reader daemon (the simulator when no config is given)',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'doctor',
    summary: 'report which hardware and services this machine has',
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
  {
    name: 'self-test',
    summary: 'check the configured hardware once, as the OTA health window does',
    load: async () => (await import('./self-test.ts')).selfTestCommand,
  },
  {
    name: 'sim',
    summary: 'run a simulator (scripted visits, virtual card, facility, …)',
    load: async () => (await import('./sim/index.ts')).simCommand,
  },
  {
    name: 'facility',
    summary: 'pair readers with a facility, generate its broker config',
    load: async () => (await import('./facility/index.ts')).facilityCommand,
  },
  { name: 'bench', summary: 'measure a capability; prints JSON', load: async () => (await import('./bench/index.ts')).benchCommand },
  {
    name: 'screens',
    summary: 'render every screen × language to PNG plus a contact sheet',
    load: async () => (await import('./screens.ts')).screensCommand,
  },
  {
    name: 'release',
    summary: 'build, sign and publish signed OTA releases',
    load: async () => (await import('./release/index.ts')).releaseCommand,
  },
  {
    name: 'installer',
    summary: "(installer unit) carry out the daemon's pending update step as root",
    load: async () => (await import('./installer.ts')).installerCommand,
  },
  {
    name: 'staff-password',
    summary: 'set or change the facility staff password (reads it from stdin)',
    load: async () => (await import('./staff-password.ts')).staffPasswordCommand,
  },
];
