/**
 * The facility's broker connection is gone (its client ended) when a command is sent: the
 * service answers COMMAND_NOT_SENT, and the reply timer it had armed never fires later as an
 * unhandled rejection (which would end the process). Real parts: mosquitto, the service's own
 * MQTT client, an SQLite command log.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMosquitto } from '../../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator } from '../../../hardware-sim/facility/simulator.ts';
import { TEST_COMMAND_KEY, tmp } from '../../firmware/facility/link/helpers.ts';
import { silent } from '../helpers.ts';

test('a command whose publish fails: COMMAND_NOT_SENT, no unhandled rejection after its timeout', async () => {
  const dir = tmp('kao-cmd-gone-');
  const broker = await startMosquitto({ dir: join(dir, 'broker') });
  const sim = await startFacilitySimulator({
    brokerUrl: broker.url,
    facilityId: 'clinic-a',
    log: silent,
    dataDir: join(dir, 'fac'),
    commandKey: TEST_COMMAND_KEY.privateKey,
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    await sim.mqtt.endAsync(true); // the connection is gone for good
    const err = await sim.command('reader-01', { command: 'check-update', args: {} }, 300).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.is((err as { code?: string } | undefined)?.code, 'COMMAND_NOT_SENT', String(err));
    await new Promise((r) => setTimeout(r, 600)); // past the reply timeout
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await sim.close().catch(() => undefined);
    await broker.stop();
  }
});

test.run();
