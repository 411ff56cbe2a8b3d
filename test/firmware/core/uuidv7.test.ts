/** UUIDv7: layout (RFC 9562 §5.7), time order, and random bits never repeated across pool refills. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UUID_V7, uuidv7, uuidv7Time } from '../../../firmware/core/uuidv7.ts';

test('version 7, variant 10, the given millisecond inside', () => {
  const id = uuidv7(1_765_000_000_123);
  assert.match(id, UUID_V7);
  assert.is(uuidv7Time(id), 1_765_000_000_123);
});

test('ids made in one millisecond still sort in creation order', () => {
  const ids = Array.from({ length: 1000 }, () => uuidv7(1_765_000_000_500));
  assert.equal([...ids].sort(), ids);
});

test('2,000 ids (several refills of the random pool) carry 2,000 different random tails', () => {
  const tails = new Set(Array.from({ length: 2000 }, () => uuidv7().slice(19)));
  assert.is(tails.size, 2000);
});

test.run();
