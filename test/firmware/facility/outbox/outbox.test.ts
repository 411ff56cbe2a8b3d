import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemorySink, createLogger } from '../../../../firmware/core/logger.ts';
import { Outbox, OutboxClosedError, OutboxJournal } from '../../../../firmware/facility/outbox/outbox.ts';
import { uuidv7 } from '../../../../firmware/core/uuidv7.ts';
import { OutboxFullError } from '../../../../firmware/ports/facility-link.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kao-outbox-'));
const segs = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort();

test('append is durable, ack removes, order kept across reopen', async () => {
  const dir = tmp();
  const box = await Outbox.open({ dir });
  const ids = Array.from({ length: 50 }, () => uuidv7());
  await Promise.all(ids.map((id, i) => box.append(id, Buffer.from(`r${i}`))));
  assert.is(box.depth, 50);
  for (const id of ids.slice(0, 10)) assert.ok(await box.ack(id));
  assert.not.ok(await box.ack(ids[0] ?? ''), 'second ack is a no-op');
  await box.close();
  const again = await Outbox.open({ dir });
  assert.equal(
    again.pending().map((r) => r.id),
    ids.slice(10),
  );
  assert.is(again.pending()[0]?.payload.toString(), 'r10');
  assert.equal(again.recovery, []);
  await again.close();
});

test("a record's payload is exactly the appended bytes, in a plain and a named outbox, whatever the caller does with its buffer after", async () => {
  const journal = await OutboxJournal.open({ dir: tmp() });
  for (const box of [await Outbox.open({ dir: tmp() }), Outbox.in(journal, 'reader-0001')]) {
    const id = uuidv7();
    const mine = Buffer.from('{"schema":"kaoreader.result/1","x":1}');
    const whole = Buffer.concat([Buffer.from('before|'), mine, Buffer.from('|after')]);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 7, mine.length);
    const record = await box.append(id, view);
    view.fill(0x2a);
    assert.is(record.payload.toString(), mine.toString());
    assert.is(box.get(id)?.payload.toString(), mine.toString());
    assert.is(box.pending()[0]?.payload.toString(), mine.toString());
    await box.close();
  }
  await journal.close();
});

test('group commit: 500 concurrent appends share a few fsyncs; acks ride along without their own', async () => {
  const box = await Outbox.open({ dir: tmp() });
  const ids = Array.from({ length: 500 }, () => uuidv7());
  await Promise.all(ids.map((id) => box.append(id, Buffer.alloc(300))));
  assert.ok(box.stats.fsyncs <= 10, `${box.stats.fsyncs} fsyncs for 500 records`);
  const before = box.stats.fsyncs;
  await Promise.all(ids.map((id) => box.ack(id)));
  assert.is(box.stats.fsyncs, before, "ack-only batches are not fsync'd on their own");
  assert.is(box.depth, 0);
  await box.close();
});

test('adaptive group commit: a stream of appends is gathered into few writes, a lone append is not delayed into one', async () => {
  const box = await Outbox.open({ dir: tmp(), commitDelayMs: 40, streamGapMs: 1000 });
  await box.append(uuidv7(), Buffer.from('first')); // nothing streaming yet: written at once
  assert.is(box.stats.fsyncs, 1);
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < 20; i++) {
    pending.push(box.append(uuidv7(), Buffer.from(`r${i}`)));
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  assert.ok(box.stats.fsyncs - 1 <= 8, `${box.stats.fsyncs - 1} sync writes for 20 records arriving 2 ms apart`);
  assert.is(box.depth, 21);
  await box.close();
  const off = await Outbox.open({ dir: tmp(), commitDelayMs: 0 });
  for (let i = 0; i < 5; i++) await off.append(uuidv7(), Buffer.from(`s${i}`));
  assert.is(off.stats.fsyncs, 5, 'one sync write per awaited append without a commit delay');
  await off.close();
  // A long commit delay never holds a record that is not part of a stream.
  const lone = await Outbox.open({ dir: tmp(), commitDelayMs: 3000, streamGapMs: 20 });
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    await lone.append(uuidv7(), Buffer.from(`s${i}`));
    assert.ok(performance.now() - t0 < 1500, `lone record ${i} was held ${Math.round(performance.now() - t0)} ms`);
    await new Promise((r) => setTimeout(r, 60)); // the stream gap passes
  }
  assert.is(lone.stats.fsyncs, 2);
  await lone.close();
});

test('shared journal: named outboxes keep their own records and order, share group commits, survive reopen', async () => {
  const dir = tmp();
  const journal = await OutboxJournal.open({ dir });
  const names = Array.from({ length: 20 }, (_, i) => `reader-${i}`);
  const boxes = names.map((n) => Outbox.in(journal, n));
  const ids = names.map(() => Array.from({ length: 10 }, () => uuidv7()));
  await Promise.all(boxes.flatMap((b, i) => (ids[i] ?? []).map((id, k) => b.append(id, Buffer.from(`${names[i]}:${k}`)))));
  assert.ok(journal.stats.fsyncs <= 10, `${journal.stats.fsyncs} fsyncs for 200 records of 20 outboxes`);
  for (const [i, b] of boxes.entries()) {
    assert.is(b.depth, 10);
    assert.equal(new Set(b.pending().map((r) => r.id)), new Set(ids[i]), 'only its own records');
    assert.not.ok(b.has(ids[(i + 1) % 20]?.[0] ?? ''));
  }
  assert.not.ok(await boxes[0]?.ack(ids[1]?.[0] ?? ''), "an outbox cannot ack another one's record");
  const acked = await Promise.all(boxes.flatMap((b, i) => (ids[i] ?? []).slice(0, 4).map((id) => b.ack(id))));
  assert.ok(acked.every(Boolean));
  await boxes[3]?.close();
  const refused = await boxes[3]?.append(uuidv7(), Buffer.from('x')).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(refused, OutboxClosedError, 'a closed view refuses appends');
  assert.is(boxes[4]?.depth, 6, 'closing one view leaves the others working');
  await journal.close();
  const again = await OutboxJournal.open({ dir });
  for (const [i, n] of names.entries()) {
    const b = Outbox.in(again, n);
    const kept = (ids[i] ?? []).slice(4);
    assert.equal(
      b
        .pending()
        .map((r) => r.id)
        .sort(),
      [...kept].sort(),
      n,
    );
    assert.is(
      b
        .pending()
        .find((r) => r.id === kept[0])
        ?.payload.toString(),
      `${n}:4`,
    );
  }
  assert.equal(again.recovery, []);
  assert.throws(() => Outbox.in(again, ''), RangeError);
  assert.throws(() => Outbox.in(again, 'x'.repeat(256)), RangeError);
  await again.close();
});

test('a dead letter stays out of pending across reopen and compaction; an ack still removes it', async () => {
  const dir = tmp();
  const box = await Outbox.open({ dir, maxBytes: 64 * 1024, segmentBytes: 4096, ackLingerMs: 20 });
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const id = uuidv7();
    ids.push(id);
    await box.append(id, Buffer.alloc(300, i));
  }
  const dead = [ids[0], ids[50]] as string[];
  const live = [ids[1], ids[60]] as string[];
  for (const id of dead) assert.ok(await box.deadLetter(id));
  assert.ok(await box.deadLetter(dead[0] ?? ''), 'marking twice is harmless');
  assert.not.ok(await box.deadLetter(uuidv7()), 'an unknown id is not marked');
  const keep = new Set([...dead, ...live]);
  for (const id of ids) if (!keep.has(id)) await box.ack(id);
  const first = segs(dir)[0];
  for (let i = 0; i < 100; i++) {
    const id = uuidv7();
    await box.append(id, Buffer.alloc(300, i));
    await box.ack(id);
  }
  assert.is.not(segs(dir)[0], first, 'the segments holding the records and their marks were compacted away');
  assert.equal(
    box.pending().map((r) => r.id),
    live,
  );
  await box.close();
  const again = await Outbox.open({ dir });
  assert.equal(
    again.pending().map((r) => r.id),
    live,
    'the marks came back from disk',
  );
  assert.is(again.deadLetters, 2);
  assert.is(again.depth, 4);
  assert.equal(again.get(dead[1] ?? '')?.payload, Buffer.alloc(300, 50), 'the record itself is kept whole');
  assert.ok(await again.ack(dead[0] ?? ''));
  await again.close();
  const third = await Outbox.open({ dir });
  assert.is(third.deadLetters, 1);
  assert.is(third.depth, 3);
  await third.close();
});

test('torn tail record (power cut mid-write) is detected, truncated, and the log stays usable', async () => {
  const dir = tmp();
  const box = await Outbox.open({ dir });
  const ids = [uuidv7(), uuidv7(), uuidv7()];
  for (const id of ids) await box.append(id, Buffer.alloc(100, 7));
  await box.close();
  const file = join(dir, segs(dir)[0] ?? '');
  const full = statSync(file).size;
  truncateSync(file, full - 30); // the last record lost its end
  const sink = new MemorySink();
  const again = await Outbox.open({ dir, log: createLogger({ sink, level: 'info' }) });
  assert.equal(
    again.pending().map((r) => r.id),
    ids.slice(0, 2),
  );
  assert.is(again.recovery[0]?.reason, 'short-body');
  assert.ok(sink.records().some((r) => r['msg'] === 'outbox: torn tail record truncated'));
  const next = uuidv7();
  await again.append(next, Buffer.from('after'));
  await again.close();
  const third = await Outbox.open({ dir });
  assert.equal(
    third.pending().map((r) => r.id),
    [...ids.slice(0, 2), next],
  );
  assert.equal(third.recovery, []);
  await third.close();
});

test('garbage and zero-filled tails, and a flipped bit, are cut at the last good record', async () => {
  for (const damage of ['zeros', 'garbage', 'bitflip'] as const) {
    const dir = tmp();
    const box = await Outbox.open({ dir });
    const ids = [uuidv7(), uuidv7()];
    for (const id of ids) await box.append(id, Buffer.alloc(64, 1));
    await box.close();
    const file = join(dir, segs(dir)[0] ?? '');
    if (damage === 'zeros') appendFileSync(file, Buffer.alloc(4096));
    if (damage === 'garbage') appendFileSync(file, Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 9, 9]));
    if (damage === 'bitflip') {
      const b = readFileSync(file);
      b.writeUInt8(b.readUInt8(b.length - 5) ^ 0x10, b.length - 5);
      writeFileSync(file, b);
    }
    const again = await Outbox.open({ dir });
    assert.equal(
      again.pending().map((r) => r.id),
      damage === 'bitflip' ? ids.slice(0, 1) : ids,
      damage,
    );
    assert.is(again.recovery.length, 1, damage);
    await again.close();
  }
});

test('size limit: OutboxFullError(limit), nothing stored is harmed, acks make room again', async () => {
  const dir = tmp();
  const box = await Outbox.open({ dir, maxBytes: 16 * 1024, segmentBytes: 4096, ackLingerMs: 20 }); // acks awaited one by one
  const stored: string[] = [];
  let full: unknown;
  for (let i = 0; i < 200 && !full; i++) {
    const id = uuidv7();
    try {
      await box.append(id, Buffer.alloc(500, i));
      stored.push(id);
    } catch (err) {
      full = err;
    }
  }
  assert.instance(full, OutboxFullError);
  assert.is((full as OutboxFullError).reason, 'limit');
  assert.is(box.status, 'full');
  assert.ok(box.bytes <= 16 * 1024);
  for (const id of stored.slice(0, -1)) await box.ack(id);
  assert.is(box.status, 'ok');
  assert.ok(box.segmentCount <= 2, `compacted to ${box.segmentCount} segments`);
  await box.append(uuidv7(), Buffer.alloc(500));
  await box.close();
  const again = await Outbox.open({ dir });
  assert.is(again.depth, 2);
  assert.is(again.pending()[0]?.id, stored[stored.length - 1]);
  await again.close();
});

test('compaction copies the live few of a pinned old segment forward, order kept', async () => {
  const dir = tmp();
  const box = await Outbox.open({ dir, maxBytes: 64 * 1024, segmentBytes: 4096, ackLingerMs: 20 }); // acks awaited one by one
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const id = uuidv7();
    ids.push(id);
    await box.append(id, Buffer.alloc(300, i));
  }
  const keep = new Set([ids[0], ids[1], ids[50]]);
  for (const id of ids) if (!keep.has(id)) await box.ack(id);
  for (let i = 0; i < 100; i++) {
    const id = uuidv7();
    await box.append(id, Buffer.alloc(300, i));
    await box.ack(id);
  }
  assert.ok(box.segmentCount < 10, `segments ${box.segmentCount}`);
  await box.close();
  const again = await Outbox.open({ dir });
  assert.equal(
    again.pending().map((r) => r.id),
    [...keep],
  );
  await again.close();
});

test('full disk (real tmpfs): OutboxFullError(disk-full), no partial record, recovers when space returns', async () => {
  const dir = tmp();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', dir]);
  try {
    const box = await Outbox.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    const stored: string[] = [];
    let err: unknown;
    for (let i = 0; i < 500 && !err; i++) {
      const id = uuidv7();
      try {
        await box.append(id, Buffer.alloc(1000, i));
        stored.push(id);
      } catch (e) {
        err = e;
      }
    }
    assert.instance(err, OutboxFullError);
    assert.is((err as OutboxFullError).reason, 'disk-full');
    assert.is(box.status, 'disk-full');
    await box.close();
    const again = await Outbox.open({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    assert.equal(
      again.pending().map((r) => r.id),
      stored,
    );
    assert.equal(again.recovery, [], 'the failed write was cut back, nothing torn on disk');
    await again.close();
  } finally {
    execFileSync('umount', [dir]);
  }
});

test('kill -9 while appending: every append that resolved survives, the log reopens clean', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./append-child.ts', import.meta.url).pathname, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (out.split('\n').length > 600) {
        clearInterval(t);
        resolve();
      }
    }, 20);
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const durable = out.split('\n').filter((l) => /^[0-9a-f-]{36}$/.test(l));
  const ackStarted = new Set(
    out
      .split('\n')
      .filter((l) => l.startsWith('ack '))
      .map((l) => l.slice(4)),
  );
  const box = await Outbox.open({ dir });
  const present = new Set(box.pending().map((r) => r.id));
  const lost = durable.filter((id) => !present.has(id) && !ackStarted.has(id));
  assert.ok(durable.length > 500);
  assert.equal(lost, [], 'a durable record vanished without an ack');
  await box.close();
});

test('concurrent acks compact one pass at a time (two passes at once dropped the active segment)', async () => {
  const dir = tmp();
  const box = await Outbox.open({ dir, segmentBytes: 4096, maxBytes: 48 * 1024, ackLingerMs: 1 });
  for (let round = 0; round < 120; round++) {
    await Promise.all([0, 1, 2].map((k) => box.append(uuidv7(), Buffer.from(`r${round}.${k} ${'x'.repeat(200)}`))));
    await Promise.all(
      box
        .pending()
        .slice(0, -1)
        .map((r) => box.ack(r.id)),
    );
  }
  const last = uuidv7();
  await box.append(last, Buffer.from('last'));
  const live = box.pending().map((r) => r.id);
  await box.close();
  const again = await Outbox.open({ dir });
  assert.equal(
    again.pending().map((r) => r.id),
    live,
  );
  await again.close();
});

test.run();
