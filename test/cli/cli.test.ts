/** The CLI as a user runs it: help, doctor on a machine without hardware, clear config errors. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const bin = new URL('../../bin/kaoreader.js', import.meta.url).pathname;
const kao = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NOTIFY_SOCKET: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('--help lists commands; each command has --help', () => {
  const r = kao('--help');
  assert.is(r.code, 0);
  assert.match(r.out, 'run');
  assert.match(r.out, 'doctor');
  const d = kao('doctor', '--help');
  assert.is(d.code, 0);
  assert.match(d.out, 'kaoreader doctor');
});

test('unknown command: one line, exit 2', () => {
  const r = kao('frobnicate');
  assert.is(r.code, 2);
  assert.match(r.err, 'unknown command "frobnicate"');
});

test('doctor prints one line per probe with --json and never crashes without hardware', () => {
  const r = kao('doctor', '--json');
  assert.is(r.code, 0);
  const lines = JSON.parse(r.out) as { name: string; status: string; detail: string }[];
  assert.equal(
    lines.map((l) => l.name),
    ['runtime', 'pc/sc', 'camera', 'framebuffer', 'touch', 'keypad', 'gpio', 'broker'],
  );
  for (const l of lines) assert.ok(l.detail.length > 10, `${l.name} has a useful detail`);
});

test('a wrong config is one clear message with every problem, no stack trace, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-cli-'));
  const f = join(dir, 'bad.yaml');
  writeFileSync(f, 'hardware: { mode: foo }\nlog: { level: loud }\n');
  const r = kao('run', '--config', f);
  assert.is(r.code, 1);
  assert.match(r.err, '/hardware/mode');
  assert.match(r.err, '/log/level');
  assert.not.match(r.err, '    at ');
});

test.run();
