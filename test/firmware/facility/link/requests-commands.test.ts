import { sign } from 'node:crypto';
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../../firmware/core/errors.ts';
import { hashStaffPassword } from '../../../../firmware/core/staff-password-hash.ts';
import { commandKeyId } from '../../../../firmware/facility/commands/command-key.ts';
import { signCommand } from '../../../../firmware/facility/commands/sign.ts';
import { CommandDispatcher, type SettingsHandler, type SystemHandler } from '../../../../firmware/facility/link/commands.ts';
import { Requests } from '../../../../firmware/facility/link/requests.ts';
import type { Command, Request } from '../../../../firmware/facility/messages/types.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { FacilityRefusedError, FacilityUnreachableError } from '../../../../firmware/ports/facility-link.ts';
import { quietLog, RecordingSettings, TEST_COMMAND_KEY, testTrust } from './helpers.ts';

const answer = { registered: true, consentItems: ['surgery'], ePrescription: false, challenge: 'ab'.repeat(16) };
const q = (kind: 'qualify' | 'register'): Omit<Request, 'schema' | 'id' | 'sentAt'> => ({
  kind,
  readerId: 'reader-01',
  visitId: 'v1',
  certificateSerial: 'ab',
  ...(kind === 'qualify' ? { certificate: 'AAAA' } : { challenge: 'ab'.repeat(16) }),
});

test('requests: answer by id, timeout, offline, abort, refusal, late answers dropped', async () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const r = new Requests(systemClock, quietLog().log);
    const sent: Request[] = [];
    const send = (q: Request): Promise<void> => {
      sent.push(q);
      return Promise.resolve();
    };
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
    r.onResponse({
      schema: 'kaoreader.response/1',
      requestId: sent[sent.length - 1]?.id ?? '',
      ok: false,
      error: { code: 'NOT_INSURED', message: 'no record' },
    });
    const e2 = await refused;
    assert.instance(e2, FacilityRefusedError);
    assert.is((e2 as FacilityRefusedError).facilityCode, 'NOT_INSURED');
  } finally {
    clock.restore();
  }
});

const cmd = (command: Command, id = uuidv7()): Buffer =>
  signCommand(command, { key: TEST_COMMAND_KEY.privateKey, facilityId: 'clinic-a', readerId: 'reader-01', now: Date.now(), id }).payload;
const dispatcher = (settings: SettingsHandler, system: SystemHandler, log = quietLog().log): CommandDispatcher =>
  new CommandDispatcher({ readerId: 'reader-01', facilityId: 'clinic-a', trust: testTrust(), settings, system, clock: systemClock, log });

test('commands: run once per id, password hash never logged, handler failure and missing handlers are clear errors', async () => {
  const settings = new RecordingSettings();
  const { log, sink } = quietLog();
  const d = dispatcher(
    settings,
    { recentLogs: () => Promise.resolve(Array.from({ length: 5000 }, (_, i) => `log line ${i} ${'x'.repeat(40)}`)) },
    log,
  );
  const id = uuidv7();
  const hash = await hashStaffPassword(new Uint8Array(Buffer.from('2468024680')), 1 << 14);
  const first = await d.handle(cmd({ command: 'set-staff-password', args: { hash } }, id));
  const again = await d.handle(cmd({ command: 'set-staff-password', args: { hash } }, id));
  assert.ok(first.reply.ok, JSON.stringify(first.reply));
  assert.equal(again.reply, first.reply);
  assert.is(settings.passwordSet, 1, 'a redelivered command is not run twice');
  assert.equal(settings.lastHash, hash);
  assert.not.ok(sink.lines.join('\n').includes(hash.hash), 'the hash is never logged');
  const logs = await d.handle(cmd({ command: 'request-logs', args: { lines: 1000 } }));
  assert.ok(JSON.stringify(logs.reply).length < 64 * 1024, 'log reply fits a message');
  const kept = (logs.reply.result as { lines: string[] }).lines;
  assert.ok(kept.length > 500, `kept ${kept.length}`);
  assert.match(kept[kept.length - 1] ?? '', 'log line 4999 ', 'the newest lines are kept');
  assert.is((await d.handle(cmd({ command: 'restart', args: {} }))).reply.error?.code, 'UNSUPPORTED_COMMAND');
  const failing = dispatcher(
    { ...settings, setFacilityName: () => Promise.reject(new Error('disk')), setStaffPasswordHash: () => Promise.resolve() },
    {},
  );
  assert.is((await failing.handle(cmd({ command: 'set-facility-name', args: { name: 'x' } }))).reply.error?.code, 'HANDLER_FAILED');
  assert.is((await d.handle(Buffer.from('\u0000garbage'))).reply.commandId, 'unknown');
  assert.equal(settings.calls, ['password']);
});

test('restart runs once although its reply could not be sent; the redelivery gets the reply and no second restart', async () => {
  const restarts: string[] = [];
  const d = dispatcher(new RecordingSettings(), {
    restart: (reason) => {
      restarts.push(reason);
      return Promise.resolve();
    },
  });
  const payload = cmd({ command: 'restart', args: { reason: 'update' } });
  const lost = await d
    .answer(payload, () => Promise.reject(new Error('client disconnecting')))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.instance(lost, Error, "the reply's failure is not hidden");
  assert.equal(restarts, ['update'], 'the restart ran although the reply was lost');
  const replies: boolean[] = [];
  await d.answer(payload, (reply) => {
    replies.push(reply.ok);
    return Promise.resolve();
  });
  assert.equal(replies, [true], 'the redelivery is answered');
  assert.equal(restarts, ['update'], 'and not run again');
});

test('a null, array or number command payload (or body) gets a typed MESSAGE_INVALID reply, not a TypeError', async () => {
  const settings = new RecordingSettings();
  const d = dispatcher(settings, {});
  for (const raw of ['null', '{"body":"bnVsbA=="}', '[1,2]', '42', '{"body":"WzFd"}']) {
    const { reply, after } = await d.handle(Buffer.from(raw));
    assert.is(reply.ok, false, raw);
    assert.is(reply.commandId, 'unknown', raw);
    assert.is(reply.error?.code, 'MESSAGE_INVALID', raw);
    assert.is(after, undefined);
  }
  assert.equal(settings.calls, []);
});

test('set-consent-items is gone (the facility sends consent items with each qualification answer): a validly signed one is refused and changes nothing', async () => {
  const settings = new RecordingSettings();
  const d = dispatcher(settings, {});
  const now = Date.now();
  const body = Buffer.from(
    JSON.stringify({
      schema: 'kaoreader.command-body/1',
      id: uuidv7(),
      facilityId: 'clinic-a',
      readerId: 'reader-01',
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
      command: 'set-consent-items',
      args: { items: ['surgery'] },
    }),
  );
  const key = TEST_COMMAND_KEY.privateKey;
  const payload = Buffer.from(
    JSON.stringify({
      schema: 'kaoreader.command/2',
      keyId: commandKeyId(key),
      body: body.toString('base64'),
      signature: sign(null, body, key).toString('base64'),
    }),
  );
  const { reply } = await d.handle(payload);
  assert.is(reply.ok, false);
  assert.is(reply.error?.code, 'MESSAGE_INVALID');
  assert.equal(settings.calls, []);
});

test.run();
