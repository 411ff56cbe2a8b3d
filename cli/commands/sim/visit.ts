/**
 * `kaoreader sim visit --scenario FILE`: a scripted patient (YAML) against the full daemon on
 * simulated hardware; prints the screens passed and the result record. Several --scenario
 * options (or a directory) run one after the other on the same broker and models.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadConfig } from '../../../firmware/config/load.ts';
import { MemorySink, createLogger, stderrSink } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { UsageError, hostPort, parse } from '../../args.ts';
import type { Command } from '../../command.ts';
import { loadScenario } from '../../simulator/scenario.ts';
import { runScenarioOnSim } from '../../simulator/visit-on-sim.ts';
import { createSimWorld } from '../../simulator/world.ts';

async function scenarioFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if ((await stat(p).catch(() => undefined))?.isDirectory())
      out.push(
        ...(await readdir(p))
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((f) => join(p, f)),
      );
    else out.push(p);
  }
  return out;
}

export const visitCommand: Command = {
  name: 'visit',
  summary: 'run a scripted patient visit (YAML) against the daemon on simulated hardware',
  usage: `kaoreader sim visit --scenario FILE|DIR [--scenario …] [--screens DIR] [--vpcd HOST:PORT] [--config FILE] [--patience N] [--json] [--verbose]

Plays the scenario's patient (insert card, pick language, look at the camera as a live person
or hold up a photo, press keys, choose consent, pull the card, wait) against the reader daemon
on simulated hardware with a real mosquitto and facility simulator. Prints the screens passed
and the result record; exits 1 when an expectation of the scenario fails.
--screens DIR saves every screen shown as a PNG (when a rendered display is wired).
--vpcd HOST:PORT puts the card into pcscd through vsmartcard-vpcd and reads it over PC/SC (the
production card path; pcscd as PC/SC clients find it: PCSCLITE_CSOCK_NAME); default in-process.
--config FILE takes the face section (models, threshold, decision budget) from a configuration.
--patience N makes the scripted patient wait N times longer for the reader (slow machines,
emulation: the arm64 check under qemu uses 20).
Scenario format: see cli/simulator/scenario.ts and test/scenarios/*.yaml.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      scenario: { type: 'string', multiple: true },
      screens: { type: 'string' },
      vpcd: { type: 'string' },
      config: { type: 'string' },
      patience: { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    if (!values.scenario?.length) throw new UsageError('--scenario FILE is required');
    const files = await scenarioFiles(values.scenario);
    const scenarios = await Promise.all(files.map((f) => loadScenario(f)));
    const sink = values.verbose ? stderrSink : new MemorySink(2_000);
    const log = createLogger({ sink, level: values.verbose ? 'debug' : 'info' });
    const face = values.config ? (await loadConfig(values.config)).face : undefined;
    const patience = Number(values.patience ?? 1);
    if (!Number.isInteger(patience) || patience < 1 || patience > 100) throw new UsageError('--patience must be an integer 1…100');
    const world = await createSimWorld({
      clock: systemClock,
      log,
      auditSink: sink,
      patience,
      ...(face ? { face } : {}),
      ...(values.vpcd ? { vpcd: hostPort(values.vpcd) } : {}),
    });
    let failed = 0;
    const reports = [];
    try {
      for (const [i, scenario] of scenarios.entries()) {
        if (ctx.signal.aborted) break;
        const screensDir = values.screens
          ? scenarios.length > 1
            ? join(values.screens, basename(files[i] ?? `s${i}`, '.yaml'))
            : values.screens
          : undefined;
        const report = await runScenarioOnSim(world, scenario, screensDir ? { screensDir } : {});
        reports.push(report);
        if (!report.passed) failed++;
        if (!values.json) {
          ctx.stdout.write(
            `${report.passed ? 'PASS' : 'FAIL'}  ${report.name}  (${report.ms} ms)\n  screens: ${report.screens.join(' → ')}\n`,
          );
          ctx.stdout.write(
            `  result:  ${report.result ? JSON.stringify({ outcome: report.result.outcome, method: report.result.method, errorCode: report.result.errorCode, consent: report.result.consent, prescription: report.result.prescription, registeredNow: report.result.registeredNow, signature: report.result.signature ? '(present)' : undefined }) : '(none)'}\n`,
          );
          for (const p of report.problems) ctx.stdout.write(`  ✘ ${p}\n`);
        }
      }
    } finally {
      await world.close();
    }
    if (values.json) ctx.stdout.write(`${JSON.stringify({ passed: reports.length - failed, failed, scenarios: reports }, null, 2)}\n`);
    else if (reports.length > 1) ctx.stdout.write(`\n${reports.length - failed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};
