/**
 * How many pages a batch of results writes to the SQLite WAL (each a frame written at commit and
 * a page written back at the checkpoint). Random keys in an index put each new entry on a page of
 * its own; keys that grow with time share the last pages. Results here come as a busy facility
 * gets them: 200 readers, each patient a card of its own (random serials), the challenges issued
 * by the service's own generator a minute before their results arrive, batches of 40. Counted
 * from the WAL file's growth (a frame: 24-byte header + page), which cannot be reset meanwhile: a second
 * connection holds a read transaction from before the results, so no checkpoint can complete.
 * 7 Dec: 1.95 pages per result; 2.56 with migration 4's two indexes back, 2.54 with random
 * challenge values, 3.16 with both (the code before).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { newChallenge } from '../../../facility/service/challenge-value.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import { emptyBatch, type ResultRow } from '../../../facility/store/store.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

const PAGE = 4096;
const FRAME = 24 + PAGE;
const READERS = 200;
const RESULTS = 4000;
const BATCH = 40;
const T0 = Date.parse('2026-12-07T09:00:00Z');

test('a result costs at most 2.25 WAL pages in batches of 40 (its row alone is one: a 2 KB payload)', async () => {
  const dir = tmp('kao-sqlite-wal-');
  const path = join(dir, 'facility.db');
  const store = await SqliteStore.open(path);
  try {
    const issued: { challenge: string; readerId: string; serial: string; at: number }[] = [];
    for (let i = 0; i < RESULTS; i += BATCH) {
      const b = emptyBatch();
      for (let k = i; k < i + BATCH; k++) {
        const at = T0 + k * 5;
        const c = {
          challenge: newChallenge(at),
          readerId: `reader-${String(k % READERS).padStart(4, '0')}`,
          serial: randomBytes(8).toString('hex'),
          at,
        };
        issued.push(c);
        b.challenges.push({
          challenge: c.challenge,
          facilityId: 'clinic-a',
          readerId: c.readerId,
          visitId: `v${k}`,
          certificateSerial: c.serial,
          issuedAt: at,
          expiresAt: at + 300_000,
          redeemedAt: undefined,
          usedBy: undefined,
          qualification: JSON.stringify({ insured: { insurerNumber: '06133734', symbol: '記号247', number: '666262' } }),
        });
      }
      await store.commit(b);
    }
    const snapshot = new Database(path, { readonly: true });
    snapshot.exec('BEGIN');
    snapshot.prepare('SELECT COUNT(*) FROM results').get();
    const walBefore = statSync(`${path}-wal`).size;
    for (let i = 0; i < RESULTS; i += BATCH) {
      const b = emptyBatch();
      for (const [k, c] of issued.slice(i, i + BATCH).entries()) {
        const receivedAt = c.at + 60_000 + k;
        const id = uuidv7(receivedAt);
        b.results.push(resultRow(id, c, receivedAt));
      }
      const fates = await store.commit(b);
      assert.equal([...new Set(fates.values())], ['stored']);
    }
    const frames = (statSync(`${path}-wal`).size - walBefore) / FRAME;
    assert.ok(Number.isInteger(frames) && frames > 0, `the WAL grew by whole frames (${frames})`);
    snapshot.exec('COMMIT');
    snapshot.close();
    const perResult = frames / RESULTS;
    assert.ok(perResult <= 2.25, `${perResult.toFixed(2)} WAL pages per result`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function resultRow(id: string, c: { challenge: string; readerId: string; serial: string }, receivedAt: number): ResultRow {
  return {
    id,
    facilityId: 'clinic-a',
    readerId: c.readerId,
    visitId: `v-${id}`,
    outcome: 'accepted',
    method: 'pin',
    certificateSerial: c.serial,
    challenge: c.challenge,
    finishedAt: receivedAt - 500,
    receivedAt,
    payload: JSON.stringify({ id, certificate: randomBytes(1200).toString('base64'), signature: randomBytes(256).toString('base64') }),
    verified: true,
    consent: {
      mode: 'all',
      items: { surgery: true, treatment: true, medication: true, checkups: true },
      at: new Date(receivedAt).toISOString(),
    },
  };
}

test.run();
