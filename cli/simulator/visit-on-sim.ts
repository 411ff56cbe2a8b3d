/**
 * Runs one scenario against a full simulated reader under the real daemon: builds the reader
 * for the scenario (patient, card, facility records, visit settings, staff password), starts
 * its services through `Daemon`, waits for the idle screen, plays the scripted patient, then
 * shuts the daemon down and closes the reader. Optionally saves each screen as PNG.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Daemon } from '../../firmware/daemon/daemon.ts';
import { systemdNotifier } from '../../firmware/daemon/sd-notify.ts';
import { ReaderRig } from './reader-rig.ts';
import { runScenario, type ScenarioReport } from './run-scenario.ts';
import type { Scenario } from './scenario.ts';
import type { VisitEvent } from '../../firmware/visit/events.ts';
import { SimReader, type SimReaderSetup, type SimWorld } from './sim-reader.ts';

export function setupFor(scenario: Scenario): SimReaderSetup {
  return {
    patient: scenario.patient,
    card: scenario.card,
    terminalAuthenticator: scenario.terminalAuthenticator,
    facility: scenario.facility,
    visit: scenario.visit as SimReaderSetup['visit'],
    ...(scenario.staffPassword ? { staffPassword: scenario.staffPassword } : {}),
  };
}

export interface ScenarioOnSimOptions {
  /** Saves each screen shown as `<dir>/NNN-<screen>.png`. */
  readonly screensDir?: string;
  /** Told of the reader built for the scenario before it starts (a live view follows it). */
  readonly onReader?: (reader: SimReader) => void;
  /** Every visit event of the scenario's reader. */
  readonly onEvent?: (e: VisitEvent) => void;
}

export async function runScenarioOnSim(world: SimWorld, scenario: Scenario, o: ScenarioOnSimOptions = {}): Promise<ScenarioReport> {
  const shots: Promise<void>[] = [];
  let shot = 0;
  const reader: SimReader = await SimReader.create(world, {
    ...setupFor(scenario),
    onEvent: (e) => {
      if (o.screensDir && e.type === 'screen') shots.push(saveShot(reader, o.screensDir, ++shot, e.screen));
      o.onEvent?.(e);
    },
  });
  o.onReader?.(reader);
  const daemon = new Daemon({
    services: reader.services,
    notifier: systemdNotifier({}),
    clock: world.clock,
    log: world.log.child('daemon'),
  });
  const stop = new AbortController();
  const running = daemon.run(stop.signal);
  let report: ScenarioReport;
  try {
    const rig = new ReaderRig(reader);
    await rig.waitForScreen('idle', 15_000 * world.patience);
    report = await runScenario(scenario, rig, 20_000, world.patience);
  } finally {
    stop.abort();
    await running;
    await Promise.allSettled(shots);
    await reader.close();
  }
  return report;
}

/** Saves the screen once it is drawn (the event comes just before); a failure is logged, not thrown. */
async function saveShot(reader: SimReader, dir: string, n: number, screen: string): Promise<void> {
  const ui = reader.ui;
  if (!ui.snapshot || !ui.frames) return;
  const before = ui.frames();
  try {
    for (let i = 0; i < 100 && ui.frames() === before; i++) await new Promise((r) => setTimeout(r, 5));
    const png = await ui.snapshot();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${String(n).padStart(3, '0')}-${screen}.png`), png);
  } catch (err) {
    reader.world.log.warn('screen snapshot failed', { screen, err });
  }
}
