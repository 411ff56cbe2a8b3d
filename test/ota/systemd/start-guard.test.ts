/** ota/systemd/start-guard.sh on its own: counts trial starts, skips intentional restarts, rolls back after N. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const GUARD = new URL('../../../ota/systemd/start-guard.sh', import.meta.url).pathname;

/** BASE (the release side) with the daemon's state folder at BASE/state (on a device: /var/lib/kaoreader). */
function device(): string {
  const base = mkdtempSync(join(tmpdir(), 'kao-guard-'));
  mkdirSync(join(base, 'releases', '1.0.0'), { recursive: true });
  mkdirSync(join(base, 'releases', '1.1.0'), { recursive: true });
  mkdirSync(join(base, 'ota'), { recursive: true });
  mkdirSync(join(base, 'state', 'ota'), { recursive: true });
  symlinkSync('releases/1.1.0', join(base, 'current'));
  writeFileSync(join(base, 'ota', 'trial'), '1.1.0 1.0.0 0\n');
  return base;
}
const guard = (base: string): number | null => spawnSync('/bin/sh', [GUARD, base, '3', join(base, 'state')]).status;
const trial = (base: string): string => readFileSync(join(base, 'ota', 'trial'), 'utf8').trim();

test('each start of the trial release counts; the fourth start rolls back and leaves a note', () => {
  const base = device();
  for (const n of [1, 2, 3]) {
    assert.is(guard(base), 0);
    assert.is(trial(base), `1.1.0 1.0.0 ${n}`);
  }
  assert.is(guard(base), 0);
  assert.is(readlinkSync(join(base, 'current')), 'releases/1.0.0');
  assert.is(existsSync(join(base, 'ota', 'trial')), false);
  assert.is(readFileSync(join(base, 'ota', 'rollback'), 'utf8'), '1.1.0 crash-at-start: 3 failed starts\n');
  assert.is(existsSync(join(base, '.current.tmp')), false);
});

test('an intentional restart is not counted (marker consumed); a stale trial is ignored', () => {
  const base = device();
  assert.is(guard(base), 0);
  writeFileSync(join(base, 'state', 'ota', 'restart-intentional'), '1\n');
  assert.is(guard(base), 0);
  assert.is(trial(base), '1.1.0 1.0.0 1');
  assert.is(existsSync(join(base, 'state', 'ota', 'restart-intentional')), false);
  writeFileSync(join(base, 'ota', 'trial'), '1.2.0 1.1.0 0\n');
  assert.is(guard(base), 0);
  assert.is(trial(base), '1.2.0 1.1.0 0', 'current is not the trial release: nothing counted');
});

test('no state at all (first boot) is fine; the state folder must be named', () => {
  const base = mkdtempSync(join(tmpdir(), 'kao-guard-'));
  assert.is(guard(base), 0);
  assert.is.not(spawnSync('/bin/sh', [GUARD, base, '3']).status, 0, 'no STATE_DIR: refused, not guessed');
});

test("trial and rollback in BASE/ota, the intent marker in the daemon's state folder elsewhere (/var/lib/kaoreader)", () => {
  const base = mkdtempSync(join(tmpdir(), 'kao-guard-'));
  const state = mkdtempSync(join(tmpdir(), 'kao-guard-state-'));
  mkdirSync(join(base, 'releases', '1.0.0'), { recursive: true });
  mkdirSync(join(base, 'releases', '1.1.0'), { recursive: true });
  mkdirSync(join(base, 'ota'));
  mkdirSync(join(state, 'ota'));
  symlinkSync('releases/1.1.0', join(base, 'current'));
  writeFileSync(join(base, 'ota', 'trial'), '1.1.0 1.0.0 3\n');
  writeFileSync(join(state, 'ota', 'restart-intentional'), '1\n');
  const run = (): number | null => spawnSync('/bin/sh', [GUARD, base, '3', state]).status;
  assert.is(run(), 0);
  assert.is(existsSync(join(state, 'ota', 'restart-intentional')), false, 'marker consumed, start not counted');
  assert.is(readFileSync(join(base, 'ota', 'trial'), 'utf8'), '1.1.0 1.0.0 3\n');
  assert.is(run(), 0);
  assert.is(readlinkSync(join(base, 'current')), 'releases/1.0.0');
  assert.match(readFileSync(join(base, 'ota', 'rollback'), 'utf8'), /^1\.1\.0 crash-at-start/);
});

test('a trial file naming anything but MAJOR.MINOR.PATCH never moves current', () => {
  for (const bad of ['1.1.0 ../../../var/lib/kaoreader 9', '1.1.0 1.0.0/../../x 9', '../x 1.0.0 9']) {
    const base = device();
    writeFileSync(join(base, 'ota', 'trial'), `${bad}\n`);
    assert.is(guard(base), 0);
    assert.is(readlinkSync(join(base, 'current')), 'releases/1.1.0', bad);
    assert.is(existsSync(join(base, 'ota', 'rollback')), false);
  }
});

test.run();
