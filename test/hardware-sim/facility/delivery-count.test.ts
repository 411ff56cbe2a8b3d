/** The counting report: sent vs stored, each kind of difference counted on its own. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countDelivery, lateAtFacilityKill } from '../../../hardware-sim/facility/delivery-count.ts';

test('everything stored once, in order: nothing to report', () => {
  assert.equal(countDelivery(['a', 'b', 'c'], ['a', 'b', 'c']), {
    sent: 3,
    received: 3,
    unmatched: 0,
    storedTwice: 0,
    outOfOrder: 0,
    outOfOrderAt: [],
    extra: 0,
    missing: [],
  });
});

test('lost, stored twice, late and unconfirmed results are each counted', () => {
  const c = countDelivery(['a', 'b', 'c', 'd', 'e'], ['a', 'c', 'b', 'c', 'e', 'x']);
  assert.is(c.unmatched, 1);
  assert.equal(c.missing, ['d']);
  assert.is(c.storedTwice, 1);
  assert.is(c.outOfOrder, 1, 'b after c');
  assert.is(c.extra, 1);
  assert.is(c.received, 5);
  assert.equal(c.outOfOrderAt, [1], 'b is the second sent');
});

test('late arrivals near the facility kill are told apart from others', () => {
  const sent = Array.from({ length: 200 }, (_, i) => `r${i}`);
  // The facility was killed when 100 had been sent: r95–r99 died with it and came back after r100–r104;
  // r10 came late for no such reason.
  const stored = [
    ...sent.slice(0, 10),
    ...sent.slice(11, 95),
    ...sent.slice(100, 105),
    ...sent.slice(95, 100),
    sent[10] ?? '',
    ...sent.slice(105),
  ];
  const c = countDelivery(sent, stored);
  assert.is(c.outOfOrder, 6);
  assert.equal(c.outOfOrderAt, [95, 96, 97, 98, 99, 10]);
  assert.is(lateAtFacilityKill(c, 100, 64), 5, 'the five the kill explains');
  assert.is(lateAtFacilityKill(c, undefined, 64), 0, 'no kill, nothing explained');
  assert.is(lateAtFacilityKill(c, 100, 3), 3, 'only r97–r99 lie within 3 of the kill');
});

test.run();
