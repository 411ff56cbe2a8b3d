/**
 * The pairing CLI end to end, as facility IT and a reader would run it: init-ca, identity (on
 * the reader), pair (code + QR check), install (on the reader), broker-config; then a real
 * mosquitto runs the generated config and the paired reader delivers through it.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { facilityCommand } from '../../cli/commands/facility/index.ts';
import { createLogger, silentLogger } from '../../firmware/core/logger.ts';
import { loadReaderPairing } from '../../firmware/facility/pairing/reader-pairing.ts';
import { freePort } from '../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator } from '../../hardware-sim/facility/simulator.ts';
import { sampleResult } from '../firmware/facility/fixtures.ts';
import { makeLink, testTrust, tmp, until } from '../firmware/facility/link/helpers.ts';

const run = promisify(execFile);
const bin = new URL('../../bin/kaoreader.js', import.meta.url).pathname;
/** Runs `kaoreader facility …` in-process (the same Command objects main.ts dispatches to). */
const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
  let out = '';
  let err = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const errSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      err += chunk.toString();
      done();
    },
  });
  const [group, ...rest] = args;
  assert.is(group, 'facility');
  const code = await facilityCommand.run(rest, { stdout: sink, stderr: errSink, log: silentLogger, signal: new AbortController().signal });
  assert.is(code, 0, err);
  return JSON.parse(out.trim().split('\n').pop() || '{}') as Record<string, unknown>;
};

/** `kaoreader facility pair …` run as its own process, expected to fail: its exit code and stderr (undefined when it succeeded). */
const pairRefused = (...args: string[]): Promise<{ code?: number; stderr?: string } | undefined> =>
  run(process.execPath, [bin, 'facility', 'pair', ...args]).then(
    () => undefined,
    (e: { code?: number; stderr?: string }) => e,
  );

test('init-ca → identity → pair → install → broker-config → mosquitto with that config → delivery', async () => {
  const root = tmp('kao-cli-');
  const ca = join(root, 'ca');
  const state = join(root, 'reader');
  const port = await freePort();
  await cli('facility', 'init-ca', '--dir', ca, '--facility-id', 'clinic-a', '--broker-url', `mqtts://127.0.0.1:${port}`);
  const id = await cli('facility', 'identity', '--state', state);
  assert.match(String(id['pairingCode']), /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  const codeOnly = await pairRefused('--ca', ca, '--csr', String(id['csr']), '--code', String(id['pairingCode']));
  assert.is(codeOnly?.code, 2, 'the code alone is not enough: usage error');
  assert.match(String(codeOnly?.stderr), '--fingerprint');
  const wrong = await pairRefused(
    '--ca',
    ca,
    '--csr',
    String(id['csr']),
    '--code',
    'ZZZZZ-ZZZZZ',
    '--fingerprint',
    String(id['fingerprint']),
  );
  assert.is(wrong?.code, 1, 'wrong pairing code: exit 1');
  assert.match(String(wrong?.stderr), 'pairing code does not match');
  const bundleFile = join(root, 'bundle.json');
  await cli('facility', 'pair', '--ca', ca, '--csr', String(id['csr']), '--qr', String(id['qr']), '--out', bundleFile);
  const installed = await cli('facility', 'install', '--state', state, '--bundle', bundleFile);
  assert.is(installed['readerId'], id['readerId']);
  const conf = await cli(
    'facility',
    'broker-config',
    '--ca',
    ca,
    '--out',
    join(root, 'broker'),
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--run-as',
    'root',
  );
  const text = readFileSync(String(conf['conf']), 'utf8');
  for (const line of [
    'require_certificate true',
    'use_identity_as_username true',
    'use_username_as_clientid true',
    'allow_anonymous false',
  ])
    assert.match(text, line);
  assert.match(readFileSync(String(conf['acl']), 'utf8'), 'pattern write readers/%u/#');
  const broker = spawn('/usr/sbin/mosquitto', ['-c', String(conf['conf'])], { stdio: 'ignore' });
  try {
    const log = createLogger({ sink: { write: () => undefined }, level: 'error' });
    let sim: Awaited<ReturnType<typeof startFacilitySimulator>> | undefined;
    for (let i = 0; i < 50 && !sim; i++) {
      sim = await startFacilitySimulator({ brokerUrl: `mqtts://127.0.0.1:${port}`, facilityId: 'clinic-a', caDir: ca, log }).catch(
        async () => {
          await new Promise((r) => setTimeout(r, 100));
          return undefined;
        },
      );
    }
    assert.ok(sim, 'facility connects to the generated broker');
    const pairing = await loadReaderPairing(join(state, 'facility'));
    assert.ok(pairing);
    const { link, outbox } = await makeLink({
      brokerUrl: pairing.brokerUrl,
      readerId: pairing.readerId,
      facilityId: pairing.facilityId,
      tls: pairing.tls,
      commands: testTrust(),
    });
    await link.start();
    await link.submitResult(sampleResult({ readerId: pairing.readerId, outcome: 'cancelled', segment: 9 }));
    await until(() => outbox.depth === 0, 5000, 'delivered through the generated broker config');
    assert.is(await sim.stored(), 1);
    await link.close();
    await sim.close();
  } finally {
    broker.kill('SIGTERM');
  }
  const unpaired = await cli('facility', 'unpair', '--ca', ca, '--reader', String(id['readerId']));
  assert.is(unpaired['revoked'], 1);
});

test('sim facility --start-broker: ready line, serves until SIGTERM, summary on exit', async () => {
  const data = tmp('kao-simcli-');
  const child = spawn(process.execPath, [bin, 'sim', 'facility', '--start-broker', '--data', data, '--facility-id', 'clinic-a'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await until(() => out.includes('"ready":true'), 20_000, 'simulator ready');
  const url = String((JSON.parse(out.split('\n')[0] ?? '{}') as { brokerUrl?: string }).brokerUrl);
  const { link, outbox } = await makeLink({ brokerUrl: url });
  await link.start();
  await link.submitResult(sampleResult({ outcome: 'cancelled', segment: 9 }));
  await until(() => outbox.depth === 0, 5000, 'stored by the CLI simulator');
  await link.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const summary = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    results?: number;
    readers?: Record<string, { stored: number; state?: string }>;
  };
  assert.is(summary.results, 1);
  assert.is(summary.readers?.['reader-01']?.stored, 1);
  assert.is(summary.readers?.['reader-01']?.state, 'offline');
});

test.run();
