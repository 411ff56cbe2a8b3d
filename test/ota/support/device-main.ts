/**
 * The device program the fault-injection tests run as a child process (and restart, and
 * SIGKILL): recover, optionally check for an update, wait for a trial to end, exit.
 * Exit 75 = restart requested (RESTART_EXIT_CODE), 0 = settled, 1 = the release "crashed".
 * The release's `firmware/behaviour.json` says whether it crashes at start or fails its
 * self-test. `--kill-at TYPE[:N]` SIGKILLs this process at the N-th agent event of TYPE.
 *
 * `--state DIR --installer unit`: the hardened layout, every release-side step asked of the
 * installer unit (run this as an unprivileged user that cannot write DIR of --base).
 *
 *   node --import tsx device-main.ts --base DIR --repo URL [--check] [--kill-at verified] [--state DIR --installer unit]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, stderrSink } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { OtaAgent, RESTART_EXIT_CODE } from '../../../ota/agent/agent.ts';
import type { Layout } from '../../../ota/agent/layout.ts';
import { UnitInstaller } from '../../../ota/agent/unit-installer.ts';
import { UpdateLock } from '../../../ota/agent/update-lock.ts';
import type { Behaviour } from './fixture.ts';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    repo: { type: 'string' },
    check: { type: 'boolean' },
    'kill-at': { type: 'string' },
    window: { type: 'string' },
    state: { type: 'string' },
    installer: { type: 'string' },
  },
});
const base = values.base as string;
let behaviour: Behaviour = {};
try {
  behaviour = JSON.parse(readFileSync(join(base, 'current', 'firmware', 'behaviour.json'), 'utf8')) as Behaviour;
} catch {
  behaviour = {};
}
if (behaviour.crash) {
  process.stderr.write('release crashes at start\n');
  process.exit(1);
}
const [killType, killNth] = (values['kill-at'] ?? '').split(':');
let seen = 0;
const unit =
  values.installer === 'unit'
    ? { installer: (l: Layout) => new UnitInstaller(l, { clock: systemClock, arch: 'linux-x64', timeoutMs: 60_000, pollMs: 50 }) }
    : {};
const agent = new OtaAgent({
  base,
  stateDir: values.state ?? join(base, 'state'),
  ...unit,
  repoUrl: values.repo as string,
  arch: 'linux-x64',
  nodeAbi: process.versions.modules,
  clock: systemClock,
  log: createLogger({ sink: stderrSink, level: 'warn' }).child('ota'),
  lock: new UpdateLock(),
  health: () =>
    Promise.resolve(
      behaviour.selfTest === 'fail' ? [{ name: 'camera', ok: false, detail: 'no frames' }] : [{ name: 'camera', ok: true, detail: 'ok' }],
    ),
  restart: () => process.exit(RESTART_EXIT_CODE),
  healthWindowMs: Number(values.window ?? 50),
  fetchTimeoutMs: 5000,
});
agent.on((e) => {
  process.stdout.write(`${JSON.stringify(e)}\n`);
  if (e.type === killType && ++seen >= Number(killNth ?? 1)) process.kill(process.pid, 'SIGKILL');
});
await agent.start(new AbortController().signal);
if (values.check) await agent.checkForUpdate({ source: 'test' });
for (let i = 0; i < 500 && (await agent.status()).trial; i++) await new Promise((r) => setTimeout(r, 20));
await agent.stop();
process.exit(0);
