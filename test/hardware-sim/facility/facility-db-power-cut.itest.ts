/**
 * Power loss at the facility's store: FacilityDb runs in a crashfs directory (FUSE, every write
 * and sync recorded), storing results in concurrent bursts (group commit), reopened once midway.
 * Every state a power cut after any of its operations could leave is recovered with
 * `FacilityDb.open`: every result whose store had resolved (what the facility acknowledges) is
 * there, every result there is one that was stored, field for field, and the recovered store
 * takes a new result that survives a reopen.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newResultId } from '../../../firmware/core/uuidv7.ts';
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import { FacilityDb } from '../../../hardware-sim/facility/facility-db.ts';
import { CrashFs } from '../../../hardware-sim/power-cut/crash-fs.ts';
import { checkEveryCut } from '../../../hardware-sim/power-cut/every-cut.ts';
import type { FsOp } from '../../../hardware-sim/power-cut/op-log.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

const result = (n: number): VisitResult => {
  const at = new Date(Date.UTC(2026, 11, 1, 9, 0, n % 60)).toISOString();
  return {
    schema: 'kaoreader.result/1', id: newResultId(), readerId: `reader-${n % 3}`, visitId: `visit-${n}`, startedAt: at, finishedAt: at,
    method: n % 2 ? 'face' : 'pin', outcome: 'accepted', segment: 1, certificateSerial: (n + 1).toString(16), processingMs: 900 + (n % 50),
  };
};

async function record(rounds: number): Promise<{ ops: FsOp[]; stored: Map<string, { result: VisitResult; at: number }> }> {
  const fs = await CrashFs.mount(tmp('kao-crashfs-'));
  const stored = new Map<string, { result: VisitResult; at: number }>();
  let seed = 11;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  try {
    const dir = join(fs.dir, 'facility');
    let db = await FacilityDb.open(dir);
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      if (round === Math.floor(rounds / 2)) {
        await db.close();
        db = await FacilityDb.open(dir);
      }
      const burst = 1 + Math.floor(rnd() * 3);
      await Promise.all(Array.from({ length: burst }, async () => {
        const r = result(n++);
        await db.store('clinic-a', r, Buffer.from(JSON.stringify(r)));
        stored.set(r.id, { result: r, at: fs.seq() });
      }));
    }
    await db.close();
  } finally {
    await fs.close();
  }
  return { ops: fs.ops(), stored };
}

test('facility store: every power cut over a recorded run (≥ 1,000 cut points) loses no acknowledged result and accepts no torn one', async () => {
  const { ops, stored } = await record(1000);
  const report = await checkEveryCut(ops, {
    async recover(dir) {
      const dbDir = join(dir, 'facility');
      const db = await FacilityDb.open(dbDir);
      const got = new Map(db.results);
      const probe = result(99_999);
      await db.store('clinic-a', probe);
      await db.close();
      const again = await FacilityDb.open(dbDir);
      const reopen: string[] = [];
      if (!again.results.has(probe.id)) reopen.push('a result stored after recovery was lost on reopen');
      for (const id of got.keys()) if (!again.results.has(id)) reopen.push(`result ${id} vanished on the second reopen`);
      await again.close();
      return { got, reopen };
    },
    judge({ got, reopen }, state) {
      const problems = [...reopen];
      for (const [id, r] of got) {
        const s = stored.get(id);
        if (!s) problems.push(`result ${id} was never stored`);
        else if (JSON.stringify(s.result) !== JSON.stringify(r)) problems.push(`result ${id} differs from what was stored (torn)`);
      }
      for (const [id, s] of stored) if (s.at <= state.cut && !got.has(id)) problems.push(`acknowledged result ${id} (stored at op ${s.at}) lost`);
      return problems;
    },
  });
  process.stdout.write(`${JSON.stringify({ results: stored.size, ...report })}\n`);
  assert.ok(report.cutPoints >= 1000, `${report.cutPoints} cut points`);
  assert.ok(report.checkedByVariant.torn > 100, 'torn writes were checked');
  assert.equal(report.problems, [], `${report.problemCount} problems`);
});

test.run();
