/**
 * The facility's broker connection answers the QoS 1 results of one read with one write: real
 * mosquitto, a separate publisher process (mosquitto_pub), and the kernel's own count of this
 * process's write system calls (/proc/self/io `syscw`), not a spy on the socket. The results
 * are queued in our socket while this process is blocked, so they arrive in one read; without
 * the coalescing mqtt.js writes one PUBACK each.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { readerTopics } from '../../../firmware/facility/messages/topics.ts';
import { startMosquitto } from '../../../hardware-sim/facility/mosquitto.ts';
import { MqttConsumer } from '../../../facility/service/mqtt-consumer.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';
import { silent } from '../helpers.ts';

const writeSyscalls = (): number => Number(/^syscw: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('the PUBACKs of results that arrived in one read leave in a few writes, not one each', async () => {
  const dir = tmp('kao-coalesce-');
  const broker = await startMosquitto({ dir: join(dir, 'broker') });
  const N = 90; // below the broker's max_inflight_messages (100): all of them are sent to us at once
  let seen = 0;
  const consumer = await MqttConsumer.connect({
    facilityId: 'clinic-a',
    broker: { url: broker.url, clientId: 'facility-coalesce-test' },
    clock: systemClock,
    log: silent,
    handlers: {
      result: () => undefined,
      request: () => Promise.reject(new Error('no requests here')),
      status: () => undefined,
      health: () => undefined,
      reply: () => undefined,
      invalid: () => {
        seen += 1; // not JSON and no id: counted, nothing answered but the PUBACK
      },
    },
  });
  try {
    const url = new URL(broker.url);
    // Blocks this process until the publisher had all its PUBACKs: the broker has meanwhile sent us everything.
    const pub = spawnSync(
      'mosquitto_pub',
      ['-h', url.hostname, '-p', url.port, '-V', '5', '-q', '1', '-i', 'reader-01', '-t', readerTopics('reader-01').results, '-l'],
      { input: `${Array.from({ length: N }, (_, i) => `not-a-result-${i}`).join('\n')}\n`, timeout: 10_000 },
    );
    assert.is(pub.status, 0, pub.stderr.toString());
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // the last ones reach our socket
    const before = writeSyscalls(); // after spawnSync, whose own writes to the child are many
    for (let i = 0; i < 500 && seen < N; i++) await new Promise((r) => setTimeout(r, 10));
    assert.is(seen, N);
    await turn();
    await turn();
    const writes = writeSyscalls() - before;
    assert.ok(writes < N / 4, `${writes} write system calls for ${N} results`);
  } finally {
    await consumer.close({ endSession: true });
    await broker.stop();
  }
});

test.run();
