import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../firmware/core/errors.ts';
import { MessageInvalidError } from '../../../firmware/facility/messages/codec.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import type { FacilityUnreachableError } from '../../../firmware/ports/facility-link.ts';
import { InProcessFacilityLink } from '../../../hardware-sim/facility/in-process-link.ts';
import { sampleResult } from '../../firmware/facility/fixtures.ts';

test('results validated and stored once; consent from this facility comes back on the next qualify', async () => {
  const link = await InProcessFacilityLink.create({ clock: systemClock });
  const r = sampleResult({ certificateSerial: 'c0ffee' });
  await link.submitResult(r);
  await link.submitResult(r);
  assert.is(link.db.results.size, 1);
  assert.is(link.db.counters.get('reader-01')?.duplicates, 1);
  try {
    await link.submitResult({ ...r, segment: 4 as 1 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, MessageInvalidError);
  }
  const a = await link.qualify('C0FFEE', { timeoutMs: 100 });
  assert.equal(a.previousConsent, r.consent);
  assert.match(a.challenge, /^[0-9a-f]{64}$/);
  await link.close();
});

test('offline, slow (timeout) and cancelled requests reject with the port\'s typed errors', async () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const link = await InProcessFacilityLink.create({ clock: systemClock });
    link.offline = true;
    const off = await link.qualify('ab', { timeoutMs: 1000 }).catch((e: unknown) => e);
    assert.is((off as FacilityUnreachableError).reason, 'offline');
    link.offline = false;
    link.answerDelayMs = 5000;
    const slow = link.qualify('ab', { timeoutMs: 1000 }).catch((e: unknown) => e);
    await clock.tickAsync(1000);
    assert.is((await slow as FacilityUnreachableError).reason, 'timeout');
    link.answerDelayMs = 500;
    const ac = new AbortController();
    const cancelled = link.register('ab', { timeoutMs: 1000, signal: ac.signal }).catch((e: unknown) => e);
    ac.abort();
    assert.instance(await cancelled, CancelledError);
    const ok = link.register('ab', { timeoutMs: 1000 });
    await clock.tickAsync(500);
    await ok;
    assert.ok(link.db.patient('ab').registered);
  } finally {
    clock.restore();
  }
});

test.run();
