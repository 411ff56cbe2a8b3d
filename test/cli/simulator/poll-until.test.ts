/**
 * The rig's wait (poll-until.ts): the value as soon as the probe gives one; after the bound a
 * TimeoutError naming what the reader showed when the wait failed — a screen shown during the wait
 * is the one named, not the one on when it began (the stale "last shown" of scenario failures).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeoutError } from '../../../firmware/core/errors.ts';
import { pollUntil } from '../../../cli/simulator/poll-until.ts';

test('the value as soon as the probe gives one', async () => {
  let n = 0;
  const v = await pollUntil(
    () => (++n >= 3 ? 'method' : undefined),
    5_000,
    () => 'method',
  );
  assert.is(v, 'method');
  assert.is(n, 3);
});

test('on timeout, the label says what was shown at the deadline', async () => {
  const shown: string[] = ['method'];
  const later = setTimeout(() => shown.push('face'), 20);
  try {
    await pollUntil(
      () => undefined,
      80,
      () => `screen consent (last shown: ${shown.at(-1) ?? 'none'})`,
    );
    assert.unreachable('it waited for nothing');
  } catch (err) {
    assert.instance(err, TimeoutError);
    assert.is((err as TimeoutError).what, 'screen consent (last shown: face)');
  } finally {
    clearTimeout(later);
  }
});

test.run();
