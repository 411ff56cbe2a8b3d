/**
 * Every one-shot command that touches PC/SC returns promptly whatever pcscd does: stopped,
 * running with no reader, with readers, with a card inserted (a private pcscd with vpcd; the
 * CLI child finds it through PCSCLITE_CSOCK_NAME). doctor hung forever on a real reader once
 * (pcsclite's per-reader threads were never closed). Each run is killed (SIGKILL, not the
 * SIGTERM a hung CLI swallows) past its bound, which fails the test.
 * test-lane: own (it mostly waits: each self-test for its 5 s deadlines, ≈ 35 s CPU in ≈ 120 s;
 * beside the other itests `npm test` is shorter by most of it)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planPcscd, startPcscd, type Pcscd, type PcscdPlace } from '../../hardware-sim/card/pcscd-process.ts';
import { VpcdBridge } from '../../hardware-sim/card/vpcd-bridge.ts';
import { makeTestCard } from '../helpers/sim-card.ts';

const bin = new URL('../../bin/kaoreader.js', import.meta.url).pathname;
const DOCTOR_MS = 15_000;
const SELF_TEST_MS = 90_000;

interface Run {
  readonly code: number | null;
  readonly ms: number;
  readonly out: string;
  readonly err: string;
}

function kao(args: readonly string[], socket: string, boundMs: number): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, PCSCLITE_CSOCK_NAME: socket, NOTIFY_SOCKET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started, out, err });
    });
  });
}

/** The simulator with its card slot on PC/SC (so self-test's card check goes through pcscd), short deadlines. */
function configFor(place: PcscdPlace): string {
  const f = join(mkdtempSync(join(tmpdir(), 'kao-oneshot-')), 'config.yaml');
  writeFileSync(f, `hardware:\n  sim:\n    vpcd: "127.0.0.1:${place.vpcdPort}"\nota:\n  selfTest:\n    deadlineMs: 5000\n`);
  return f;
}

interface Expect {
  readonly pcsc: 'missing' | 'ok';
  readonly detail: RegExp;
  readonly slot: boolean;
  readonly slotDetail: RegExp;
}

async function inState(name: string, place: PcscdPlace, e: Expect): Promise<void> {
  const d = await kao(['doctor', '--json'], place.socket, DOCTOR_MS);
  assert.is(d.code, 0, `${name}: doctor exited (${d.code}) within ${DOCTOR_MS} ms\n${d.err}`);
  const pcsc = (JSON.parse(d.out) as { name: string; status: string; detail: string }[]).find((p) => p.name === 'pc/sc');
  assert.is(pcsc?.status, e.pcsc, `${name}: ${pcsc?.detail}`);
  assert.match(pcsc?.detail ?? '', e.detail);
  const s = await kao(['self-test', '--json', '--config', configFor(place)], place.socket, SELF_TEST_MS);
  assert.ok(s.code === 0 || s.code === 1, `${name}: self-test exited (${s.code}) within ${SELF_TEST_MS} ms\n${s.err.slice(-2000)}`);
  const slot = (JSON.parse(s.out) as { checks: { name: string; ok: boolean; detail: string }[] }).checks.find(
    (c) => c.name === 'card-slot',
  );
  assert.is(slot?.ok, e.slot, `${name}: card-slot ${slot?.detail}`);
  assert.match(slot?.detail ?? '', e.slotDetail);
  const v = await kao(['--version'], place.socket, DOCTOR_MS);
  assert.is(v.code, 0);
  process.stdout.write(`  ${name}: doctor ${d.ms} ms, self-test ${s.ms} ms, --version ${v.ms} ms\n`);
}

let place: PcscdPlace;
let pcscd: Pcscd | undefined;

test.before(async () => {
  place = await planPcscd();
});

test.after.each(async () => {
  await pcscd?.stop();
  pcscd = undefined;
});

test('pcscd stopped: doctor says so, self-test fails its card check, both return', async () => {
  await inState('stopped', place, { pcsc: 'missing', detail: /pcscd is not running/, slot: false, slotDetail: /no reader|did not finish/ });
});

test('pcscd running with no reader', async () => {
  pcscd = await startPcscd(place, { vpcdReader: false });
  await inState('no reader', place, { pcsc: 'missing', detail: /sees no reader/, slot: false, slotDetail: /no reader|did not finish/ });
});

test('readers present, no card', async () => {
  pcscd = await startPcscd(place);
  await inState('readers', place, { pcsc: 'ok', detail: /Virtual PCD 00 00(?! \(card)/, slot: true, slotDetail: /no card/ });
});

test('a card inserted', async () => {
  pcscd = await startPcscd(place);
  const bridge = new VpcdBridge({ port: place.vpcdPort });
  bridge.attach((await makeTestCard({ id: 'one-shot' })).card);
  try {
    await bridge.waitConnected(10_000);
    await inState('card', place, {
      pcsc: 'ok',
      detail: /Virtual PCD 00 00 \(card present\)/,
      slot: true,
      slotDetail: /card present \(ATR [0-9a-f]+\)/,
    });
  } finally {
    bridge.close();
  }
});

test.run();
