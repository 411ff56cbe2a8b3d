import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Delivery } from '../../../../firmware/facility/link/delivery.ts';
import { healthMessage } from '../../../../firmware/facility/link/status.ts';
import { decode, encode } from '../../../../firmware/facility/messages/codec.ts';
import { Outbox, type OutboxRecord } from '../../../../firmware/facility/outbox/outbox.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { quietLog, tmp } from './helpers.ts';

async function setup(n: number, o: { window?: number; fail?: boolean } = {}) {
  const dir = tmp('kao-dl-');
  const outbox = await Outbox.open({ dir });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = uuidv7();
    ids.push(id);
    await outbox.append(id, Buffer.from(`r${i}`));
  }
  const sent: string[] = [];
  const delivered: string[] = [];
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const d = new Delivery({
    outbox,
    clock: systemClock,
    log: quietLog().log,
    window: o.window ?? 4,
    ackTimeoutMs: 1000,
    backoffMinMs: 200,
    backoffMaxMs: 1600,
    publish: (r: OutboxRecord) => {
      sent.push(r.id);
      return o.fail ? Promise.reject(new Error('socket gone')) : Promise.resolve();
    },
    onDelivered: (id) => delivered.push(id),
  });
  return { dir, outbox, ids, sent, delivered, clock, d };
}

test('bounded window, outbox order, next record only after an ack, removed only on the facility ack', async () => {
  const { outbox, ids, sent, delivered, clock, d } = await setup(10);
  try {
    d.pump();
    assert.equal(sent, [], 'nothing goes out while offline');
    d.setOnline(true);
    assert.equal(sent, ids.slice(0, 4));
    assert.is(d.inFlight, 4);
    await d.onAck(ids[1] ?? '', true);
    assert.equal(sent, [...ids.slice(0, 4), ids[4]]);
    assert.equal(delivered, [ids[1]]);
    assert.is(outbox.depth, 9);
    assert.not.ok(outbox.has(ids[1] ?? ''));
    await d.onAck(ids[1] ?? '', true);
    assert.is(d.stats.duplicateAcks, 1);
    await d.onAck(ids[0] ?? '', false, { code: 'DISK', message: 'facility disk full' });
    assert.ok(outbox.has(ids[0] ?? ''), 'a refused result stays');
  } finally {
    clock.restore();
    await outbox.close();
  }
});

test('no ack: resent with capped exponential backoff; reconnect resends every unacked from the oldest', async () => {
  const { outbox, ids, sent, clock, d } = await setup(2, { window: 1 });
  try {
    d.setOnline(true);
    assert.is(sent.length, 1);
    const times: number[] = [];
    for (let k = 0; k < 6; k++) {
      const before = sent.length;
      const start = Date.now();
      for (let t = 0; t < 400 && sent.length === before; t++) await clock.tickAsync(10);
      times.push(Date.now() - start);
    }
    // ack timeout (1000) + backoff: 200, 400, 800, 1600, 1600 (jitter 50–100 %)
    const waits = times.map((t) => t - 1000);
    const bounds = [200, 400, 800, 1600, 1600, 1600];
    waits.forEach((w, k) => {
      const b = bounds[k] ?? 0;
      assert.ok(w >= b / 2 - 20 && w <= b + 20, `retry ${k}: waited ${w} ms, expected ${b / 2}–${b}`);
    });
    assert.is(d.stats.republished, 6);
    assert.equal(sent.slice(0, 7), Array(7).fill(ids[0]), 'the oldest is retried, the window holds the rest back');
    d.setOnline(false);
    assert.is(d.inFlight, 0);
    sent.length = 0;
    d.setOnline(true);
    assert.equal(sent, ids.slice(0, 1), 'resent from the oldest after reconnect');
  } finally {
    clock.restore();
    await outbox.close();
  }
});

test('a refusal no resend can change (MESSAGE_INVALID) is not resent, after a restart either: the record stays as a dead letter, counted in health', async () => {
  const { dir, outbox, ids, sent, clock, d } = await setup(3, { window: 1 });
  try {
    d.setOnline(true);
    assert.equal(sent, [ids[0]]);
    const before = healthMessage('reader-01', outbox, d.inFlight, Date.now());
    assert.ok(!('deadLetters' in before), 'a reader with no dead letter sends no field an older facility would refuse');
    await d.onAck(ids[0] ?? '', false, { code: 'MESSAGE_INVALID', message: 'bad schema' });
    assert.equal(sent, [ids[0], ids[1]], 'the next record goes out');
    await d.onAck(ids[1] ?? '', false, { code: 'REVOCATION_UNKNOWN', message: 'no CRL' });
    await clock.tickAsync(60_000);
    assert.is(sent.filter((id) => id === ids[0]).length, 1, 'the dead letter is never resent');
    assert.ok(sent.filter((id) => id === ids[1]).length >= 3, 'a refusal that may change is resent');
    assert.ok(outbox.has(ids[0] ?? ''), 'kept, not deleted');
    assert.is(outbox.deadLetters, 1);
    assert.is(d.stats.deadLettered, 1);
    const health = healthMessage('reader-01', outbox, d.inFlight, Date.now());
    assert.is(health.deadLetters, 1);
    assert.is(health.outboxDepth, 3);
    decode('kaoreader.health', encode('kaoreader.health', health));
    await outbox.close();
    const again = await Outbox.open({ dir });
    assert.is(again.deadLetters, 1, 'the mark was on disk');
    assert.not.ok(
      again.pending().some((r) => r.id === ids[0]),
      'after a restart the dead letter is not offered again',
    );
    await again.close();
  } finally {
    clock.restore();
    await outbox.close();
  }
});

test('publish failure is retried, never dropped', async () => {
  const { outbox, sent, clock, d } = await setup(1, { fail: true });
  try {
    d.setOnline(true);
    await clock.tickAsync(5000);
    assert.ok(sent.length >= 3, `sent ${sent.length}`);
    assert.is(outbox.depth, 1);
  } finally {
    clock.restore();
    await outbox.close();
  }
});

test.run();
