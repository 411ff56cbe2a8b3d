/**
 * `kill -9` of the production facility service (its own process) twice during a burst of
 * verified results from three readers, on each store (an SQLite file; a private PostgreSQL, whose
 * batches of results are single statements): every result a reader saw acknowledged is in the
 * database, every submitted result ends up stored exactly once (resends after the restart are
 * duplicates, not replays), and nothing is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PostgresStore } from '../../facility/store/postgres-store.ts';
import { SqliteStore } from '../../facility/store/sqlite-store.ts';
import type { FacilityStore } from '../../facility/store/store.ts';
import type { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import { loadBenchCards } from '../../hardware-sim/card/bench-cards.ts';
import { loadTestPki } from '../../hardware-sim/card/test-pki.ts';
import { writeTestCrl } from '../../hardware-sim/card/test-crl.ts';
import { freePort, startMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { startPostgres } from '../../hardware-sim/facility/postgres.ts';
import { ProofSource } from '../../hardware-sim/facility/proofs.ts';
import { makeLink, tmp, until } from '../firmware/facility/link/helpers.ts';

const CLI = fileURLToPath(new URL('../../bin/kaoreader.js', import.meta.url));
const PER_READER = 120;

function serve(config: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'facility', 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      if (l.includes('"ready":true')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`facility service exited ${code} before ready`)));
  });
}

const kill9 = (c: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });

/** The store as the service's configuration names it, and how the test reads it back afterwards. */
interface StoreUnderKill {
  readonly yaml: string;
  open(): Promise<FacilityStore>;
}

async function burstWithKills(dir: string, store: StoreUnderKill): Promise<void> {
  const broker = await startMosquitto({ dir: join(dir, 'broker') });
  const pki = await loadTestPki();
  await writeFile(join(dir, 'ca.der'), pki.authCa.certificate);
  await writeTestCrl(pki, join(dir, 'auth.crl'));
  const config = join(dir, 'facility.yaml');
  await writeFile(
    config,
    [
      'facilityId: clinic-a',
      `broker: { url: "${broker.url}" }`,
      `store: ${store.yaml}`,
      'trust: { jpkiUserAuthCa: [ca.der], crl: [ { file: auth.crl } ] }',
      `metrics: { port: ${await freePort()} }`,
      'log: { level: error, audit: audit.jsonl }',
      '',
    ].join('\n'),
  );
  let service = await serve(config);
  const cards = await loadBenchCards(pki, 4);
  const acked = new Set<string>();
  const refused: string[] = [];
  const readers: { link: MqttFacilityLink; proofs: ProofSource }[] = [];
  try {
    for (const id of ['reader-11', 'reader-12', 'reader-13']) {
      const { link } = await makeLink({
        brokerUrl: broker.url,
        readerId: id,
        ackTimeoutMs: 1500,
        backoffMinMs: 100,
        backoffMaxMs: 800,
        onDelivered: (rid) => acked.add(rid),
        onRefused: (rid) => refused.push(rid),
      });
      await link.start();
      await until(() => link.facilityOnline, 5000, 'facility online');
      const proofs = new ProofSource(link, cards, id);
      await proofs.prefetch(PER_READER, 8);
      readers.push({ link, proofs });
    }
    const submitted: VisitResult[] = [];
    const burst = Promise.all(
      readers.map(async ({ link, proofs }) => {
        for (let r = proofs.result(); r; r = proofs.result()) {
          await link.submitResult(r);
          submitted.push(r);
          if (submitted.length % 20 === 0) await new Promise((res) => setTimeout(res, 5));
        }
      }),
    );
    const ackedBeforeKill: string[] = [];
    for (const at of [60, 220]) {
      await until(() => acked.size >= at, 30_000, `${at} acks`);
      await kill9(service);
      ackedBeforeKill.push(...acked);
      await new Promise((r) => setTimeout(r, 300));
      service = await serve(config);
    }
    await burst;
    await until(
      () => acked.size + refused.length >= submitted.length,
      60_000,
      `all ${submitted.length} acknowledged after the restarts (${acked.size})`,
    );
    await kill9(service);
    const db = await store.open();
    try {
      const stored = await db.storedResults(submitted.map((r) => r.id));
      const lost = ackedBeforeKill.filter((id) => !stored.has(id));
      assert.equal(lost, [], 'every result acknowledged before a kill is in the database');
      assert.is(stored.size, submitted.length, 'every submitted result stored');
      const counts = await db.counts('clinic-a');
      assert.is(counts.results, submitted.length, 'each exactly once');
      assert.is(counts.accepted, submitted.length);
      assert.equal(refused, [], 'no resend was taken for a replay');
      assert.is(counts.refusals, 0);
    } finally {
      await db.close();
    }
  } finally {
    for (const { link } of readers) await link.close().catch(() => undefined);
    await kill9(service);
    await broker.stop();
  }
}

test('kill -9 of the facility service during a burst (SQLite): no acknowledged result lost, none stored twice', async () => {
  const dir = tmp('kao-kill9-');
  const db = join(dir, 'facility.db');
  await burstWithKills(dir, { yaml: `{ kind: sqlite, path: "${db}" }`, open: () => SqliteStore.open(db) });
});

test('kill -9 of the facility service during a burst (PostgreSQL): no acknowledged result lost, none stored twice', async () => {
  const pg = await startPostgres();
  try {
    await burstWithKills(tmp('kao-kill9-pg-'), {
      yaml: `{ kind: postgres, url: "${pg.url}" }`,
      open: () => PostgresStore.open({ url: pg.url }),
    });
  } finally {
    await pg.stop();
  }
});

test.run();
