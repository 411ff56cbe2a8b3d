/**
 * What facility IT runs: `kaoreader facility serve --config FILE` (its own process) with a reader
 * connected, then `kaoreader facility status` (reading the database) and `/metrics`: every
 * reader online, firmware, outbox depth, oldest undelivered age, last result; refusals by reason.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBenchCards } from '../../hardware-sim/card/bench-cards.ts';
import { loadTestPki } from '../../hardware-sim/card/test-pki.ts';
import { writeTestCrl } from '../../hardware-sim/card/test-crl.ts';
import { freePort, startMosquitto } from '../../hardware-sim/facility/mosquitto.ts';
import { ProofSource } from '../../hardware-sim/facility/proofs.ts';
import { sampleResult } from '../firmware/facility/fixtures.ts';
import { makeLink, tmp, until } from '../firmware/facility/link/helpers.ts';

const run = promisify(execFile);
const bin = new URL('../../bin/kaoreader.js', import.meta.url).pathname;

test('serve → a reader delivers → status and /metrics show it', async () => {
  const dir = tmp('kao-serve-');
  const broker = await startMosquitto({ dir: join(dir, 'broker') });
  const pki = await loadTestPki();
  await writeFile(join(dir, 'ca.der'), pki.authCa.certificate);
  await writeTestCrl(pki, join(dir, 'auth.crl'));
  const port = await freePort();
  const config = join(dir, 'facility.yaml');
  await writeFile(
    config,
    `facilityId: clinic-a\nbroker: { url: "${broker.url}" }\nstore: { kind: sqlite, path: facility.db }\ntrust: { jpkiUserAuthCa: [ca.der], crl: [ { file: auth.crl } ] }\nmetrics: { port: ${port} }\nlog: { level: warn, audit: audit.jsonl }\n`,
  );
  const bad = await run(process.execPath, [bin, 'facility', 'serve', '--config', join(dir, 'missing.yaml')]).then(
    () => undefined,
    (e: unknown) => e as { code: number; stderr: string },
  );
  assert.ok(bad && bad.code !== 0, 'a configuration that cannot be read stops the service');
  const service: ChildProcess = spawn(process.execPath, [bin, 'facility', 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { link, outbox } = await makeLink({ brokerUrl: broker.url, readerId: 'reader-21', healthIntervalMs: 300 });
  try {
    const ready = await new Promise<Record<string, unknown>>((resolve) =>
      createInterface({ input: service.stdout as NodeJS.ReadableStream }).once('line', (l) =>
        resolve(JSON.parse(l) as Record<string, unknown>),
      ),
    );
    assert.equal(ready, { ready: true, facilityId: 'clinic-a', store: 'sqlite', metrics: `http://127.0.0.1:${port}/metrics` });
    await link.start();
    await until(() => link.facilityOnline, 5000, 'facility online');
    const proofs = new ProofSource(link, await loadBenchCards(pki, 1), 'reader-21');
    await proofs.prefetch(2, 1);
    const good = proofs.result();
    if (!good) throw new Error('no proof');
    await link.submitResult(good);
    await link.submitResult({
      ...sampleResult({ readerId: 'reader-21', visitId: good.visitId }),
      signature: 'AAAA',
      certificate: good.certificate,
      challenge: good.challenge,
      certificateSerial: good.certificateSerial,
    });
    await until(() => outbox.depth === 0, 10_000, 'delivered and refused');
    await new Promise((r) => setTimeout(r, 700)); // a health report after the drain
    const { stdout } = await run(process.execPath, [bin, 'facility', 'status', '--config', config, '--json']);
    const status = JSON.parse(stdout) as { counts: { accepted: number; refusals: number }; readers: Record<string, unknown>[] };
    assert.is(status.counts.accepted, 1);
    assert.ok(status.counts.refusals >= 1);
    const row = status.readers.find((r) => r['reader'] === 'reader-21');
    assert.equal(
      [row?.['online'], row?.['firmwareVersion'], row?.['outboxDepth'], row?.['oldestUndeliveredS'], row?.['lastResultOutcome']],
      [true, '0.1.0', 0, 0, 'accepted'],
    );
    const table = (await run(process.execPath, [bin, 'facility', 'status', '--config', config])).stdout;
    assert.match(table, /READER\s+ONLINE\s+FIRMWARE\s+OUTBOX\s+OLDEST UNDELIVERED\s+DEAD LETTERS\s+LAST RESULT/);
    assert.match(table, /reader-21\s+yes\s+0\.1\.0\s+0/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of [
      'kaoreader_reader_online{reader="reader-21"} 1',
      'kaoreader_reader_outbox_depth{reader="reader-21"} 0',
      'kaoreader_reader_info{reader="reader-21",firmware_version="0.1.0"} 1',
      'kaoreader_facility_proofs_verified_total 2',
    ])
      assert.match(metrics, line);
    // The forged copy is refused as a replay, or for its signature when both arrived in one batch.
    assert.match(metrics, /kaoreader_facility_refusals_total\{reason="(challenge-replayed|signature-invalid)",kind="result"\} 1/);
    assert.match(metrics, /kaoreader_reader_last_result_timestamp_seconds\{reader="reader-21"\} \d/);
    assert.match(metrics, /kaoreader_facility_verify_cpu_seconds_total \d/);
    assert.is((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    // A result the facility can never take (it names another reader than its topic): a dead
    // letter, kept on the reader, reported in its health, shown by status.
    await link.submitResult(sampleResult({ readerId: 'reader-99' }));
    await until(() => link.delivery.stats.deadLettered === 1, 10_000, 'refused for good');
    await new Promise((r) => setTimeout(r, 700)); // a health report after the refusal
    const later = JSON.parse((await run(process.execPath, [bin, 'facility', 'status', '--config', config, '--json'])).stdout) as {
      readers: Record<string, unknown>[];
    };
    const dead = later.readers.find((r) => r['reader'] === 'reader-21');
    assert.equal([dead?.['outboxDepth'], dead?.['deadLetters']], [1, 1]);
    const table2 = (await run(process.execPath, [bin, 'facility', 'status', '--config', config])).stdout;
    assert.match(table2, /OLDEST UNDELIVERED\s+DEAD LETTERS\s+LAST RESULT/);
    assert.match(table2, /reader-21\s+yes\s+0\.1\.0\s+1\s+\d+s\s+1\s/);
  } finally {
    await link.close();
    await new Promise<void>((resolve) => {
      service.once('exit', () => resolve());
      service.kill('SIGTERM');
    });
    await broker.stop();
  }
  assert.is(service.exitCode, 0, 'clean exit on SIGTERM');
});

test.run();
