/** `kaoreader run`: the daemon. With no configuration it runs the simulator setup. */
import { loadConfig } from '../../firmware/config/load.ts';
import { createLogger, stderrSink } from '../../firmware/core/logger.ts';
import { Daemon } from '../../firmware/daemon/daemon.ts';
import { systemdNotifier } from '../../firmware/daemon/sd-notify.ts';
import { RESTART_EXIT_CODE } from '../../ota/agent/agent.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { compose } from '../compose.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the reader daemon (the simulator when no config is given)',
  usage: `kaoreader run [--config FILE] [--console] [--screens DIR]

Runs the reader until SIGTERM/SIGINT (exit 0), or until the OTA agent switched to a new
release (exit 75: systemd starts the new current release). Without --config (or KAOREADER_CONFIG) it uses the
embedded defaults: simulated card, camera, touchscreen and keypad, with a mosquitto broker and
a facility simulator started for you. Logs are JSON lines on stderr; under systemd it reports
READY and pings the watchdog.

Simulator only:
  --console       read patient steps from stdin, one per line ("insert: card", "camera: live",
                  "tap: face", "pin: \"2468\"", "tap: all", "pull: card"); screens and results
                  are printed on stdout
  --screens DIR   keep the screen now shown as DIR/screen.png`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' }, console: { type: 'boolean' }, screens: { type: 'string' } });
    const config = await loadConfig(values.config ?? process.env['KAOREADER_CONFIG']);
    const log = createLogger({ sink: stderrSink, level: config.log.level, levels: config.log.levels });
    // OTA: the agent restarts by stopping the daemon; `run` then exits 75 so systemd starts `current` again.
    const stop = new AbortController();
    const onSignal = (): void => stop.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onSignal();
    else ctx.signal.addEventListener('abort', onSignal, { once: true });
    let restartRequested = false;
    let daemon: Daemon | undefined;
    const composition = await compose(config, log, {
      daemon: {
        health: () => daemon?.health() ?? Promise.resolve([]),
        restart: (why) => {
          log.info('restarting for the OTA agent', { why });
          restartRequested = true;
          stop.abort();
          return Promise.resolve();
        },
      },
      ...(values.console ? { console: { input: process.stdin, output: ctx.stdout } } : {}),
      ...(values.screens ? { screensDir: values.screens } : {}),
    });
    daemon = new Daemon({
      services: composition.services,
      notifier: systemdNotifier(),
      clock: composition.clock,
      log: log.child('daemon'),
    });
    log.info('kaoreader starting', { mode: config.hardware.mode });
    // Signal handlers do not keep Node's event loop alive; the daemon must outlive idle periods.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      await daemon.run(stop.signal);
    } finally {
      clearInterval(keepAlive);
      ctx.signal.removeEventListener('abort', onSignal);
    }
    return restartRequested ? RESTART_EXIT_CODE : 0;
  },
};
