import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../../firmware/core/errors.ts';
import { CommandDispatcher } from '../../../../firmware/facility/link/commands.ts';
import { Requests } from '../../../../firmware/facility/link/requests.ts';
import type { Request } from '../../../../firmware/facility/messages/types.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { FacilityRefusedError, FacilityUnreachableError } from '../../../../firmware/ports/facility-link.ts';
import { quietLog, RecordingSettings } from './helpers.ts';

const answer = { registered: true, consentItems: ['surgery'], ePrescription: false, challenge: 'ab'.repeat(16) };
const q = (kind: 'qualify' | 'register'): Omit<Request, 'schema' | 'id' | 'sentAt'> => ({ kind, readerId: 'reader-01', visitId: 'v1', certificateSerial: 'ab', ...(kind === 'qualify' ? { certificate: 'AAAA' } : { challenge: 'ab'.repeat(16) }) });

test('requests: answer by id, timeout, offline, abort, refusal, late answers dropped', async () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const r = new Requests(systemClock, quietLog().log);
    const sent: Request[] = [];
    const send = (q: Request): Promise<void> => { sent.push(q); return Promise.resolve(); };
    const ok = r.call(q('qualify'), { timeoutMs: 1000, online: true }, send);
    await clock.tickAsync(1);
    r.onResponse({ schema: 'kaoreader.response/1', requestId: uuidv7(), ok: true, answer });
    r.onResponse({ schema: 'kaoreader.response/1', requestId: sent[0]?.id ?? '', ok: true, answer });
    assert.equal((await ok).answer, answer);
    const slow = r.call(q('qualify'), { timeoutMs: 1000, online: true }, send).catch((e: unknown) => e);
    await clock.tickAsync(1001);
    const e1 = await slow;
    assert.instance(e1, FacilityUnreachableError);
    assert.is((e1 as FacilityUnreachableError).reason, 'timeout');
    r.onResponse({ schema: 'kaoreader.response/1', requestId: sent[1]?.id ?? '', ok: true, answer }); // late: dropped
    const off = await r.call(q('register'), { timeoutMs: 1000, online: false }, send).catch((e: unknown) => e);
    assert.is((off as FacilityUnreachableError).reason, 'offline');
    const ac = new AbortController();
    const aborted = r.call(q('qualify'), { timeoutMs: 1000, online: true, signal: ac.signal }, send).catch((e: unknown) => e);
    ac.abort();
    assert.instance(await aborted, CancelledError);
    const refused = r.call(q('register'), { timeoutMs: 1000, online: true }, send).catch((e: unknown) => e);
    await clock.tickAsync(1);
    r.onResponse({ schema: 'kaoreader.response/1', requestId: sent[sent.length - 1]?.id ?? '', ok: false, error: { code: 'NOT_INSURED', message: 'no record' } });
    const e2 = await refused;
    assert.instance(e2, FacilityRefusedError);
    assert.is((e2 as FacilityRefusedError).facilityCode, 'NOT_INSURED');
  } finally {
    clock.restore();
  }
});

const cmd = (command: string, args: object, facilityId = 'clinic-a', id = uuidv7()): Buffer =>
  Buffer.from(JSON.stringify({ schema: 'kaoreader.command/1', id, facilityId, command, args }));

test('commands: run once per id, password never logged, handler failure and missing handlers are clear errors', async () => {
  const settings = new RecordingSettings();
  const { log, sink } = quietLog();
  const d = new CommandDispatcher({ facilityId: 'clinic-a', settings, system: { recentLogs: () => Promise.resolve(Array.from({ length: 5000 }, (_, i) => `log line ${i} ${'x'.repeat(40)}`)) }, log });
  const id = uuidv7();
  const first = await d.handle(cmd('set-staff-password', { password: 'hunter2hunter2' }, 'clinic-a', id));
  const again = await d.handle(cmd('set-staff-password', { password: 'hunter2hunter2' }, 'clinic-a', id));
  assert.ok(first.reply.ok);
  assert.equal(again.reply, first.reply);
  assert.is(settings.passwordSet, 1, 'a redelivered command is not run twice');
  assert.not.ok(sink.lines.join('\n').includes('hunter2'), 'the password is never logged');
  const logs = await d.handle(cmd('request-logs', { lines: 1000 }));
  assert.ok(JSON.stringify(logs.reply).length < 64 * 1024, 'log reply fits a message');
  const kept = (logs.reply.result as { lines: string[] }).lines;
  assert.ok(kept.length > 500, `kept ${kept.length}`);
  assert.match(kept[kept.length - 1] ?? '', 'log line 4999 ', 'the newest lines are kept');
  assert.is((await d.handle(cmd('restart', {}))).reply.error?.code, 'UNSUPPORTED_COMMAND');
  const failing = new CommandDispatcher({ facilityId: 'clinic-a', settings: { ...settings, setFacilityName: () => Promise.reject(new Error('disk')) , setConsentItems: () => Promise.resolve(), setStaffPassword: () => Promise.resolve() }, system: {}, log });
  assert.is((await failing.handle(cmd('set-facility-name', { name: 'x' }))).reply.error?.code, 'HANDLER_FAILED');
  assert.is((await d.handle(Buffer.from('\u0000garbage'))).reply.commandId, 'unknown');
  assert.is((await d.handle(cmd('set-consent-items', { items: [] }))).reply.error?.code, 'MESSAGE_INVALID');
  assert.equal(settings.calls, ['password']);
});

test.run();
