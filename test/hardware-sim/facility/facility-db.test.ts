import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FacilityDb } from '../../../hardware-sim/facility/facility-db.ts';
import { resultToXml } from '../../../hardware-sim/facility/xml-bridge.ts';
import { sampleResult } from '../../firmware/facility/fixtures.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

test('results are deduped, durable across reopen (a torn last line is ignored), order counted', async () => {
  const dir = tmp('kao-fdb-');
  const db = await FacilityDb.open(dir);
  const a = sampleResult({ id: '01900000-0000-7000-8000-000000000002' });
  const b = sampleResult({ id: '01900000-0000-7000-8000-000000000001' });
  const [first, second] = await Promise.all([db.store('clinic-a', a), db.store('clinic-a', a)]);
  assert.equal([first, second], [{ duplicate: false }, { duplicate: true }], 'concurrent duplicate');
  assert.equal(await db.store('clinic-a', a), { duplicate: true });
  await db.store('clinic-a', b);
  assert.equal(db.counters.get('reader-01'), { received: 2, duplicates: 2, outOfOrder: 1, lastId: a.id });
  await db.close();
  appendFileSync(join(dir, 'results.jsonl'), '{"facilityId":"clinic-a","res');
  const again = await FacilityDb.open(dir);
  assert.is(again.results.size, 2);
  assert.is(again.counters.get('reader-01')?.received, 2, 'a duplicate line in the file is not counted twice');
  assert.equal(await again.store('clinic-a', a), { duplicate: true });
  // The torn tail was cut at open: a result stored after it survives the next reopen.
  const c = sampleResult({ id: '01900000-0000-7000-8000-000000000003' });
  await again.store('clinic-a', c, Buffer.from(JSON.stringify(c)));
  await again.close();
  const third = await FacilityDb.open(dir);
  assert.equal([...third.results.keys()].sort(), [b.id, a.id, c.id]);
  assert.equal(third.results.get(c.id), c, 'the raw payload was stored as is');
  await third.close();
});

test('group commit: a burst and stragglers all confirm, in order, each after its fsync', async () => {
  const db = await FacilityDb.open(tmp('kao-fdb-'));
  const ids = Array.from({ length: 240 }, (_, i) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`);
  const order: string[] = [];
  const burst = ids.slice(0, 200).map((id) => db.store('clinic-a', sampleResult({ id })).then(() => order.push(id)));
  // stragglers arrive while the burst is being synced
  const late: Promise<unknown>[] = [];
  for (const id of ids.slice(200)) {
    await new Promise((r) => setImmediate(r));
    late.push(db.store('clinic-a', sampleResult({ id })).then(() => order.push(id)));
  }
  const until = Date.now() + 5000;
  await Promise.race([Promise.all([...burst, ...late]), new Promise((_, reject) => setTimeout(() => reject(new Error('a store never confirmed')), until - Date.now()))]);
  assert.equal(order, ids, 'confirmed in arrival order');
  assert.equal(db.counters.get('reader-01'), { received: 240, duplicates: 0, outOfOrder: 0, lastId: ids[239] });
  await db.close();
});

test('consent history is per facility and never crosses to another; registration sticks', async () => {
  const db = await FacilityDb.open();
  const r = sampleResult({ certificateSerial: 'ABCDEF' });
  await db.store('clinic-a', r);
  assert.equal(db.previousConsent('clinic-a', 'abcdef'), r.consent);
  assert.is(db.previousConsent('clinic-b', 'abcdef'), undefined);
  let unregistered = '';
  for (let i = 0; i < 100 && !unregistered; i++) if (!db.patient(`f${i}`).registered) unregistered = `f${i}`;
  assert.ok(unregistered, 'some simulated patients are not registered yet');
  db.register(unregistered);
  assert.ok(db.patient(unregistered).registered);
  assert.match(db.patient('abcdef').insured.copayRatio, /^0[123]0$/);
});

test('XML: escaped, JST processing time, codes as deployed readers write them', () => {
  const xml = resultToXml(sampleResult({ visitId: '<x>', prescription: 'paper', segment: 9, errorCode: 'E<1>', outcome: 'error' }), '1312345678');
  assert.match(xml, '<ProcessExecutionTime>20261124180012</ProcessExecutionTime>');
  assert.match(xml, '<SegmentOfResult>9</SegmentOfResult>');
  assert.match(xml, '<ErrorCode>E&#60;1&#62;</ErrorCode>');
  assert.match(xml, '<PrescriptionIssueSelect>2</PrescriptionIssueSelect>');
  assert.match(xml, '<PharmacistsInfoConsFlg>0</PharmacistsInfoConsFlg>');
  assert.not.match(xml, '<x>');
});

test.run();
