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

function environment(): Map<string, string> {
  const env = new Map<string, string>();
  for (const m of unit.matchAll(/^Environment=(.*)$/gm)) {
    for (const pair of (m[1] ?? '').split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return env;
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

test('the daemon runs on jemalloc with 2 arenas (glibc with 2 arenas as the fallback): RSS levels off in a soak', () => {
  const env = environment();
  assert.is(env.get('LD_PRELOAD'), 'libjemalloc.so.2');
  assert.is(env.get('MALLOC_ARENA_MAX'), '2');
  assert.is(env.get('MALLOC_CONF'), 'narenas:2');
  const start = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  for (const v of ['LD_PRELOAD=libjemalloc.so.2', 'MALLOC_ARENA_MAX=2', 'MALLOC_CONF=narenas:2']) assert.ok(start.includes(v), `npm start runs the daemon as the unit does (${v})`);
  const setup = readFileSync(new URL('../../../scripts/setup.sh', import.meta.url), 'utf8');
  assert.match(setup, /\blibjemalloc2\b/, 'scripts/setup.sh installs the library the unit preloads');
});

test('systemd-analyze verify accepts the unit (when systemd-analyze is installed)', () => {
  const which = spawnSync('sh', ['-c', 'command -v systemd-analyze']);
  if (which.status !== 0) return;
  const r = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.status, 0, r.stderr);
});

test.run();
