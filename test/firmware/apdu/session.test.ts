import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sinon from 'sinon';
import { TimeoutError } from '../../../firmware/core/errors.ts';
import { ResponseChainError, StatusWordError } from '../../../firmware/apdu/errors.ts';
import { ApduSession } from '../../../firmware/apdu/session.ts';
import type { CardSession, TransmitOptions } from '../../../firmware/ports/card-reader.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';

const d = (h: string): Uint8Array => Buffer.from(h, 'hex');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A card that answers from a script and records what it was sent; unknown commands → 6D00. */
function scripted(answers: Record<string, string[]>): CardSession & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    atr: d('3be000ff8131fe4514'),
    features: { extendedApdu: false, contactless: false },
    transmit(cmd: Uint8Array, _o: TransmitOptions) {
      const h = hex(cmd);
      sent.push(h);
      const next = answers[h]?.shift();
      return Promise.resolve(d(next ?? '6d00'));
    },
    disconnect: () => Promise.resolve(),
  };
}

test('61xx chains GET RESPONSE and concatenates', async () => {
  const card = scripted({ '00b0000000': ['aabb6102'], '00c0000002': ['ccdd9000'] });
  const s = new ApduSession(card, { clock: systemClock });
  const r = await s.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
  assert.is(hex(r.data), 'aabbccdd');
  assert.is(r.sw, 0x9000);
  assert.is(s.stats.commands, 2);
});

test('the parts of a chained answer are zeroed once joined', async () => {
  const handed: Uint8Array[] = [];
  const card = scripted({ '00b0000000': ['aabb6102'], '00c0000002': ['ccdd9000'] });
  const spy: CardSession = {
    ...card,
    async transmit(cmd, o) {
      const r = await card.transmit(cmd, o);
      handed.push(r);
      return r;
    },
  };
  const r = await new ApduSession(spy, { clock: systemClock }).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
  assert.is(hex(r.data), 'aabbccdd');
  assert.equal(handed.map(hex), ['00006102', '00009000']);
});

test('6Cxx resends with the right Le', async () => {
  const card = scripted({ '00b0000000': ['6c03'], '00b0000003': ['0102039000'] });
  const s = new ApduSession(card, { clock: systemClock });
  assert.is(hex(await s.expect({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 })), '010203');
});

test('endless 61xx stops at the cap', async () => {
  const card = scripted({ '00b0000000': ['6101'], '00c0000001': Array(50).fill('006101') });
  const s = new ApduSession(card, { clock: systemClock, maxChain: 5 });
  await s.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }).then(
    () => assert.unreachable(),
    (e: unknown) => assert.instance(e, ResponseChainError),
  );
  assert.is(card.sent.length, 6);
});

test('non-accepted SW → StatusWordError with the SW', async () => {
  const s = new ApduSession(scripted({}), { clock: systemClock });
  await s.expect({ cla: 0, ins: 0x99, p1: 0, p2: 0 }).then(
    () => assert.unreachable(),
    (e: unknown) => {
      assert.instance(e, StatusWordError);
      assert.is((e as StatusWordError).sw, 0x6d00);
    },
  );
});

test('a transport that never answers ends in TimeoutError (fake timers)', async () => {
  const clock = sinon.useFakeTimers();
  try {
    const card: CardSession = {
      atr: d('3b'),
      features: { extendedApdu: false, contactless: false },
      transmit: () => new Promise<Uint8Array>(() => {}),
      disconnect: () => Promise.resolve(),
    };
    const s = new ApduSession(card, { clock: systemClock, timeoutMs: 1000 });
    const p = s.send({ cla: 0, ins: 0x84, p1: 0, p2: 0, le: 8 });
    const check = p.then(
      () => assert.unreachable(),
      (e: unknown) => assert.instance(e, TimeoutError),
    );
    await clock.tickAsync(1300);
    await check;
  } finally {
    clock.restore();
  }
});

test('sensitive commands (PIN) are zeroed after sending', async () => {
  let seen: Uint8Array | undefined;
  const card: CardSession = {
    atr: d('3b'),
    features: { extendedApdu: false, contactless: false },
    transmit: (c) => {
      seen = c;
      return Promise.resolve(d('9000'));
    },
    disconnect: () => Promise.resolve(),
  };
  const s = new ApduSession(card, { clock: systemClock });
  await s.send({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: d('31323334') }, { sensitive: true });
  assert.equal([...(seen ?? [])], [0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('a sensitive command resent after 6Cxx (a hostile card) is zeroed too', async () => {
  const seen: Uint8Array[] = [];
  const answers = [d('6C10'), d('9000')];
  const card: CardSession = {
    atr: d('3b'),
    features: { extendedApdu: false, contactless: false },
    transmit: (c) => {
      seen.push(c);
      return Promise.resolve(answers.shift() ?? d('9000'));
    },
    disconnect: () => Promise.resolve(),
  };
  const s = new ApduSession(card, { clock: systemClock });
  await s.send({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: d('3535303231373230333532323835') }, { sensitive: true });
  assert.is(seen.length, 2);
  for (const bytes of seen)
    assert.ok(
      bytes.every((b) => b === 0),
      `sent bytes left in memory: ${Buffer.from(bytes).toString('hex')}`,
    );
});

test.run();
