import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeoutError } from '../../../firmware/core/errors.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { CardRemovedError } from '../../../firmware/visit/errors.ts';
import { guarded } from '../../../firmware/visit/guard.ts';

test('a step that ignores its signal still ends at its deadline with TimeoutError', async () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    let inner: AbortSignal | undefined;
    const p = guarded(systemClock, new AbortController().signal, 'deaf step', 1_000, (s) => {
      inner = s;
      return new Promise<never>(() => undefined);
    });
    const caught = p.catch((e: unknown) => e);
    await clock.tickAsync(999);
    assert.is(inner?.aborted, false);
    await clock.tickAsync(1);
    const err = await caught;
    assert.instance(err, TimeoutError);
    assert.is(inner?.aborted, true);
  } finally {
    clock.restore();
  }
});

test('the parent abort reason (card removed) wins, and the timer is cleared', async () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const ac = new AbortController();
    const p = guarded(systemClock, ac.signal, 'step', 5_000, (s) => systemClock.sleep(10_000, s)).catch((e: unknown) => e);
    ac.abort(new CardRemovedError());
    assert.instance(await p, CardRemovedError);
    assert.is(clock.countTimers(), 0);
  } finally {
    clock.restore();
  }
});

test('a finished step aborts its child signal (nothing keeps running) and returns the value', async () => {
  let inner: AbortSignal | undefined;
  const v = await guarded(systemClock, new AbortController().signal, 'quick', 1_000, (s) => {
    inner = s;
    return Promise.resolve(42);
  });
  assert.is(v, 42);
  assert.is(inner?.aborted, true);
});

test.run();
