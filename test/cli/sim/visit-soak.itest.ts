/**
 * A short visit soak on the full simulated reader (virtual card, face worker with the ONNX models,
 * rendered screens, mosquitto + facility): after the first visit, every further visit leaves the
 * process with the same open file descriptors and the same threads (a face worker, an ONNX
 * session or a libvips pipeline made per visit and kept would add some), no image still queued in
 * sharp, and only the current visit's events held. RSS is reported by the bench, not asserted.
 */
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { runVisitBench } from '../../../cli/sim/visit-bench.ts';

test('four visits: fds and threads constant from the second visit on; nothing left in sharp', async () => {
  const sink = new MemorySink(1_000);
  const report = await runVisitBench({ visits: 4, log: createLogger({ sink, level: 'warn' }), auditSink: { write: () => undefined } });
  // A face attempt that misses the patient's 20 s is the liveness policy's business, not this test's.
  assert.ok(report.failed <= 1, sink.lines.join('\n'));
  const [, second, , fourth] = report.soak.samples;
  assert.ok(second && fourth);
  assert.is(fourth.fds, second.fds, 'open file descriptors');
  assert.is(fourth.threads, second.threads, 'threads');
  assert.ok(fourth.brokerRssMb !== undefined && fourth.brokerRssMb > 0);
  assert.equal(sharp.counters(), { queue: 0, process: 0 });
  assert.is(sharp.cache().items.current, 0, 'libvips operation cache is off');
  assert.ok(report.faceChosenToDecisionMs.n >= 3);
  assert.is(report.soak.rssTenthsMb.length, 4);
});

test.run();
