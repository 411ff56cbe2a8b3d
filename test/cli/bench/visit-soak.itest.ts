/**
 * A short visit soak on the full simulated reader (virtual card, face worker with the ONNX models,
 * rendered screens, mosquitto + facility): after the first visit, the next visits leave the
 * process with the same open file descriptors and the same threads outside libvips' and pango's
 * on-demand pools (a face worker or an ONNX session made per visit would add some), and no image
 * still queued in sharp or held in its operation cache. RSS is reported by the bench, not asserted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { runVisitBench } from '../../../cli/bench/visit-bench.ts';

/**
 * Threads of this process outside the pools that grow and shrink on demand (libvips' workers,
 * pango's fontconfig loaders): a face worker or an ONNX session made per visit would add some.
 */
function fixedThreads(): number {
  const names = readdirSync('/proc/self/task').map((t) => {
    try {
      return readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim();
    } catch {
      return ''; // the thread ended meanwhile
    }
  });
  return names.filter((n) => n !== '' && !n.startsWith('libvips') && !n.startsWith('[pango]')).length;
}

test('three visits: fds and threads constant from the second visit on; nothing left in sharp', async () => {
  const sink = new MemorySink(1_000);
  const threads: number[] = [];
  const report = await runVisitBench({
    visits: 3,
    log: createLogger({ sink, level: 'warn' }),
    auditSink: { write: () => undefined },
    onProgress: () => {
      threads.push(fixedThreads());
    },
  });
  // Every visit must end in a decision: a failed visit is a failure of the soak, whatever its cause.
  assert.is(report.failed, 0, `${report.failed} of 3 visits failed:\n${sink.lines.join('\n')}`);
  const [, second, third] = report.soak.samples;
  assert.ok(second && third);
  assert.is(third.fds, second.fds, 'open file descriptors');
  assert.is(threads[2], threads[1], 'threads (outside the libvips and pango pools)');
  assert.ok(third.brokerRssMb !== undefined && third.brokerRssMb > 0);
  assert.equal(sharp.counters(), { queue: 0, process: 0 });
  assert.is(sharp.cache().items.current, 0, 'libvips operation cache is off');
  assert.ok(report.faceChosenToDecisionMs.n >= 2);
  // Card in → method split where the product's card reader reported the card, for every visit.
  const { toReported, reportedToMethod } = report.cardInPhasesMs;
  assert.is(toReported.n, report.cardInToMethodMs.n, "every visit split at the card reader's report");
  assert.ok(
    toReported.max + reportedToMethod.max >= report.cardInToMethodMs.max - 1 && reportedToMethod.max <= report.cardInToMethodMs.max,
    'the two parts make up the whole',
  );
  assert.is(report.soak.rssTenthsMb.length, 3);
});

test.run();
