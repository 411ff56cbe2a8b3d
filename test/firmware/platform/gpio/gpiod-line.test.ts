/**
 * Outputs on the GPIO character device through libgpiod's gpioset, with stand-in gpioset and
 * gpiofind on PATH (no GPIO chip here): each holds its line like the real tool (until a signal)
 * and logs its arguments, so the driver's process handling is exercised for real.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeviceUnavailableError } from '../../../../firmware/core/errors.ts';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { GpiodLine, resolveGpiodLine } from '../../../../firmware/platform/gpio/gpiod-line.ts';

const log = createLogger({ sink: new MemorySink(), level: 'error' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A bin folder with gpioset (libgpiod `version`) and gpiofind; returns it and the log file. */
function tools(version: '1.6.3' | '2.1'): { bin: string; log: string } {
  const bin = mkdtempSync(join(tmpdir(), 'kao-gpiod-'));
  const logFile = join(bin, 'calls.log');
  writeFileSync(logFile, '');
  writeFileSync(
    join(bin, 'gpioset'),
    `#!/bin/sh
if [ "$1" = "--version" ]; then echo "gpioset (libgpiod) v${version}"; exit 0; fi
case " $* " in *" --mode=exit "*|*" --toggle 0 "*) echo "once $*" >> "${logFile}"; exit 0;; esac
echo "start $$ $*" >> "${logFile}"
trap 'echo "stop $$" >> "${logFile}"; exit 0' TERM INT
while :; do sleep 0.05; done
`,
  );
  writeFileSync(
    join(bin, 'gpiofind'),
    `#!/bin/sh
[ "$1" = "GPIO17" ] && { echo "gpiochip0 17"; exit 0; }
exit 1
`,
  );
  chmodSync(join(bin, 'gpioset'), 0o755);
  chmodSync(join(bin, 'gpiofind'), 0o755);
  return { bin, log: logFile };
}

async function withPath<T>(bin: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env['PATH'];
  process.env['PATH'] = `${bin}:${old ?? ''}`;
  try {
    return await fn();
  } finally {
    process.env['PATH'] = old;
  }
}

const calls = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
/** Waits (bounded: 5 s) until the stand-in gpioset has logged `count` starts: a shell may take a while to start on a loaded machine. */
async function started(file: string, count: number): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (calls(file).filter((l) => l.startsWith('start')).length >= count) return;
    await sleep(20);
  }
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('libgpiod 1.x: the line found by name is held by one gpioset per value; close stops it, sets the line low once and leaves no process', async () => {
  const t = tools('1.6.3');
  await withPath(t.bin, async () => {
    const line = new GpiodLine('GPIO17', await resolveGpiodLine('GPIO17'), log);
    line.set(true);
    await started(t.log, 1);
    line.set(true);
    await sleep(100);
    line.set(false);
    await started(t.log, 2);
    await line.close();
    await sleep(100);
  });
  const c = calls(t.log);
  const starts = c.filter((l) => l.startsWith('start'));
  assert.equal(
    starts.map((l) => l.split(' ').slice(2).join(' ')),
    ['--mode=signal gpiochip0 17=1', '--mode=signal gpiochip0 17=0'],
    'the same value is not requested twice; close keeps the last low',
  );
  const pids = starts.map((l) => Number(l.split(' ')[1]));
  for (const pid of pids) assert.ok(c.includes(`stop ${pid}`), `gpioset ${pid} was stopped`);
  assert.not.ok(pids.some(alive));
  assert.equal(c.at(-1), 'once --mode=exit gpiochip0 17=0', 'close sets the line low with a gpioset that exits, after the holder stopped');
});

test('libgpiod 2.x: gpioset takes the line name and holds by default', async () => {
  const t = tools('2.1');
  await withPath(t.bin, async () => {
    const line = new GpiodLine('GPIO17', await resolveGpiodLine('GPIO17'), log);
    line.set(true);
    await started(t.log, 1);
    await line.close();
  });
  const c = calls(t.log);
  assert.equal(
    c.filter((l) => l.startsWith('start')).map((l) => l.split(' ').slice(2).join(' ')),
    ['GPIO17=1'],
  );
  assert.equal(c.at(-1), 'once --toggle 0 GPIO17=0', 'close: one gpioset sets the line low and exits');
});

test('an unknown line name or a missing gpioset is a DeviceUnavailableError with the fix', async () => {
  const t = tools('1.6.3');
  await withPath(t.bin, async () => {
    const err = await resolveGpiodLine('GPIO99').catch((e: unknown) => e);
    assert.instance(err, DeviceUnavailableError);
  });
  const err = await resolveGpiodLine('GPIO17', () =>
    Promise.reject(Object.assign(new Error('spawn gpioset ENOENT'), { code: 'ENOENT' })),
  ).catch((e: unknown) => e);
  assert.instance(err, DeviceUnavailableError);
  assert.match((err as Error).message, /gpiod/);
});

test.run();
