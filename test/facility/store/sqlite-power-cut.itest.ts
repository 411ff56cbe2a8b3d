/**
 * Power loss at the facility's database: the SQLite store (WAL, synchronous=FULL) runs in a
 * crashfs directory (FUSE, every write and sync recorded, the WAL index's mapped pages included),
 * committing results in batches, reopened once midway. Every state a power cut after any of its
 * operations could leave is opened with the store: every result whose commit had returned (what
 * the facility acknowledges) is there, every result there is one that was committed, field for
 * field, and the recovered store takes a new result that survives a reopen.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newResultId } from '../../../firmware/core/uuidv7.ts';
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import { openFacilityStore } from '../../../facility/store/open-store.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import { emptyBatch, type FacilityStore, type ResultRow } from '../../../facility/store/store.ts';
import { CrashFs } from '../../../hardware-sim/power-cut/crash-fs.ts';
import { checkEveryCut } from '../../../hardware-sim/power-cut/every-cut.ts';
import type { FsOp } from '../../../hardware-sim/power-cut/op-log.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

const result = (n: number): VisitResult => {
  const at = new Date(Date.UTC(2026, 11, 1, 9, 0, n % 60)).toISOString();
  return {
    schema: 'kaoreader.result/1',
    id: newResultId(),
    readerId: `reader-${n % 3}`,
    visitId: `visit-${n}`,
    startedAt: at,
    finishedAt: at,
    method: n % 2 ? 'face' : 'pin',
    outcome: 'accepted',
    segment: 1,
    certificateSerial: (n + 1).toString(16),
    processingMs: 900 + (n % 50),
  };
};

const row = (r: VisitResult): ResultRow => ({
  id: r.id,
  facilityId: 'clinic-a',
  readerId: r.readerId,
  visitId: r.visitId,
  outcome: r.outcome,
  method: r.method ?? null,
  certificateSerial: r.certificateSerial,
  challenge: undefined,
  finishedAt: Date.parse(r.finishedAt),
  receivedAt: Date.parse(r.finishedAt) + 1000,
  payload: JSON.stringify(r),
  verified: true,
});

/** The run is recorded through the store the service opens (SQLite in its worker thread: an ack after the thread's fsync). */
const open = (dir: string): Promise<FacilityStore> => openFacilityStore({ kind: 'sqlite', dir });
/** Each cut state is recovered with the same SqliteStore in-process (thousands of opens: no thread start per state). */
const recoverStore = (dir: string): Promise<FacilityStore> => SqliteStore.open(join(dir, 'facility.db'));

async function record(rounds: number): Promise<{ ops: FsOp[]; stored: Map<string, { result: VisitResult; at: number }> }> {
  const fs = await CrashFs.mount(tmp('kao-crashfs-'));
  const stored = new Map<string, { result: VisitResult; at: number }>();
  try {
    const dir = join(fs.dir, 'facility');
    let store = await open(dir);
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      if (round === Math.floor(rounds / 2)) {
        await store.close();
        store = await open(dir);
      }
      const batch = emptyBatch();
      const rs = Array.from({ length: 1 + (round % 3) }, () => result(n++));
      batch.results.push(...rs.map(row));
      await store.commit(batch);
      const at = fs.seq();
      for (const r of rs) stored.set(r.id, { result: r, at });
    }
    await store.close();
  } finally {
    await fs.close();
  }
  return { ops: fs.ops(), stored };
}

test('facility SQLite store: every power cut over a recorded run (≥ 1,000 cut points) loses no committed result and accepts no torn one', async () => {
  const { ops, stored } = await record(60);
  const ids = [...stored.keys()];
  const report = await checkEveryCut(ops, {
    async recover(dir) {
      const dbDir = join(dir, 'facility');
      const store = await recoverStore(dbDir);
      const got = new Map((await store.recentResults('clinic-a', 1_000_000)).map((r) => [r.id, r]));
      const present = await store.storedResults(ids);
      const probe = result(99_999);
      const b = emptyBatch();
      b.results.push(row(probe));
      await store.commit(b);
      await store.close();
      const again = await recoverStore(dbDir);
      const reopen: string[] = [];
      if (!(await again.storedResults([probe.id])).has(probe.id)) reopen.push('a result committed after recovery was lost on reopen');
      if ((await again.storedResults([...present])).size !== present.size) reopen.push('results vanished on the second reopen');
      await again.close();
      return { got, reopen };
    },
    judge({ got, reopen }, state) {
      const problems = [...reopen];
      for (const [id, r] of got) {
        const s = stored.get(id);
        if (!s) problems.push(`result ${id} was never committed`);
        else if (JSON.stringify(s.result) !== JSON.stringify(r)) problems.push(`result ${id} differs from what was committed (torn)`);
      }
      for (const [id, s] of stored)
        if (s.at <= state.cut && !got.has(id)) problems.push(`acknowledged result ${id} (committed at op ${s.at}) lost`);
      return problems;
    },
  });
  process.stdout.write(`${JSON.stringify({ results: stored.size, ...report })}\n`);
  assert.ok(report.cutPoints >= 1000, `${report.cutPoints} cut points`);
  assert.ok(report.checkedByVariant.torn > 100, 'torn writes were checked');
  assert.equal(report.problems, [], `${report.problemCount} problems`);
});

test.run();
