/** The systemd unit: the settings the OTA design relies on, and `systemd-analyze verify` when present. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const unitPath = new URL('../../../ota/systemd/kaoreader.service', import.meta.url).pathname;
const unit = readFileSync(unitPath, 'utf8');

function setting(key: string): string | undefined {
  return new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
}

test('notify, watchdog, restart on failure, intentional-restart status, guard before start', () => {
  assert.is(setting('Type'), 'notify');
  assert.is(setting('NotifyAccess'), 'all');
  assert.ok(Number(setting('WatchdogSec')) > 0);
  assert.is(setting('Restart'), 'on-failure');
  assert.is(setting('RestartForceExitStatus'), '75');
  assert.match(setting('ExecStartPre') ?? '', /kaoreader-start-guard \/opt\/kaoreader 3$/);
  assert.ok(Number(setting('StartLimitBurst')) > 3, 'systemd must not give up before the guard rolls back');
});

test('systemd-analyze verify accepts the unit (when systemd-analyze is installed)', () => {
  const which = spawnSync('sh', ['-c', 'command -v systemd-analyze']);
  if (which.status !== 0) return;
  const r = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.status, 0, r.stderr);
});

test.run();
