/**
 * The XML bridge writes each accepted result exactly once across restarts, whatever the crash
 * point, and even when the clinic system already took the file; files are read by the clinic
 * reader (clinic-reader.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { QualificationError, type QualificationProvider } from '../../../facility/qualification/provider.ts';
import { SimulatedQualificationProvider } from '../../../facility/qualification/simulated-provider.ts';
import { ManualClock } from '../../../hardware-sim/manual-clock.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import { emptyBatch } from '../../../facility/store/store.ts';
import { XmlBridge } from '../../../facility/xml/xml-bridge.ts';
import { xmlFileName } from '../../../facility/xml/result-xml.ts';
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import { sampleResult } from '../../firmware/facility/fixtures.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';
import { silent } from '../helpers.ts';
import { readAsClinic } from './clinic-reader.ts';

const provider = new SimulatedQualificationProvider();

async function storeWith(
  dir: string,
  n: number,
  snapshot: boolean,
): Promise<{ store: SqliteStore; results: VisitResult[]; receivedAt: number }> {
  const store = await SqliteStore.open(join(dir, 'facility.db'));
  const receivedAt = Date.parse('2026-11-24T09:00:13.000Z');
  const results: VisitResult[] = [];
  const b = emptyBatch();
  for (let i = 0; i < n; i++) {
    const challenge = `${'ab'.repeat(30)}${String(i).padStart(4, '0')}`;
    const r = sampleResult({
      id: uuidv7(),
      visitId: `v${i}`,
      certificateSerial: `a${i}`,
      certificate: 'MAA=',
      challenge,
      signature: 'AAAA',
    });
    const found = provider.lookup(`a${i}`);
    b.challenges.push({
      challenge,
      facilityId: 'clinic-a',
      readerId: 'reader-01',
      visitId: `v${i}`,
      certificateSerial: `a${i}`,
      issuedAt: receivedAt - 20_000,
      expiresAt: receivedAt + 280_000,
      redeemedAt: undefined,
      usedBy: undefined,
      qualification: snapshot ? JSON.stringify({ insured: found.insured, person: found.person }) : JSON.stringify({}),
    });
    b.results.push({
      id: r.id,
      facilityId: 'clinic-a',
      readerId: 'reader-01',
      visitId: r.visitId,
      outcome: 'accepted',
      method: 'face',
      certificateSerial: `a${i}`,
      challenge,
      finishedAt: Date.parse(r.finishedAt),
      receivedAt,
      payload: JSON.stringify(r),
      verified: true,
    });
    results.push(r);
  }
  b.results.push({
    id: uuidv7(),
    facilityId: 'clinic-a',
    readerId: 'reader-01',
    visitId: 'cancelled',
    outcome: 'cancelled',
    method: null,
    certificateSerial: undefined,
    challenge: undefined,
    finishedAt: receivedAt,
    receivedAt,
    payload: '{}',
    verified: false,
  });
  await store.commit(b);
  return { store, results, receivedAt };
}

const bridge = (store: SqliteStore, dir: string): XmlBridge =>
  new XmlBridge({ dir, institutionCode: '1312345678', store, provider, facilityId: 'clinic-a', log: silent, clock: new ManualClock() });
const files = (dir: string): string[] => readdirSync(dir).sort();

test('one file per accepted result, readable by a clinic system; a second run writes nothing', async () => {
  const dir = tmp('kao-xml-');
  const out = join(dir, 'inbox');
  const { store, results, receivedAt } = await storeWith(dir, 3, true);
  const b = bridge(store, out);
  b.kick();
  await b.idle();
  assert.equal(files(out), results.map((r) => xmlFileName(r, receivedAt)).sort(), 'no file for the cancelled visit, no part files');
  for (const f of files(out)) readAsClinic(readFileSync(join(out, f)));
  const again = bridge(store, out);
  for (const f of files(out)) rmSync(join(out, f)); // the clinic system took them
  again.kick();
  await again.idle();
  assert.equal(files(out), [], 'nothing written twice');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('crash points: staged with its part file → published once; staged without it (already renamed, maybe taken) → not rewritten; pending with a stale part → rewritten', async () => {
  const dir = tmp('kao-xml-');
  const out = join(dir, 'inbox');
  const { store, results, receivedAt } = await storeWith(dir, 3, true);
  const [a, b, c] = results as [VisitResult, VisitResult, VisitResult];
  // Run once into a scratch folder to get the exact bytes, then stage the crash states by hand.
  const scratch = join(dir, 'scratch');
  const first = bridge(store, scratch);
  first.kick();
  await first.idle();
  const name = (r: VisitResult): string => xmlFileName(r, receivedAt);
  mkdirSync(out, { recursive: true });
  renameSync(join(scratch, name(a)), join(out, `.${name(a)}.part`)); // crashed after staging, before the rename
  await store.setXmlState(a.id, 'staged');
  await store.setXmlState(b.id, 'staged'); // crashed after the rename, before "written"; the clinic took the file
  writeFileSync(join(out, `.${name(c)}.part`), 'half a fi'); // crashed while writing, before staging
  setPending(join(dir, 'facility.db'), c.id); // the database says: a staged, b staged, c never started
  const after = bridge(store, out);
  after.kick();
  await after.idle();
  assert.equal(files(out), [name(a), name(c)].sort(), 'a published, b not rewritten, c rewritten whole');
  readAsClinic(readFileSync(join(out, name(c))));
  assert.not.ok(existsSync(join(out, `.${name(c)}.part`)));
  assert.equal(await store.xmlJobs(10), []);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a card registered during the visit (no insured data at qualify): the provider is asked again', async () => {
  const dir = tmp('kao-xml-');
  const out = join(dir, 'inbox');
  const { store, results, receivedAt } = await storeWith(dir, 1, false);
  const b = bridge(store, out);
  b.kick();
  await b.idle();
  const v = readAsClinic(readFileSync(join(out, xmlFileName(results[0] as VisitResult, receivedAt))));
  assert.is(v.insurerNumber, provider.lookup('a0').insured.insurerNumber);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a result whose provider call throws is retried with backoff, then parked; the results after it are written; a restart writes it once', async () => {
  const dir = tmp('kao-xml-');
  const out = join(dir, 'inbox');
  const { store, results, receivedAt } = await storeWith(dir, 3, false);
  const [a, b, c] = results as [VisitResult, VisitResult, VisitResult];
  const name = (r: VisitResult): string => xmlFileName(r, receivedAt);
  const broken: QualificationProvider = {
    name: 'broken for a0',
    confirm: (q) =>
      q.certificateSerial === 'a0' ? Promise.reject(new QualificationError('QUALIFICATION_UNAVAILABLE', 'down')) : provider.confirm(q),
    register: (q) => provider.register(q),
  };
  const clock = new ManualClock();
  const failed: [string, boolean][] = [];
  const x = new XmlBridge({
    dir: out,
    institutionCode: '1312345678',
    store,
    provider: broken,
    facilityId: 'clinic-a',
    log: silent,
    clock,
    batch: 1,
    retry: { attempts: 2, backoffMs: 1000 },
    onFailed: (id, parked) => failed.push([id, parked]),
  });
  x.kick();
  await x.idle();
  assert.equal(files(out), [name(b), name(c)].sort(), 'the failing first result does not hold up the others');
  assert.equal(x.status(), { retrying: 1, parked: 0 });
  clock.advance(999);
  await x.idle();
  assert.equal(failed, [[a.id, false]], 'not retried before its backoff');
  clock.advance(1);
  await new Promise((r) => setImmediate(r));
  await x.idle();
  assert.equal(
    failed,
    [
      [a.id, false],
      [a.id, true],
    ],
    'retried once, then parked',
  );
  assert.equal(x.status(), { retrying: 0, parked: 1 });
  x.kick();
  await x.idle();
  assert.equal(failed.length, 2, 'a parked result is not tried again');
  await x.close();
  const restarted = bridge(store, out);
  restarted.kick();
  await restarted.idle();
  assert.equal(files(out), [name(a), name(b), name(c)].sort(), 'after a restart it is written, the others not again');
  assert.equal(await store.xmlJobs(10), []);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Back to "never started", through a connection of our own (the store has no such operation). */
function setPending(file: string, id: string): void {
  const db = new Database(file);
  db.prepare('UPDATE results SET xml_state = NULL WHERE id = ?').run(id);
  db.close();
}

test.run();
