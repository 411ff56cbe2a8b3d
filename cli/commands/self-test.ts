/**
 * `kaoreader self-test`: the configured reader (the simulator without a config) started as the
 * daemon would start it, its self-test run once, and stopped: the checks the OTA health window
 * makes before it keeps a release. Run by the installer's first start and by hand after
 * repairs; the arm64 check runs it under emulation.
 */
import { loadConfig } from '../../firmware/config/load.ts';
import { createLogger, MemorySink, stderrSink } from '../../firmware/core/logger.ts';
import { Daemon } from '../../firmware/daemon/daemon.ts';
import type { HealthCheck } from '../../firmware/ports/service.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { compose } from '../compose.ts';

const silent = { active: false, notify: () => Promise.resolve(), watchdogMs: 0 };

export const selfTestCommand: Command = {
  name: 'self-test',
  summary: 'check the configured hardware once, as the OTA health window does',
  usage: `kaoreader self-test [--config FILE] [--json] [--verbose]

Starts the reader's services for the configured hardware (the simulator when no config is given),
runs the self-test once and stops: the card reader answers, a camera frame arrives, the face
models run on the test photo, the screen is written again, the state folder takes an fsync'd
write; the facility link is reported but does not fail the test (an unreachable facility is no
reason to roll a release back). One line per check, or --json. Exit 0 when every check that
counts passed, 1 otherwise.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } });
    const config = await loadConfig(values.config ?? process.env['KAOREADER_CONFIG']);
    const log = createLogger({
      sink: values.verbose ? stderrSink : new MemorySink(2_000),
      level: values.verbose ? 'debug' : config.log.level,
    });
    const composition = await compose(config, log);
    const daemon = new Daemon({ services: composition.services, notifier: silent, clock: composition.clock, log: log.child('daemon') });
    const checks: HealthCheck[] = await daemon.check(ctx.signal);
    await composition.gpio.close();
    const failed = checks.filter((c) => !c.ok && c.critical !== false);
    if (values.json) ctx.stdout.write(`${JSON.stringify({ passed: failed.length === 0, checks }, null, 2)}\n`);
    else {
      for (const c of checks) ctx.stdout.write(`${c.ok ? '✔' : c.critical === false ? '–' : '✘'} ${c.name.padEnd(14)} ${c.detail}\n`);
      ctx.stdout.write(failed.length === 0 ? 'self-test passed\n' : `self-test failed: ${failed.map((c) => c.name).join(', ')}\n`);
    }
    return failed.length === 0 ? 0 : 1;
  },
};
