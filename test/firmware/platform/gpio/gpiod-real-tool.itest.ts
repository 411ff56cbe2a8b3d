/**
 * The arguments GpiodLine gives gpioset, checked by the real tool (Debian 12's and Raspberry Pi
 * OS bookworm's libgpiod 1.6.3), not by our reading of its manual: this machine has no GPIO
 * chip, so gpioset parses what it is given and then fails to open the chip. An argument it does
 * not take fails earlier, with a usage error ("unrecognized option", "invalid mode"…). libgpiod
 * 2.x (Debian 13) is not installable beside 1.x here; its arguments rest on its manual.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeviceUnavailableError } from '../../../../firmware/core/errors.ts';
import { resolveGpiodLine, type Run } from '../../../../firmware/platform/gpio/gpiod-line.ts';

/** The tool's exit code and stderr. */
const runTool = (cmd: string, args: readonly string[]): Promise<{ code: number; stderr: string }> =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5_000 }, (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }));
  });

const real: Run = (cmd, args) =>
  new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 5_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });

/**
 * The real tools, except that gpiofind finds GPIO17 on a chip no machine has (a path that does
 * not exist), so that on a Pi too the test parses arguments and drives no real pin.
 */
const onPi: Run = (cmd, args) =>
  cmd === 'gpiofind' && args[0] === 'GPIO17' ? Promise.resolve('/nonexistent/kaoreader-no-chip 17\n') : real(cmd, args);

/** Only an error from opening or using the chip: the arguments were all taken. */
const PAST_PARSING = /error setting the GPIO line values|unable to open chip|error opening/;

test('the real gpioset --version is read as libgpiod 1.x: the line is then looked up with the real gpiofind', async () => {
  const found = await resolveGpiodLine('GPIO17', real).then(
    (tools) => tools.args(1),
    (e: unknown) => e,
  );
  if (existsSync('/dev/gpiochip0')) {
    // A Pi: the line is found on a chip and held the 1.x way.
    assert.ok(Array.isArray(found), String(found));
    assert.is((found as string[])[0], '--mode=signal');
  } else {
    // No chip here: the lookup fails with the fix named.
    assert.instance(found, DeviceUnavailableError);
    assert.match((found as Error).message, /no GPIO chip names a line so/);
  }
});

test('the real gpioset takes every argument list GpiodLine gives it (holding either value, setting low once on close)', async () => {
  const tools = await resolveGpiodLine('GPIO17', onPi);
  for (const args of [tools.args(1), tools.args(0), tools.once(0), tools.once(1)]) {
    const r = await runTool('gpioset', args);
    assert.is.not(r.code, 0, `no chip here: gpioset ${args.join(' ')} cannot succeed`);
    assert.match(r.stderr, PAST_PARSING, `gpioset ${args.join(' ')}: ${r.stderr.trim()}`);
  }
});

test('the check can fail: arguments the real gpioset does not take are told apart', async () => {
  for (const args of [
    ['--toggle', '0', 'GPIO17=0'],
    ['--mode=hold', 'gpiochip0', '17=1'],
    ['gpiochip0', '17=on'],
  ]) {
    const r = await runTool('gpioset', args);
    assert.not.match(r.stderr, PAST_PARSING, args.join(' '));
  }
});

test.run();
