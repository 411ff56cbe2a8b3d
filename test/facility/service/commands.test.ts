/**
 * A command whose publish fails: the sender rejects with COMMAND_NOT_SENT, forgets the command,
 * and its reply timer never fires later as an unhandled rejection (which ends the service).
 * Real SQLite command log, manual clock.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { silentLogger } from '../../../firmware/core/logger.ts';
import { generateCommandKey } from '../../../firmware/facility/commands/command-key.ts';
import { CommandNotSentError, CommandSender } from '../../../facility/service/commands.ts';
import { CommitQueue } from '../../../facility/service/commit-queue.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';

test('a failed publish rejects typed; the reply timer is cancelled, no unhandled rejection', async () => {
  const store = await SqliteStore.open(':memory:');
  const queue = new CommitQueue({ store, log: silentLogger });
  const clock = new ManualClock();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const sender = new CommandSender({
      facilityId: 'clinic-a',
      key: generateCommandKey().privateKey,
      protocolVersion: 5,
      clock,
      queue,
      publish: () => Promise.reject(new Error('client disconnecting')),
    });
    const err = await sender.send('reader-01', { command: 'restart', args: {} }, 1000).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(err, CommandNotSentError);
    assert.is((err as CommandNotSentError).code, 'COMMAND_NOT_SENT');
    clock.advance(5000); // past the reply timeout
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await queue.close();
    await store.close();
  }
});

test.run();
