/**
 * Power loss, for real bytes: the outbox runs in a crashfs directory (FUSE, every write and sync
 * recorded), appending in concurrent bursts (group commit), acknowledging older records (lazy ack
 * writes), rolling segments over and compacting them, reopened once midway. Then every state a
 * power cut after any of its operations could leave (strict POSIX: unsynced writes dropped, a
 * synchronous write torn, dirty pages written back at random) is recovered with `Outbox.open`:
 * - every record whose append had resolved before the cut, and whose ack had not begun, is there;
 * - every record recovered is one that was appended, byte for byte (none torn, none invented);
 * - the recovered outbox takes a new record that survives a reopen (a torn tail was cut off,
 *   not left for the next record to be glued to).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { Outbox } from '../../../../firmware/facility/outbox/outbox.ts';
import { newResultId } from '../../../../firmware/core/uuidv7.ts';
import { CrashFs } from '../../../../hardware-sim/power-cut/crash-fs.ts';
import { checkEveryCut } from '../../../../hardware-sim/power-cut/every-cut.ts';
import type { FsOp } from '../../../../hardware-sim/power-cut/op-log.ts';
import { tmp } from '../link/helpers.ts';

interface Appended {
  readonly payload: Buffer;
  readonly confirmedAt: number;
  ackFrom?: number;
}

const OPTIONS = { segmentBytes: 4096, maxBytes: 48 * 1024, ackLingerMs: 3, commitDelayMs: 1 } as const;
const payloadOf = (id: string, n: number): Buffer => Buffer.from(JSON.stringify({ id, n, body: 'x'.repeat(40 + ((n * 37) % 300)) }));

/** A seeded generator so the workload is the same run after run. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 4294967296;
}

async function record(rounds: number): Promise<{ ops: FsOp[]; appended: Map<string, Appended> }> {
  const fs = await CrashFs.mount(tmp('kao-crashfs-'));
  const appended = new Map<string, Appended>();
  const rnd = random(7);
  try {
    const dir = join(fs.dir, 'outbox');
    let outbox = await Outbox.open({ dir, ...OPTIONS });
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      if (round === Math.floor(rounds / 2)) {
        await outbox.close();
        outbox = await Outbox.open({ dir, ...OPTIONS });
      }
      const burst = 1 + Math.floor(rnd() * 5);
      await Promise.all(
        Array.from({ length: burst }, async () => {
          const id = newResultId();
          const payload = payloadOf(id, n++);
          await outbox.append(id, payload);
          appended.set(id, { payload, confirmedAt: fs.seq() });
        }),
      );
      // The facility confirms most of what is pending, oldest first, now and then out of order.
      const pending = outbox.pending();
      const acks = pending.filter((_r, i) => i < pending.length - 2 && rnd() < 0.7);
      await Promise.all(
        acks.map(async (r) => {
          const a = appended.get(r.id);
          if (a) a.ackFrom = fs.seq();
          await outbox.ack(r.id);
        }),
      );
    }
    await outbox.close();
  } finally {
    await fs.close();
  }
  return { ops: fs.ops(), appended };
}

test('outbox: every power cut over a recorded run (≥ 1,000 cut points) loses no confirmed record and accepts no torn one', async () => {
  const { ops, appended } = await record(260);
  const report = await checkEveryCut(ops, {
    async recover(dir) {
      const obDir = join(dir, 'outbox');
      const outbox = await Outbox.open({ dir: obDir, ...OPTIONS });
      const got = new Map(outbox.pending().map((r) => [r.id, r.payload]));
      const probe = newResultId();
      await outbox.append(probe, Buffer.from('probe'));
      await outbox.close();
      const again = await Outbox.open({ dir: obDir, ...OPTIONS });
      const reopen: string[] = [];
      if (!again.get(probe)?.payload.equals(Buffer.from('probe'))) reopen.push('a record appended after recovery was lost on reopen');
      for (const id of got.keys()) if (!again.has(id)) reopen.push(`record ${id} vanished on the second reopen`);
      await again.close();
      return { got, reopen };
    },
    judge({ got, reopen }, state) {
      const problems = [...reopen];
      for (const [id, payload] of got) {
        const a = appended.get(id);
        if (!a) problems.push(`record ${id} was never appended`);
        else if (!a.payload.equals(payload)) problems.push(`record ${id} differs from what was appended (torn)`);
      }
      // Operations whose effects a state may hold: up to the cut, and in a torn state part of the next.
      const horizon = state.variant === 'torn' ? state.cut + 1 : state.cut;
      for (const [id, a] of appended) {
        const ackBegun = a.ackFrom !== undefined && a.ackFrom < horizon;
        if (a.confirmedAt <= state.cut && !ackBegun && !got.has(id))
          problems.push(`confirmed record ${id} (confirmed at op ${a.confirmedAt}) lost`);
      }
      return problems;
    },
  });
  process.stdout.write(
    `${JSON.stringify({ records: appended.size, acked: [...appended.values()].filter((a) => a.ackFrom !== undefined).length, ...report })}\n`,
  );
  assert.ok(report.cutPoints >= 1000, `${report.cutPoints} cut points`);
  assert.ok(
    ops.some((o) => o.op === 'unlink'),
    'compaction deleted a segment during the run',
  );
  assert.ok(
    ops.some((o) => o.op === 'write' && !o.sync),
    'lazy ack writes were made',
  );
  assert.ok(report.checkedByVariant.torn > 100, 'torn writes were checked');
  assert.equal(report.problems, [], `${report.problemCount} problems`);
});

test.run();
