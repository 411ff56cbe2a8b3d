/**
 * A running QA console: the simulator's world, the console's reader and parts, and its HTTP
 * server on host:port. What `kaoreader sim console`, `bench console` and the browser test start.
 */
import { defaultConfig } from '../../../firmware/config/load.ts';
import type { Logger, LogSink } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { createSimWorld, type ClosableSimWorld } from '../world.ts';
import { ConsoleHttpServer } from './http-server.ts';
import type { ConsoleSetup } from './protocol.ts';
import { QaConsole } from './qa-console.ts';

export interface RunningConsole {
  readonly world: ClosableSimWorld;
  readonly qa: QaConsole;
  readonly url: string;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  readonly log: Logger;
  readonly host: string;
  readonly port: number;
  readonly setup: ConsoleSetup;
  readonly language?: string;
  readonly scenariosDir: string;
  /** Also gets every audit line (the console shows them either way). */
  readonly auditSink?: LogSink;
}

export async function startConsole(o: StartConsoleOptions): Promise<RunningConsole> {
  let qa: QaConsole | undefined;
  const audit: LogSink = {
    write: (line) => {
      o.auditSink?.write(line);
      qa?.audit(line);
    },
  };
  const world = await createSimWorld({ clock: systemClock, log: o.log.child('sim'), auditSink: audit });
  let server: ConsoleHttpServer | undefined;
  const close = async (): Promise<void> => {
    await server?.close();
    await qa?.close();
    await world.close();
  };
  try {
    qa = await QaConsole.start({
      world,
      readerId: 'sim-reader-1',
      visit: defaultConfig().visit,
      scenariosDir: o.scenariosDir,
      log: o.log,
      setup: o.setup,
      ...(o.language ? { language: o.language } : {}),
    });
    server = new ConsoleHttpServer(qa, o.log);
    const url = await server.listen(o.host, o.port);
    return { world, qa, url, close };
  } catch (err) {
    await close();
    throw err;
  }
}
