/**
 * Delivery under faults, with real parts: mosquitto killed -9 and restarted, the reader process
 * killed -9 and restarted, the link cut and degraded through our TCP proxy. Zero unmatched.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../firmware/core/logger.ts';
import { runReliability } from '../../../hardware-sim/facility/reliability.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

test('1,000 results through broker kill -9, reader kill -9, link cut, partition and degradation: none lost, order kept, duplicates deduped', async () => {
  const report = await runReliability({ results: 1000, ratePerSec: 100, workDir: tmp('kao-rel-'), log: createLogger({ sink: { write: () => undefined }, level: 'error' }), deadlineMs: 40_000 });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  assert.is(report.unmatched, 0);
  assert.is(report.outOfOrder, 0, 'per-reader order kept (the facility is online before anything is sent)');
  assert.ok(report.expected >= 1000, `expected ${report.expected}`);
  assert.is(report.received, report.expected + report.extra);
  assert.ok(report.extra <= 8, 'only records stored in the instant before the kill may be unconfirmed');
  assert.equal(report.faults.length, 5);
  assert.ok(report.proxy.cuts >= 1 && report.proxy.partitions === 1);
});

test.run();
