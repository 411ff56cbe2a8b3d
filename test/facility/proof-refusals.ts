/**
 * Every proof the facility must refuse, against real parts: mosquitto, the facility service on
 * an SQLite file, readers' MQTT links with their durable outboxes. Each refusal is answered with
 * its code (the reader drops the record for good), recorded in the refusals table, counted on
 * /metrics by reason, and nothing refused is stored as a result. Genuine proofs are stored.
 * One suite, run on SQLite (proof-refusals-sqlite.itest.ts) and PostgreSQL (…-postgres.itest.ts).
 * Not a test file itself.
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sinon from 'sinon';
import { FacilityRefusedError, type VisitResult } from '../../firmware/ports/facility-link.ts';
import type { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import { writeTestCrl } from '../../hardware-sim/card/test-crl.ts';
import { startMosquitto, type RunningMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator, type FacilitySimulator } from '../../hardware-sim/facility/simulator.ts';
import type { StoreConfig } from '../../facility/store/open-store.ts';
import type { BenchCard } from '../../hardware-sim/card/bench-cards.ts';
import { makeLink, tmp } from '../firmware/facility/link/helpers.ts';
import { ShiftedClock, provenResult, signChallenge, silent, testCards, type Cards } from './helpers.ts';

export interface RefusalRig {
  readonly name: string;
  /** The database of facility `facilityId` (under `dir` when it is a file). */
  store(facilityId: string, dir: string): StoreConfig | undefined;
  /** What a challenge of the other facility is called here: unknown (own database) or another facility's (shared database). */
  readonly foreignChallenge: 'CHALLENGE_UNKNOWN' | 'CHALLENGE_OTHER_FACILITY';
  readonly done?: () => Promise<void>;
}

export function refusalSuite(rig: RefusalRig): void {
  const test = suite(`proof refusals with real parts: ${rig.name}`);
  let dir: string;
  let cards: Cards;
  let broker: RunningMosquitto;
  let broker2: RunningMosquitto;
  let facility: FacilitySimulator;
  let other: FacilitySimulator;
  const clock = new ShiftedClock();
  const outcomes = new Map<string, { stored?: true; refused?: string }>();
  let r1: MqttFacilityLink;
  let r2: MqttFacilityLink;
  let r3: MqttFacilityLink;
  const closers: (() => Promise<void>)[] = [];

  async function reader(id: string, url: string, facilityId: string): Promise<MqttFacilityLink> {
    const { link } = await makeLink({
      brokerUrl: url,
      readerId: id,
      facilityId,
      ackTimeoutMs: 3000,
      onDelivered: (rid) => outcomes.set(rid, { stored: true }),
      onRefused: (rid, code) => outcomes.set(rid, { refused: code }),
    });
    await link.start();
    closers.push(() => link.close());
    for (let i = 0; !link.facilityOnline && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
    return link;
  }

  async function outcome(r: VisitResult): Promise<{ stored?: true; refused?: string }> {
    for (let i = 0; i < 200; i++) {
      const o = outcomes.get(r.id);
      if (o) return o;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`no answer for result ${r.id}`);
  }

  async function qualify(link: MqttFacilityLink, card: BenchCard, visitId: string): Promise<string> {
    return (await link.qualify({ visitId, certificateSerial: card.serial, certificate: card.certificate }, { timeoutMs: 5000 })).challenge;
  }

  async function refusedAt(p: Promise<unknown>): Promise<string> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(err, FacilityRefusedError, 'the facility refused');
    return (err as FacilityRefusedError).facilityCode;
  }

  test.before(async () => {
    dir = tmp('kao-refusals-');
    cards = await testCards();
    broker = await startMosquitto({ dir: join(dir, 'broker') });
    broker2 = await startMosquitto({ dir: join(dir, 'broker2') });
    const storeA = rig.store('clinic-a', dir);
    facility = await startFacilitySimulator({
      brokerUrl: broker.url,
      facilityId: 'clinic-a',
      log: silent,
      dataDir: join(dir, 'clinic-a'),
      clock,
      pki: cards.pki,
      metricsPort: 0,
      ...(storeA ? { store: storeA } : {}),
    });
    const storeB = rig.store('clinic-b', dir);
    other = await startFacilitySimulator({
      brokerUrl: broker2.url,
      facilityId: 'clinic-b',
      log: silent,
      dataDir: join(dir, 'clinic-b'),
      pki: cards.pki,
      ...(storeB ? { store: storeB } : {}),
    });
    r1 = await reader('reader-01', broker.url, 'clinic-a');
    r2 = await reader('reader-02', broker.url, 'clinic-a');
    r3 = await reader('reader-03', broker2.url, 'clinic-b');
  });

  test.after(async () => {
    for (const c of closers) await c().catch(() => undefined);
    await facility?.close({ endSession: true });
    await other?.close({ endSession: true });
    await broker?.stop();
    await broker2?.stop();
    await rig.done?.();
  });

  test('a genuine proof is stored, verified, and its challenge then refused for any other result', async () => {
    const card = cards.good[0] as BenchCard;
    const challenge = await qualify(r1, card, 'v-ok');
    const signature = signChallenge(card, challenge);
    await r1.prove(
      { visitId: 'v-ok', certificateSerial: card.serial, certificate: card.certificate, challenge, signature },
      { timeoutMs: 5000 },
    );
    const ok = provenResult({ readerId: 'reader-01', visitId: 'v-ok', card, challenge, signature });
    await r1.submitResult(ok);
    assert.equal(await outcome(ok), { stored: true });
    // Replay: the same proof in another result.
    const replay = { ...ok, id: provenResult({ readerId: 'reader-01', visitId: 'v-ok', card, challenge, signature }).id };
    await r1.submitResult(replay);
    assert.equal(await outcome(replay), { refused: 'CHALLENGE_REPLAYED' });
    assert.is(
      await refusedAt(
        r1.prove(
          { visitId: 'v-ok', certificateSerial: card.serial, certificate: card.certificate, challenge, signature },
          { timeoutMs: 5000 },
        ),
      ),
      'CHALLENGE_REPLAYED',
    );
  });

  test('forged signature', async () => {
    const card = cards.good[0] as BenchCard;
    const challenge = await qualify(r1, card, 'v-forged');
    const forged = provenResult({
      readerId: 'reader-01',
      visitId: 'v-forged',
      card,
      challenge,
      signature: signChallenge(cards.good[1] as BenchCard, challenge),
    });
    assert.is(
      await refusedAt(
        r1.prove(
          {
            visitId: 'v-forged',
            certificateSerial: card.serial,
            certificate: card.certificate,
            challenge,
            signature: Buffer.from(forged.signature ?? '', 'base64'),
          },
          { timeoutMs: 5000 },
        ),
      ),
      'SIGNATURE_INVALID',
    );
    await r1.submitResult(forged);
    assert.equal(await outcome(forged), { refused: 'SIGNATURE_INVALID' });
  });

  test('expired challenge: no signature reached the facility within 5 min', async () => {
    const card = cards.good[2] as BenchCard;
    const challenge = await qualify(r1, card, 'v-late');
    const signature = signChallenge(card, challenge);
    clock.offsetMs = 5 * 60_000 + 1000;
    try {
      assert.is(
        await refusedAt(
          r1.prove(
            { visitId: 'v-late', certificateSerial: card.serial, certificate: card.certificate, challenge, signature },
            { timeoutMs: 5000 },
          ),
        ),
        'CHALLENGE_EXPIRED',
      );
      const late = provenResult({ readerId: 'reader-01', visitId: 'v-late', card, challenge, signature });
      await r1.submitResult(late);
      assert.equal(await outcome(late), { refused: 'CHALLENGE_EXPIRED' });
    } finally {
      clock.offsetMs = 0;
    }
  });

  test("another reader's, another visit's and another facility's challenge", async () => {
    const card = cards.good[0] as BenchCard;
    const forReader1 = await qualify(r1, card, 'v-steal');
    const stolen = provenResult({
      readerId: 'reader-02',
      visitId: 'v-steal',
      card,
      challenge: forReader1,
      signature: signChallenge(card, forReader1),
    });
    await r2.submitResult(stolen);
    assert.equal(await outcome(stolen), { refused: 'CHALLENGE_OTHER_READER' });
    const otherVisit = provenResult({
      readerId: 'reader-01',
      visitId: 'v-elsewhere',
      card,
      challenge: forReader1,
      signature: signChallenge(card, forReader1),
    });
    await r1.submitResult(otherVisit);
    assert.equal(await outcome(otherVisit), { refused: 'CHALLENGE_OTHER_VISIT' });
    const atClinicB = await qualify(r3, card, 'v-b');
    const foreign = provenResult({
      readerId: 'reader-01',
      visitId: 'v-b',
      card,
      challenge: atClinicB,
      signature: signChallenge(card, atClinicB),
    });
    await r1.submitResult(foreign);
    assert.equal(await outcome(foreign), { refused: rig.foreignChallenge });
  });

  test('unknown CA, expired at visit time: refused at qualify, and in a result after a genuine qualify', async () => {
    assert.is(await refusedAt(qualify(r1, cards.unknownCa, 'v-rogue')), 'CERTIFICATE_UNTRUSTED');
    assert.is(await refusedAt(qualify(r1, cards.expired, 'v-old')), 'CERTIFICATE_EXPIRED');
    const card = cards.good[0] as BenchCard;
    for (const [twin, code] of [
      [cards.twinUnknownCa, 'CERTIFICATE_UNTRUSTED'],
      [cards.twinExpired, 'CERTIFICATE_EXPIRED'],
    ] as const) {
      const visitId = `v-twin-${code}`;
      const challenge = await qualify(r1, card, visitId);
      const r = provenResult({ readerId: 'reader-01', visitId, card: twin, challenge, signature: signChallenge(twin, challenge) });
      await r1.submitResult(r);
      assert.equal(await outcome(r), { refused: code });
    }
  });

  test('revoked certificate: refused at qualify, and in a result once the refreshed CRL lists it', async () => {
    const card = cards.good[3] as BenchCard;
    const challenge = await qualify(r1, card, 'v-revoked');
    const signature = signChallenge(card, challenge);
    await r1.prove(
      { visitId: 'v-revoked', certificateSerial: card.serial, certificate: card.certificate, challenge, signature },
      { timeoutMs: 5000 },
    );
    await writeTestCrl(cards.pki, join(facility.dir, 'jpki-user-auth.crl'), [card.serial], Date.now() + 1000);
    await facility.revocation.refresh();
    const r = provenResult({ readerId: 'reader-01', visitId: 'v-revoked', card, challenge, signature });
    await r1.submitResult(r);
    assert.equal(await outcome(r), { refused: 'CERTIFICATE_REVOKED' });
    assert.is(await refusedAt(qualify(r1, card, 'v-revoked-2')), 'CERTIFICATE_REVOKED');
  });

  test("register: another card's certificate after card A's proof is refused, the provider never sees it", async () => {
    const [a, b] = [cards.good[1] as BenchCard, cards.good[2] as BenchCard];
    const challenge = await qualify(r1, a, 'v-register');
    const signature = signChallenge(a, challenge);
    await r1.prove(
      { visitId: 'v-register', certificateSerial: a.serial, certificate: a.certificate, challenge, signature },
      { timeoutMs: 5000 },
    );
    const register = sinon.spy(facility.provider, 'register');
    try {
      const swapped = { visitId: 'v-register', certificateSerial: a.serial, certificate: b.certificate, challenge };
      assert.is(await refusedAt(r1.register(swapped, { timeoutMs: 5000 })), 'CERTIFICATE_INVALID');
      assert.is(register.callCount, 0, 'the provider was not asked');
      await r1.register({ visitId: 'v-register', certificateSerial: a.serial, certificate: a.certificate, challenge }, { timeoutMs: 5000 });
      assert.is(register.callCount, 1);
      assert.equal(Buffer.from(register.firstCall.args[0].certificate), Buffer.from(a.certificate), "the proved card's own certificate");
    } finally {
      register.restore();
    }
  });

  test('an accepted result without a proof is refused; a cancelled one is stored as it is', async () => {
    const bare = {
      ...provenResult({
        readerId: 'reader-01',
        visitId: 'v-bare',
        card: cards.good[0] as BenchCard,
        challenge: '00'.repeat(32),
        signature: Buffer.alloc(0),
      }),
    };
    const { certificate: _c, challenge: _ch, signature: _s, ...noProof } = bare;
    await r1.submitResult(noProof);
    assert.equal(await outcome(noProof), { refused: 'PROOF_MISSING' });
    const cancelled: VisitResult = {
      ...noProof,
      id: provenResult({
        readerId: 'reader-01',
        visitId: 'v-c',
        card: cards.good[0] as BenchCard,
        challenge: '',
        signature: Buffer.alloc(0),
      }).id,
      visitId: 'v-c',
      outcome: 'cancelled',
      segment: 9,
    };
    await r1.submitResult(cancelled);
    assert.equal(await outcome(cancelled), { stored: true });
  });

  test('the database holds only the genuine accepted result; every refusal is recorded and counted by reason', async () => {
    const counts = await facility.store.counts('clinic-a');
    assert.is(counts.accepted, 1, 'one accepted result: the genuine one');
    assert.is(counts.results, 2, 'plus the cancelled visit');
    const text = await (await fetch(`http://127.0.0.1:${facility.metrics?.port ?? 0}/metrics`)).text();
    const count = (reason: string, kind: string): number =>
      Number(new RegExp(`kaoreader_facility_refusals_total\\{reason="${reason}",kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    for (const reason of [
      'signature-invalid',
      'challenge-replayed',
      'challenge-expired',
      'challenge-other-reader',
      'challenge-other-visit',
      rig.foreignChallenge.toLowerCase().replace(/_/g, '-'),
      'certificate-untrusted',
      'certificate-expired',
      'certificate-revoked',
      'proof-missing',
    ]) {
      assert.ok(count(reason, 'result') >= 1, `result refusals counted for ${reason}`);
    }
    assert.ok(
      count('certificate-revoked', 'qualify') >= 1 &&
        count('certificate-untrusted', 'qualify') >= 1 &&
        count('certificate-expired', 'qualify') >= 1,
      'qualify refusals counted',
    );
    assert.ok(count('signature-invalid', 'prove') >= 1 && count('challenge-expired', 'prove') >= 1, 'prove refusals counted');
    assert.ok(counts.refusals >= 16, `refusal records: ${counts.refusals}`);
  });
  test.run();
}
