/**
 * `kaoreader sim console`: the simulated reader with the QA console: a page in the browser (the
 * screen live, touch, keypad, card, camera, facility, scenarios, records) and the text console
 * on stdin, both on the same reader. Binds to loopback unless told otherwise.
 */
import { join } from 'node:path';
import { createLogger, stderrSink } from '../../../firmware/core/logger.ts';
import { isLang } from '../../../firmware/display/i18n/languages.ts';
import { PATIENTS } from '../../../hardware-sim/patients/profiles.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { startConsole } from '../../simulator/console/start-console.ts';
import { SimConsole } from '../../simulator/sim-console.ts';

export const DEFAULT_CONSOLE_PORT = 8420;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const consoleCommand: Command = {
  name: 'console',
  summary: 'the simulated reader with the QA console in the browser (and steps on stdin)',
  usage: `kaoreader sim console [--port ${DEFAULT_CONSOLE_PORT}] [--host 127.0.0.1] [--patient suzuki-aiko] [--lang ja] [--scenarios test/scenarios] [--no-stdin] [--verbose]

Starts the reader on simulated hardware (virtual My Number Card, camera scenes, card-front
scanner, touchscreen and keypad, a real mosquitto with the facility simulator) and serves the QA
console at http://HOST:PORT/ (printed): the reader's screen live, touch by clicking it, the
keypad, card, camera scene, facility, staff password, scenario files, the visit's audit events,
the facility's MQTT messages and stored records, every screen as PNG. See docs/qa-console.md.
--host binds another address (0.0.0.0 for a tablet on the same network: anyone who reaches it
can drive the simulator). --port 0 picks a free port. Steps typed on stdin drive the same reader
("help" lists them); --no-stdin ignores stdin. Logs (warnings; --verbose: all) go to stderr.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      port: { type: 'string', default: String(DEFAULT_CONSOLE_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      patient: { type: 'string', default: 'suzuki-aiko' },
      lang: { type: 'string', default: 'ja' },
      scenarios: { type: 'string', default: join('test', 'scenarios') },
      'no-stdin': { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0…65535');
    if (!PATIENTS.some((p) => p.id === values.patient))
      throw new UsageError(`--patient must be one of ${PATIENTS.map((p) => p.id).join(', ')}`);
    if (!isLang(values.lang)) throw new UsageError(`unknown language "${values.lang}"`);
    const log = createLogger({ sink: stderrSink, level: values.verbose ? 'debug' : 'warn' });
    const running = await startConsole({
      log,
      host: values.host,
      port,
      language: values.lang,
      scenariosDir: values.scenarios,
      setup: { patient: values.patient, card: 'patient', registered: true, ePrescription: true },
    }).catch((err: unknown) => {
      throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? new UsageError(`port ${port} is in use: try --port ${port + 1} (or --port 0 for any free one)`, { cause: err })
        : err;
    });
    let text: SimConsole | undefined;
    try {
      const shown = LOOPBACK.has(values.host) ? running.url.replace(/\/\/(127\.0\.0\.1|\[::1\])/, '//127.0.0.1') : running.url;
      ctx.stdout.write(`QA console: ${shown}\n`);
      if (!LOOPBACK.has(values.host))
        ctx.stdout.write(`(listening on ${values.host}: anyone who reaches this address can drive the simulator)\n`);
      if (!values['no-stdin']) {
        text = new SimConsole(running.qa.actions, { input: process.stdin, output: ctx.stdout, log });
        running.qa.onVisitEvent(text.onEvent);
        await text.start();
      }
      const keepAlive = setInterval(() => undefined, 1 << 30);
      try {
        if (!ctx.signal.aborted)
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      } finally {
        clearInterval(keepAlive);
      }
    } finally {
      await text?.stop();
      await running.close();
    }
    return 0;
  },
};
