/**
 * The arm64 release, verified on this x86 machine under qemu-user (Debian qemu-user-static,
 * installed by setup): `kaoreader release build --arch linux-arm64` (addons cross-built), the
 * tarball installed as the device agent installs it (every file's hash checked), then its own
 * arm64 Node runs, emulated:
 *   doctor     every native addon of the manifest loads (pcsclite, rpio, node-hid, onnxruntime,
 *              sharp), pcscd's readers are seen (a private pcscd with vpcd on the host)
 *   sim visit  one visit, the card through the host's pcscd and vpcd: the chip photo enrolled and
 *              camera frames analysed by the three face models on onnxruntime's arm64 build;
 *              a face analysis takes 10–20 s emulated (~0.1 s native), so no live face can pass
 *              its liveness challenge there: the face attempt runs out, the visit ends by PIN
 *   self-test  the release's own self-test (card slot, camera frame, the face models on the test
 *              photo, display write, storage)
 * The release is also checked to be compiled JavaScript only (no tsx, esbuild or TypeScript).
 * Time limits are for emulation; the times printed are emulated, never Pi timings. One visit.
 * test-timeout: 1200 s (a release build from nothing, then emulation on a shared machine)
 * test-lane: own (one emulation process at a time with its private pcscd: it runs beside the other
 * itests, started first, so `npm test` is not longer by the whole of it)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installRelease } from '../../../ota/agent/install.ts';
import { readManifestFromTarball } from '../../../ota/release/read-manifest.ts';
import { startPcscd, type Pcscd } from '../../../hardware-sim/card/pcscd-process.ts';

const repo = new URL('../../../', import.meta.url).pathname;
const QEMU = '/usr/bin/qemu-aarch64-static';
const work = mkdtempSync(join(tmpdir(), 'kao-arm64-'));
let rel = '';
/** Budgets for emulation (a face analysis takes 10–20 s there). */
const emulated = join(work, 'emulated.yaml');
let pcscd: Pcscd | undefined;

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  readonly s: number;
}

function run(cmd: string, args: readonly string[], o: { cwd: string; boundMs: number; env?: Record<string, string> }): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd: o.cwd, env: { ...process.env, NOTIFY_SOCKET: '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    c.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => c.kill('SIGKILL'), o.boundMs);
    c.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, s: Math.round((Date.now() - t0) / 100) / 10 });
    });
  });
}

/** The release's own node, emulated. */
const arm64 = (args: readonly string[], boundMs: number, env: Record<string, string> = {}): Promise<Run> =>
  run(QEMU, [join(rel, 'runtime', 'bin', 'node'), join(rel, 'bin', 'kaoreader.js'), ...args], { cwd: rel, boundMs, env });

test.before(async () => {
  assert.ok(existsSync(QEMU), `${QEMU} is missing: scripts/setup.sh installs qemu-user-static`);
  const b = await run(
    process.execPath,
    [join(repo, 'bin', 'kaoreader.js'), 'release', 'build', '--arch', 'linux-arm64', '--out', join(work, 'out'), '--level', '1'],
    { cwd: repo, boundMs: 15 * 60_000 },
  );
  assert.is(b.code, 0, `release build: ${b.err.slice(-3000)}`);
  const summary = JSON.parse(b.out) as { file: string; missing: string[]; runtime: { node: string; arch: string; path: string } };
  assert.equal(summary.missing, []);
  assert.equal(
    summary.runtime,
    { node: process.versions.node, arch: 'linux-arm64', path: 'runtime/bin/node' },
    'releases ship the Node the tests run on',
  );
  const manifest = await readManifestFromTarball(summary.file);
  await installRelease(summary.file, work, { version: manifest.version, arch: 'linux-arm64', nodeAbi: manifest.nodeAbi });
  rel = join(work, manifest.version);
  process.stdout.write(`  release build ${b.s} s (this machine, cached addons and packages when present)\n`);
  writeFileSync(emulated, 'face:\n  budgetMs: 30000\n  enrolBudgetMs: 300000\nota:\n  selfTest:\n    deadlineMs: 300000\n');
  pcscd = await startPcscd();
});

test.after(async () => {
  await pcscd?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("doctor on arm64: every native addon loads, pcscd's readers are seen", async () => {
  const r = await arm64(['doctor', '--json'], 180_000);
  assert.is(r.code, 0, r.err.slice(-2000));
  const probes = JSON.parse(r.out) as { name: string; status: string; detail: string }[];
  const runtime = probes.find((p) => p.name === 'runtime');
  assert.is(runtime?.status, 'ok', runtime?.detail);
  assert.match(runtime?.detail ?? '', /linux-arm64 \(ABI \d+\), release/);
  for (const addon of ['pcsclite', 'rpio', 'node-hid', 'onnxruntime-node', '@img/sharp-linux-arm64', 'better-sqlite3'])
    assert.ok(runtime?.detail.includes(addon), `${addon} loads`);
  const pcsc = probes.find((p) => p.name === 'pc/sc');
  assert.is(pcsc?.status, 'ok', pcsc?.detail);
  process.stdout.write(`  doctor ${r.s} s (emulated)\n`);
});

test('the release is compiled JavaScript on its own runtime: no TypeScript, tsx or esbuild', async () => {
  const m = JSON.parse(readFileSync(join(rel, 'manifest.json'), 'utf8')) as { files: Record<string, unknown>; entry: string };
  const files = Object.keys(m.files);
  assert.is(m.entry, 'bin/kaoreader.js');
  assert.match(readFileSync(join(rel, m.entry), 'utf8'), /import '\.\.\/cli\/main\.js';/);
  assert.equal(
    files.filter((f) => /\.[cm]?ts$/.test(f)),
    [],
  );
  assert.equal(
    files.filter((f) => /^node_modules\/(tsx|esbuild|@esbuild|typescript)\//.test(f)),
    [],
  );
  assert.ok(files.includes('runtime/bin/node'));
});

test("one visit on arm64: the card through the host's pcscd, the face models on onnxruntime arm64, PIN", async () => {
  const r = await arm64(
    [
      'sim',
      'visit',
      '--json',
      '--verbose',
      '--patience',
      '20',
      '--scenario',
      join(repo, 'test', 'ota', 'release', 'arm64-visit.yaml'),
      '--vpcd',
      `127.0.0.1:${pcscd?.vpcdPort ?? 0}`,
      '--config',
      emulated,
    ],
    15 * 60_000,
  );
  let report:
    { passed: number; scenarios: { screens: string[]; problems: string[]; result?: { method?: string; outcome?: string } }[] } | undefined;
  try {
    report = JSON.parse(r.out) as typeof report;
  } catch {
    report = undefined; // no report at all: the assertion below shows the process's own output
  }
  const said = report
    ? `problems: ${report.scenarios.flatMap((s) => s.problems).join('\n  ')}\nscreens: ${report.scenarios[0]?.screens.join(' → ') ?? ''}`
    : r.out.slice(-3000);
  const warnings = r.err
    .split('\n')
    .filter((l) => /"level":"(warn|error)"|"audit":"face/.test(l))
    .map((l) => l.slice(0, 400));
  assert.is(r.code, 0, `${said}\nwarnings and face audit:\n${warnings.slice(-25).join('\n')}`);
  assert.is(report?.passed, 1);
  const screens = report?.scenarios[0]?.screens ?? [];
  assert.ok(
    screens.includes('face') && screens.includes('face-failed'),
    `the chip photo was enrolled (the face screen follows the enrolment): ${screens.join(' → ')}`,
  );
  assert.equal(report?.scenarios[0]?.result?.outcome, 'accepted');
  process.stdout.write(`  visit ${r.s} s (emulated)\n`);
});

test("the release's own self-test passes on arm64", async () => {
  const r = await arm64(['self-test', '--json', '--config', emulated], 10 * 60_000);
  assert.is(r.code, 0, `${r.out.slice(-3000)}\n${r.err.slice(-2000)}`);
  const report = JSON.parse(r.out) as { passed: boolean; checks: { name: string; ok: boolean }[] };
  assert.ok(report.passed);
  for (const name of ['card-slot', 'camera', 'face-models', 'display', 'storage'])
    assert.ok(report.checks.find((c) => c.name === name)?.ok, name);
  process.stdout.write(`  self-test ${r.s} s (emulated)\n`);
});

test.run();
