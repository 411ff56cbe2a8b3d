/** The counting report: sent vs stored, each kind of difference counted on its own. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countDelivery } from '../../../hardware-sim/facility/delivery-count.ts';

test('everything stored once, in order: nothing to report', () => {
  assert.equal(countDelivery(['a', 'b', 'c'], ['a', 'b', 'c']), { sent: 3, received: 3, unmatched: 0, storedTwice: 0, outOfOrder: 0, extra: 0, missing: [] });
});

test('lost, stored twice, late and unconfirmed results are each counted', () => {
  const c = countDelivery(['a', 'b', 'c', 'd', 'e'], ['a', 'c', 'b', 'c', 'e', 'x']);
  assert.is(c.unmatched, 1);
  assert.equal(c.missing, ['d']);
  assert.is(c.storedTwice, 1);
  assert.is(c.outOfOrder, 1, 'b after c');
  assert.is(c.extra, 1);
  assert.is(c.received, 5);
});

test.run();
