/**
 * Delivery under faults, with real parts: mosquitto, the reader process and the facility process
 * killed -9 and restarted, the link cut, partitioned and degraded through our TCP proxy. The
 * facility's store is read back and counted against what the reader confirmed: zero unmatched.
 * The test of the test: a facility that acknowledges what it holds only in memory must make it fail.
 */
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LATE_WINDOW, runReliability } from '../../../cli/bench/facility-reliability.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

const BROKEN = fileURLToPath(new URL('../../hardware-sim/facility/fixtures/volatile-facility.ts', import.meta.url));

test('1,000 results through broker, reader and facility kill -9, link cut, partition and degradation: none lost, none refused, none stored twice, order kept (but across the facility kill)', async () => {
  const report = await runReliability({ results: 1000, ratePerSec: 100, workDir: tmp('kao-rel-'), deadlineMs: 40_000 });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  assert.ok(report.drained, 'the outbox emptied');
  assert.is(report.unmatched, 0, `lost: ${report.missing.join(', ')}`);
  assert.is(report.storedTwice, 0);
  assert.equal(report.refusals, {}, 'no result refused');
  // Order holds except across the facility's kill -9 (results it held uncommitted come back after
  // newer ones the broker queued for it): those are few and lie around the kill.
  assert.is(report.outOfOrderOther, 0, 'per-reader order kept apart from the facility kill');
  assert.ok(report.outOfOrderAtFacilityKill <= LATE_WINDOW);
  assert.ok(report.sent >= 1000, `sent ${report.sent}`);
  assert.is(report.received, report.sent + report.extra);
  assert.ok(report.extra <= 8, 'only records stored in the instant before the kill may be unconfirmed');
  assert.equal(report.faults.length, 6);
  assert.ok(report.proxy.cuts >= 1 && report.proxy.partitions === 1);
});

test('test of the test: a facility that acks results it holds only in memory loses them across its kill -9, and the count shows it', async () => {
  const report = await runReliability({
    results: 400,
    ratePerSec: 100,
    workDir: tmp('kao-rel-broken-'),
    deadlineMs: 40_000,
    facilityProgram: BROKEN,
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  assert.ok(report.drained, 'every result was acknowledged');
  assert.ok(report.unmatched > 0, `the count saw no loss: ${JSON.stringify(report)}`);
  assert.is(report.received + report.unmatched, report.sent + report.extra);
});

test.run();
