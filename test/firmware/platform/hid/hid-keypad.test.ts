/** HID keypad: boot reports → key presses with the fixed layout, no repeats while held, rollover ignored. */
import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { BootReportDecoder, HidKeypad, keyForUsage } from '../../../../firmware/platform/hid/hid-keypad.ts';
import type { HidDevice } from '../../../../firmware/platform/hid/node-hid-loader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import type { Key } from '../../../../firmware/ports/keypad.ts';

const report = (...usages: number[]): Buffer => Buffer.from([0, 0, ...usages, ...new Array(6 - usages.length).fill(0)]);

test('fixed layout: keypad and top-row digits, enter, clear, cancel', () => {
  assert.equal(keyForUsage(0x59), { kind: 'digit', digit: 1 });
  assert.equal(keyForUsage(0x61), { kind: 'digit', digit: 9 });
  assert.equal(keyForUsage(0x62), { kind: 'digit', digit: 0 });
  assert.equal(keyForUsage(0x1e), { kind: 'digit', digit: 1 });
  assert.equal(keyForUsage(0x27), { kind: 'digit', digit: 0 });
  assert.equal(keyForUsage(0x58), { kind: 'enter' });
  assert.equal(keyForUsage(0x2a), { kind: 'clear' });
  assert.equal(keyForUsage(0x29), { kind: 'cancel' });
  assert.is(keyForUsage(0x04), undefined, '"a" is not on the keypad');
});

test('a held key is one press; a second key while holding adds one; rollover reports are ignored', () => {
  const d = new BootReportDecoder();
  const keys: Key[] = [];
  for (const r of [
    report(0x5a),
    report(0x5a),
    report(0x5a, 0x5b),
    report(0x5b),
    report(),
    report(1, 1, 1, 1, 1, 1),
    report(0x5a),
    Buffer.from([1, ...report(0x62)]),
  ])
    keys.push(...d.push(r));
  assert.equal(keys, [
    { kind: 'digit', digit: 2 },
    { kind: 'digit', digit: 3 },
    { kind: 'digit', digit: 2 },
    { kind: 'digit', digit: 0 },
  ]);
});

test('HidKeypad turns device reports into KeyPress events and closes the device once', async () => {
  const dev = new EventEmitter() as EventEmitter & HidDevice;
  let closed = 0;
  dev.close = () => {
    closed++;
  };
  const kp = new HidKeypad(dev, { clock: systemClock, log: createLogger({ sink: new MemorySink(), level: 'error' }) });
  const ac = new AbortController();
  const got: Key[] = [];
  const reader = (async () => {
    for await (const p of kp.keys(ac.signal)) {
      got.push(p.key);
      if (got.length === 3) break;
    }
  })();
  await new Promise((r) => setImmediate(r));
  for (const r of [report(0x5e), report(), report(0x2a), report(), report(0x58), report()]) dev.emit('data', r);
  await reader;
  assert.equal(got, [{ kind: 'digit', digit: 6 }, { kind: 'clear' }, { kind: 'enter' }]);
  await kp.close();
  await kp.close();
  assert.is(closed, 1);
});

test('unplugged: no events until reopen finds the keypad again, then presses resume', async () => {
  const make = (): EventEmitter & HidDevice => Object.assign(new EventEmitter(), { close: () => undefined }) as EventEmitter & HidDevice;
  const first = make();
  const second = make();
  let attempts = 0;
  const kp = new HidKeypad(first, {
    clock: systemClock,
    log: createLogger({ sink: new MemorySink(), level: 'error' }),
    retryMs: 5,
    reopen: () => (++attempts < 3 ? undefined : second),
  });
  const got: Key[] = [];
  const reader = (async () => {
    for await (const p of kp.keys()) {
      got.push(p.key);
      if (got.length === 2) break;
    }
  })();
  await new Promise((r) => setImmediate(r));
  first.emit('data', report(0x59));
  first.emit('error', new Error('unplugged'));
  assert.not.ok(kp.connected);
  first.emit('data', report(0x5a)); // a stale report from the dead handle is ignored
  for (let i = 0; i < 400 && !kp.connected; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(kp.connected);
  assert.is(attempts, 3);
  second.emit('data', report(0x62));
  await reader;
  assert.equal(got, [
    { kind: 'digit', digit: 1 },
    { kind: 'digit', digit: 0 },
  ]);
  await kp.close();
});

test.run();
