/**
 * The FacilityStore contract (facility/store/store.ts), one suite run against every store:
 * SQLite always (sqlite-store.test.ts), PostgreSQL against a real server the test starts
 * (postgres-store.itest.ts). Not a test file itself.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { uuidv7 } from '../../../firmware/core/uuidv7.ts';
import { StoreError } from '../../../facility/store/errors.ts';
import { emptyBatch, type ChallengeRow, type FacilityStore, type ResultRow } from '../../../facility/store/store.ts';

export interface StoreUnderTest {
  open(): Promise<FacilityStore>;
  close(): Promise<void>;
}

const T0 = Date.parse('2026-11-24T09:00:00Z');

const challenge = (over: Partial<ChallengeRow> = {}): ChallengeRow => ({
  challenge: uuidv7().replace(/-/g, '') + uuidv7().replace(/-/g, ''),
  facilityId: 'clinic-a',
  readerId: 'reader-01',
  visitId: 'v1',
  certificateSerial: 'ab12',
  issuedAt: T0,
  expiresAt: T0 + 300_000,
  redeemedAt: undefined,
  usedBy: undefined,
  qualification: '{"insured":{"insurerNumber":"06130001"}}',
  ...over,
});

const result = (over: Partial<ResultRow> = {}): ResultRow => {
  const id = uuidv7();
  return {
    id,
    facilityId: 'clinic-a',
    readerId: 'reader-01',
    visitId: 'v1',
    outcome: 'accepted',
    method: 'pin',
    certificateSerial: 'ab12',
    challenge: undefined,
    finishedAt: T0 + 10_000,
    receivedAt: T0 + 11_000,
    payload: JSON.stringify({ id }),
    verified: true,
    ...over,
  };
};

export function storeContract(name: string, sut: StoreUnderTest): void {
  const t = suite(`FacilityStore contract: ${name}`);
  let store: FacilityStore;
  t.before(async () => {
    store = await sut.open();
  });
  t.after(async () => {
    await store.close();
    await sut.close();
  });

  t('results: stored once by id (resends and a copy in the same batch are duplicates); a used challenge makes a replay', async () => {
    const c = challenge();
    const first = result({ challenge: c.challenge });
    const b1 = emptyBatch();
    b1.challenges.push(c);
    b1.results.push(first, { ...first });
    const f1 = await store.commit(b1);
    assert.is(f1.get(first.id), 'stored');
    const again = emptyBatch();
    const replay = result({ challenge: c.challenge });
    again.results.push(first, replay);
    const f2 = await store.commit(again);
    assert.is(f2.get(first.id), 'duplicate');
    assert.is(f2.get(replay.id), 'replayed');
    assert.equal([...(await store.storedResults([first.id, replay.id]))], [first.id]);
    assert.is(
      (await store.refusedResults([replay.id])).get(replay.id),
      'CHALLENGE_REPLAYED',
      'the replay is recorded as refused in the same transaction',
    );
    const rec = (await store.challenges([c.challenge])).get(c.challenge);
    assert.is(rec?.usedBy, first.id);
    assert.is(rec?.readerId, 'reader-01');
    assert.is(rec?.expiresAt, T0 + 300_000);
    const unknown = result({});
    const look = await store.lookupResults([first.id, replay.id, unknown.id], [c.challenge, 'ee'.repeat(32)]);
    assert.equal([...look.stored], [first.id], 'lookupResults: the stored ones');
    assert.equal([...look.refused], [[replay.id, 'CHALLENGE_REPLAYED']], 'lookupResults: the refused ones with their code');
    assert.equal([...look.challenges.keys()], [c.challenge], 'lookupResults: the known challenges only');
    assert.is(look.challenges.get(c.challenge)?.usedBy, first.id);
  });

  t('challenges: a redemption is kept once (the first one wins); unknown challenges are absent', async () => {
    const c = challenge();
    const b = emptyBatch();
    b.challenges.push(c);
    b.redemptions.push({ challenge: c.challenge, at: T0 + 5000 });
    await store.commit(b);
    const b2 = emptyBatch();
    b2.redemptions.push({ challenge: c.challenge, at: T0 + 9000 });
    await store.commit(b2);
    const got = await store.challenges([c.challenge, 'ff'.repeat(32)]);
    assert.is(got.size, 1);
    assert.is(got.get(c.challenge)?.redeemedAt, T0 + 5000);
    assert.is(got.get(c.challenge)?.usedBy, undefined);
  });

  t('consent history is per facility; the newest wins; imported history counts', async () => {
    const serial = `c${Date.now().toString(16)}`;
    const old = { mode: 'individual' as const, items: { surgery: false }, at: '2026-10-01T00:00:00.000Z' };
    const newer = { mode: 'all' as const, items: { surgery: true }, at: '2026-11-01T00:00:00.000Z' };
    const b = emptyBatch();
    b.consents.push({ facilityId: 'clinic-a', certificateSerial: serial, resultId: 'history-1', consent: old, at: Date.parse(old.at) });
    b.results.push(result({ certificateSerial: serial, consent: newer }));
    await store.commit(b);
    assert.equal(await store.previousConsent('clinic-a', serial), newer);
    assert.is(await store.previousConsent('clinic-b', serial), undefined, 'never visible at another facility');
    const dup = emptyBatch();
    const r = result({ certificateSerial: serial, consent: { ...newer, at: '2026-12-01T00:00:00.000Z' } });
    dup.results.push(r);
    await store.commit(dup);
    const replayOfIt = emptyBatch();
    replayOfIt.results.push({ ...r, consent: { ...newer, items: { surgery: false }, at: '2027-01-01T00:00:00.000Z' } });
    await store.commit(replayOfIt);
    assert.equal((await store.previousConsent('clinic-a', serial))?.at, '2026-12-01T00:00:00.000Z', 'a duplicate adds no consent');
  });

  t(
    "one batch with a stored result (its consent, its reader's last result) and refusals writes all of them (another facility: the counts below stay clinic-a's)",
    async () => {
      const serial = `m${Date.now().toString(16)}`;
      const consent = { mode: 'all' as const, items: { surgery: true }, at: '2026-11-02T00:00:00.000Z' };
      const c = challenge({ facilityId: 'clinic-m', readerId: 'reader-mixed' });
      const first = emptyBatch();
      first.challenges.push(c);
      await store.commit(first);
      const kept = result({ facilityId: 'clinic-m', readerId: 'reader-mixed', certificateSerial: serial, consent, challenge: c.challenge });
      const replay = result({ facilityId: 'clinic-m', readerId: 'reader-mixed', challenge: c.challenge });
      const b = emptyBatch();
      b.results.push(kept, replay);
      b.refusals.push({
        id: uuidv7(),
        facilityId: 'clinic-m',
        readerId: 'reader-mixed',
        kind: 'result',
        code: 'SIGNATURE_INVALID',
        detail: 'forged',
        at: T0,
        resultId: 'forged-1',
        visitId: 'v9',
      });
      const fates = await store.commit(b);
      assert.is(fates.get(kept.id), 'stored');
      assert.is(fates.get(replay.id), 'replayed');
      assert.equal(await store.previousConsent('clinic-m', serial), consent, 'the consent');
      assert.is(
        (await store.readers('clinic-m')).find((r) => r.readerId === 'reader-mixed')?.lastResultId,
        kept.id,
        "the reader's last result",
      );
      const refused = await store.refusedResults(['forged-1', replay.id]);
      assert.equal([refused.get('forged-1'), refused.get(replay.id)], ['SIGNATURE_INVALID', 'CHALLENGE_REPLAYED'], 'both refusals');
    },
  );

  t(
    "a batch of results only: each reader's last result is its last stored one in the batch; a copy of a stored one is a duplicate",
    async () => {
      const reader = `reader-last-${Date.now().toString(16)}`;
      const first = result({ facilityId: 'clinic-l', readerId: reader, receivedAt: T0 + 1000 });
      const second = result({ facilityId: 'clinic-l', readerId: reader, receivedAt: T0 + 2000 });
      const other = result({ facilityId: 'clinic-l', readerId: `${reader}-b`, receivedAt: T0 + 1500 });
      const b = emptyBatch();
      b.results.push(first, other, second);
      const fates = await store.commit(b);
      assert.equal([fates.get(first.id), fates.get(second.id), fates.get(other.id)], ['stored', 'stored', 'stored']);
      const rows = await store.readers('clinic-l');
      assert.is(rows.find((r) => r.readerId === reader)?.lastResultId, second.id);
      assert.is(rows.find((r) => r.readerId === `${reader}-b`)?.lastResultId, other.id);
      const again = emptyBatch();
      again.results.push({ ...first, receivedAt: T0 + 9000 });
      assert.is((await store.commit(again)).get(first.id), 'duplicate');
      assert.is(
        (await store.readers('clinic-l')).find((r) => r.readerId === reader)?.lastResultId,
        second.id,
        'a duplicate is not a last result',
      );
    },
  );

  t('readers: status, health and last result merge into one row per reader; counts', async () => {
    const b = emptyBatch();
    b.readers.push({
      readerId: 'reader-77',
      facilityId: 'clinic-a',
      at: T0,
      status: { state: 'online', firmwareVersion: '1.2.3', bootCounter: 4, facilityName: undefined },
    });
    b.readers.push({
      readerId: 'reader-77',
      facilityId: 'clinic-a',
      at: T0 + 1000,
      health: { outboxDepth: 3, oldestUndeliveredAgeMs: 4500, inFlight: 1, outboxStatus: 'ok', deadLetters: 2 },
    });
    b.results.push(result({ readerId: 'reader-77', outcome: 'cancelled', verified: false, receivedAt: T0 + 2000 }));
    await store.commit(b);
    const b2 = emptyBatch();
    b2.readers.push({
      readerId: 'reader-77',
      facilityId: 'clinic-a',
      at: T0 + 3000,
      status: { state: 'offline', firmwareVersion: undefined, bootCounter: 4, facilityName: undefined },
    });
    await store.commit(b2);
    const row = (await store.readers('clinic-a')).find((r) => r.readerId === 'reader-77');
    assert.is(row?.state, 'offline');
    assert.is(row?.firmwareVersion, '1.2.3', 'an offline will without a version keeps the known one');
    assert.is(row?.outboxDepth, 3);
    assert.is(row?.oldestUndeliveredAgeMs, 4500);
    assert.is(row?.deadLetters, 2);
    assert.is(row?.lastResultOutcome, 'cancelled');
    assert.is(row?.lastResultAt, T0 + 2000);
    assert.is(row?.lastSeenAt, T0 + 3000);
    const counts = await store.counts('clinic-a');
    const { xmlOldestPendingAt, ...rest } = counts;
    assert.equal(rest, { results: 4, accepted: 3, refusals: 1, challenges: 2, xmlPending: 3 });
    assert.type(xmlOldestPendingAt, 'number');
  });

  t('XML jobs: accepted results not yet written, oldest first, with their qualification; staged, then written', async () => {
    for (const j of await store.xmlJobs(1000)) await store.setXmlState(j.id, 'written');
    const c = challenge();
    const a = result({ challenge: c.challenge, receivedAt: T0 + 50_000 });
    const b = emptyBatch();
    b.challenges.push(c);
    b.results.push(a, result({ outcome: 'cancelled', verified: false }));
    await store.commit(b);
    const jobs = await store.xmlJobs(10);
    assert.equal(
      jobs.map((j) => [j.id, j.state]),
      [[a.id, 'pending']],
    );
    const waiting = await store.counts(a.facilityId);
    assert.is(waiting.xmlPending, 1, 'facility status counts what the bridge has still to write');
    assert.is(waiting.xmlOldestPendingAt, T0 + 50_000);
    assert.is(jobs[0]?.qualification, c.qualification);
    await store.setXmlState(a.id, 'staged');
    assert.is((await store.xmlJobs(10))[0]?.state, 'staged');
    assert.is((await store.counts(a.facilityId)).xmlPending, 1, 'a staged file is not written yet');
    await store.setXmlState(a.id, 'written');
    assert.equal(await store.xmlJobs(10), []);
    const done = await store.counts(a.facilityId);
    assert.is(done.xmlPending, 0);
    assert.is(done.xmlOldestPendingAt, undefined);
  });

  t('commands and their replies are logged', async () => {
    const id = uuidv7();
    const b = emptyBatch();
    b.commands.push({
      id,
      facilityId: 'clinic-a',
      readerId: 'reader-01',
      command: 'set-staff-password',
      args: '{"password":"[redacted]"}',
      sentAt: T0,
    });
    await store.commit(b);
    const r = emptyBatch();
    r.commandReplies.push({ id, ok: true, reply: '{}', at: T0 + 10 });
    await store.commit(r);
  });

  t('a batch that fails writes nothing of itself and is reported as a StoreError', async () => {
    const good = result();
    const b = emptyBatch();
    b.results.push(good, { ...result(), visitId: null as unknown as string });
    const err = await store.commit(b).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(err, StoreError);
    assert.is((await store.storedResults([good.id])).size, 0, 'rolled back');
  });

  t.run();
}
