import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemorySink, createLogger } from '../../../firmware/core/logger.ts';
import { Daemon } from '../../../firmware/daemon/daemon.ts';
import { systemdNotifier, type Notifier } from '../../../firmware/daemon/sd-notify.ts';
import type { Service } from '../../../firmware/ports/service.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';

function recorder(watchdogMs = 0): Notifier & { sent: Record<string, string>[] } {
  const sent: Record<string, string>[] = [];
  return {
    active: true,
    watchdogMs,
    sent,
    notify: (f) => {
      sent.push({ ...f });
      return Promise.resolve();
    },
  };
}

function service(name: string, order: string[], ok = true): Service {
  return {
    name,
    start: () => {
      order.push(`start ${name}`);
      return Promise.resolve();
    },
    stop: () => {
      order.push(`stop ${name}`);
      return Promise.resolve();
    },
    health: () => Promise.resolve([{ name, ok, detail: ok ? 'fine' : 'camera missing' }]),
  };
}

test('starts in order, READY after self-tests, stops in reverse on signal, then STOPPING', async () => {
  const order: string[] = [];
  const notifier = recorder();
  const log = createLogger({ sink: new MemorySink(), level: 'debug' });
  const d = new Daemon({ services: [service('a', order), service('b', order, false)], notifier, clock: systemClock, log });
  const ac = new AbortController();
  const running = d.run(ac.signal);
  await new Promise((r) => setImmediate(r));
  assert.equal(notifier.sent[0], { READY: '1', STATUS: 'degraded: b' });
  ac.abort();
  await running;
  assert.equal(order, ['start a', 'start b', 'stop b', 'stop a']);
  assert.equal(notifier.sent.at(-1), { STOPPING: '1' });
});

test('watchdog is pinged at half the requested interval (fake timers)', async () => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const notifier = recorder(2000);
    const d = new Daemon({ services: [], notifier, clock: systemClock, log: createLogger({ sink: new MemorySink(), level: 'error' }) });
    const ac = new AbortController();
    const running = d.run(ac.signal);
    await clock.tickAsync(3100);
    assert.is(notifier.sent.filter((s) => s['WATCHDOG'] === '1').length, 3);
    ac.abort();
    await running;
  } finally {
    clock.restore();
  }
});

test('a service that fails to start stops the ones already started', async () => {
  const order: string[] = [];
  const bad: Service = { name: 'bad', start: () => Promise.reject(new Error('boom')), stop: () => Promise.resolve() };
  const d = new Daemon({
    services: [service('a', order), bad],
    notifier: recorder(),
    clock: systemClock,
    log: createLogger({ sink: new MemorySink(), level: 'error' }),
  });
  try {
    await d.run(new AbortController().signal);
    assert.unreachable();
  } catch (err) {
    assert.is((err as Error).message, 'boom');
  }
  assert.equal(order, ['start a', 'stop a']);
});

test('sd_notify is silent without NOTIFY_SOCKET and passes fields to systemd-notify with it', async () => {
  const spawn = sinon.stub().resolves(0);
  const off = systemdNotifier({}, spawn, 42);
  await off.notify({ READY: '1' });
  assert.is(off.active, false);
  assert.is(spawn.callCount, 0);
  const on = systemdNotifier({ NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '10000000', WATCHDOG_PID: '42' }, spawn, 42);
  assert.is(on.watchdogMs, 10000);
  await on.notify({ READY: '1', STATUS: 'ready' });
  assert.equal(spawn.firstCall.args, ['systemd-notify', ['--pid=42', 'READY=1', 'STATUS=ready']]);
  assert.is(systemdNotifier({ NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '10', WATCHDOG_PID: '7' }, spawn, 42).watchdogMs, 0);
});

test.run();
