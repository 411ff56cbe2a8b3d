/**
 * A short visit soak on the full simulated reader (virtual card, face worker with the ONNX models,
 * rendered screens, mosquitto + facility): after the first visit, the next visits leave the
 * process with the same open file descriptors and the same threads (a face worker, an ONNX
 * session or a libvips pipeline made per visit and kept would add some) and no image still queued
 * in sharp or held in its operation cache. RSS is reported by the bench, not asserted.
 */
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { runVisitBench } from '../../../cli/sim/visit-bench.ts';

test('three visits: fds and threads constant from the second visit on; nothing left in sharp', async () => {
  const sink = new MemorySink(1_000);
  const report = await runVisitBench({ visits: 3, log: createLogger({ sink, level: 'warn' }), auditSink: { write: () => undefined } });
  // A face attempt that misses the patient's 20 s is the liveness policy's business, not this test's.
  assert.ok(report.failed <= 1, sink.lines.join('\n'));
  const [, second, third] = report.soak.samples;
  assert.ok(second && third);
  assert.is(third.fds, second.fds, 'open file descriptors');
  assert.is(third.threads, second.threads, 'threads');
  assert.ok(third.brokerRssMb !== undefined && third.brokerRssMb > 0);
  assert.equal(sharp.counters(), { queue: 0, process: 0 });
  assert.is(sharp.cache().items.current, 0, 'libvips operation cache is off');
  assert.ok(report.faceChosenToDecisionMs.n >= 2);
  assert.is(report.soak.rssTenthsMb.length, 3);
});

test.run();
