/** Child process for the kill -9 test: appends records forever, printing each id once durable. */
import { Outbox } from '../../../../firmware/facility/outbox/outbox.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';

const box = await Outbox.open({ dir: process.argv[2] ?? '', maxBytes: 8 * 1024 * 1024, segmentBytes: 64 * 1024, ackLingerMs: 20 });
for (let i = 0; i < 1_000_000; i++) {
  const ids = Array.from({ length: 8 }, () => uuidv7());
  await Promise.all(
    ids.map(async (id) => {
      await box.append(id, Buffer.alloc(200 + (i % 50), i & 0xff));
      process.stdout.write(`${id}\n`);
    }),
  );
  if (i % 3 === 0) {
    process.stdout.write(`ack ${ids[0] ?? ''}\n`); // printed before the ack starts: it may or may not land
    await box.ack(ids[0] ?? '');
  }
}
