/**
 * Runs scenario files of test/scenarios against the full daemon on simulated hardware: virtual
 * My Number Card in the simulated slot, the real face verifier (ONNX models) on the simulated
 * camera, the card-front OCR on the simulated scanner, rendered screens with simulated touch and
 * keypad, a real mosquitto with the facility simulator and the reader's MQTT link + outbox.
 * One shared world (broker, models) per test file; the scenarios are split over two files
 * (scenarios.itest.ts, scenarios-interrupted.itest.ts) so that each stays within the runner's per-file limit.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemorySink, createLogger } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { loadScenario } from '../../../cli/simulator/scenario.ts';
import { runScenarioOnSim } from '../../../cli/simulator/visit-on-sim.ts';
import { createSimWorld, type ClosableSimWorld } from '../../../cli/simulator/world.ts';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');

/** Scenarios in which the patient pulls the card or lets a step time out. */
export const interrupted = (file: string): boolean => file.startsWith('pull-at-') || file.startsWith('timeout-');

export async function scenarioSuite(pick: (file: string) => boolean): Promise<void> {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.yaml') && pick(f)).sort();
  const sink = new MemorySink(5_000);
  let world: ClosableSimWorld | undefined;

  test.before(async () => {
    world = await createSimWorld({ clock: systemClock, log: createLogger({ sink, level: 'info' }), auditSink: sink });
  });

  test.after(async () => {
    await world?.close();
  });

  for (const f of files) {
    test(`scenario ${f}`, async () => {
      if (!world) throw new Error('no simulator world');
      const from = sink.lines.length;
      const report = await runScenarioOnSim(world, await loadScenario(join(DIR, f)));
      // on failure, why the face step ended as it did (the audit's words: no image, score or secret)
      const face = sink.lines.slice(from).filter((l) => /"(face-attempt|face-given-up|face decision)"/.test(l));
      assert.ok(report.passed, `${report.name}\n  screens: ${report.screens.join(' → ')}\n  ${[...report.problems, ...face].join('\n  ')}`);
      assert.ok(report.result, 'one result record');
    });
  }

  test('no secret reached a log line during these scenarios', () => {
    const text = sink.lines.join('\n');
    for (const pin of ['2468', '8024']) assert.not.ok(new RegExp(`"${pin}"`).test(text), `PIN ${pin} logged`);
    assert.not.ok(/20261124/.test(text), 'staff password logged');
  });

  test.run();
}
