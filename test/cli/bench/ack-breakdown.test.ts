/**
 * The bench's per-result split of an ack's time. Seen failing with the tail taken below the 95th
 * percentile (every result counted: the tail's flight fell to the mean's) and with the per-second
 * buckets keyed by latency instead of submit time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ackBreakdown, type ResultTiming } from '../../../cli/bench/ack-breakdown.ts';

test('the tail (at or above the 95th percentile) is split apart from the mean: here its flight makes it', () => {
  const rs: ResultTiming[] = [];
  for (let i = 0; i < 95; i++) rs.push([10, 4, 6, 100 + i]); // second 0
  for (let i = 0; i < 5; i++) rs.push([50, 5, 45, 1500 + i]); // second 1: the slow ones
  const b = ackBreakdown(rs);
  assert.equal(b.tail, { results: 5, latencyMs: 50, appendMs: 5, flightMs: 45, restMs: 0 });
  assert.is(b.all.results, 100);
  assert.is(b.all.latencyMs, 12);
  assert.equal(b.p95BySecond, [10, 50]);
});

test('results missing a figure are left out, not counted as 0', () => {
  const b = ackBreakdown([
    [10, 4, 6, 0],
    [20, Number.NaN, 6, 0],
  ]);
  assert.is(b.all.results, 1);
  assert.is(b.all.appendMs, 4);
});

test.run();
