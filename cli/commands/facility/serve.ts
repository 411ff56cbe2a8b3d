/**
 * `kaoreader facility serve --config FILE`: the production facility service. Validates the
 * configuration (every problem at once), starts the service, tells systemd READY (when run
 * under it), serves until SIGTERM/SIGINT, then stops cleanly (offline announced, queued commits
 * and XML files finished, database closed).
 */
import { createLogger, stderrSink } from '../../../firmware/core/logger.ts';
import { systemdNotifier } from '../../../firmware/daemon/sd-notify.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

export const serve: Command = {
  name: 'serve',
  summary: '(facility IT) run the facility service: verify, store, bridge, metrics',
  usage: `kaoreader facility serve --config FILE

Runs the facility service described by FILE (YAML or JSON; docs/facility-protocol.md "Running
the facility service"): consumes every reader's results and requests on the facility broker,
verifies every proof, stores results in SQLite or PostgreSQL (ack after commit), writes
clinic-system XML files, serves /metrics. Prints one JSON line when ready.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' } });
    if (!values.config) throw new UsageError('--config FILE is required');
    // Loaded here, not at CLI start: the service's parts (MQTT, metrics, drivers) only when it runs.
    const { loadFacilityConfig } = await import('../../../facility/config/load.ts');
    const { startFacility } = await import('../../../facility/compose.ts');
    const config = await loadFacilityConfig(values.config);
    const log = createLogger({ sink: stderrSink, level: config.log.level }, 'facility');
    const running = await startFacility(config, { clock: systemClock, log });
    const notifier = systemdNotifier();
    await notifier.notify({ READY: '1', STATUS: `serving ${config.facilityId}` });
    ctx.stdout.write(
      `${JSON.stringify({ ready: true, facilityId: config.facilityId, store: config.store.kind, metrics: running.metrics ? `http://${config.metrics.host}:${running.metrics.port}/metrics` : null })}\n`,
    );
    const watchdog =
      notifier.watchdogMs > 0
        ? setInterval(
            () => {
              void notifier.notify({ WATCHDOG: '1' });
            },
            Math.max(1000, notifier.watchdogMs / 2),
          )
        : undefined;
    await new Promise<void>((resolve) =>
      ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    if (watchdog) clearInterval(watchdog);
    await notifier.notify({ STOPPING: '1' });
    await running.close();
    return 0;
  },
};
