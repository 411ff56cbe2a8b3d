/**
 * The staff password end to end (issue #14 finding 6): one store and one policy. Facility IT
 * sets it with the `kaoreader staff-password` CLI (a real child process reading stdin, the
 * reader's configured state directory), a staff member unlocks staff mode with it on the
 * reader's pad (the physical keypad, through the real visit, ScreenUi and the daemon); then the
 * facility changes it by a signed command over the real broker, carrying only the hash; the old
 * password stops working and the new one unlocks staff mode. What the policy refuses changes
 * nothing.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultConfig } from '../../firmware/config/load.ts';
import { MemorySink, createLogger } from '../../firmware/core/logger.ts';
import { hashStaffPassword } from '../../firmware/core/staff-password-hash.ts';
import { Daemon } from '../../firmware/daemon/daemon.ts';
import { systemdNotifier } from '../../firmware/daemon/sd-notify.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { ReaderRig } from '../../cli/simulator/reader-rig.ts';
import { SimReader } from '../../cli/simulator/sim-reader.ts';
import { createSimWorld } from '../../cli/simulator/world.ts';
import { tmp } from '../firmware/facility/link/helpers.ts';

const bin = new URL('../../bin/kaoreader.js', import.meta.url).pathname;

function staffPasswordCli(configFile: string, stdin: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'staff-password', '--config', configFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

test('set by the CLI, unlocks staff mode on the pad; changed by a signed facility command; the old one stops working', async () => {
  const root = tmp('kao-staff-e2e-');
  const sink = new MemorySink(5_000);
  const world = await createSimWorld({
    clock: systemClock,
    log: createLogger({ sink, level: 'info' }),
    auditSink: sink,
    dir: join(root, 'world'),
  });
  const readerId = 'sim-staff-e2e';
  const stateDir = join(world.dir, readerId);
  const configFile = join(root, 'kaoreader.json');
  writeFileSync(configFile, JSON.stringify({ reader: { stateDir } }));
  try {
    const refused = await staffPasswordCli(configFile, 'letters-and-8\n');
    assert.is(refused.code, 1, refused.out);
    assert.match(refused.out, '8–16 digits');
    const set = await staffPasswordCli(configFile, '24681357\n');
    assert.is(set.code, 0, set.out);

    const reader = await SimReader.create(world, {
      readerId,
      patient: 'suzuki-aiko',
      card: 'patient',
      facility: { registered: true, ePrescription: false, reachable: true },
      visit: defaultConfig().visit,
    });
    const daemon = new Daemon({
      services: reader.services,
      notifier: systemdNotifier({}),
      clock: world.clock,
      log: world.log.child('daemon'),
    });
    const stop = new AbortController();
    const running = daemon.run(stop.signal);
    const rig = new ReaderRig(reader);
    try {
      await rig.waitForScreen('idle', 15_000);
      // two wrong PINs, then the last-try warning offers staff help
      await rig.insertCard();
      await rig.waitForScreen('method', 15_000);
      await rig.tap('pin');
      for (const wrong of ['0000', '0001']) {
        await rig.waitForScreen('pin', 10_000);
        await rig.pin(wrong);
      }
      await rig.waitForScreen('pin-warning-last-try', 10_000);
      await rig.tap('staff');
      await rig.waitForScreen('staff-password', 10_000);
      await rig.password('24681357'); // on the physical keypad, Enter submits
      await rig.waitForScreen('staff-check', 30_000);
      await rig.pullCard();
      await rig.waitForScreen('idle', 15_000);

      // the facility changes it: a signed command carrying only the scrypt hash
      const sim = reader.facility.simulator;
      assert.ok(sim);
      const hash = await hashStaffPassword(new Uint8Array(Buffer.from('1122334455')), 1 << 14);
      const reply = await sim.command(readerId, { command: 'set-staff-password', args: { hash } });
      assert.ok(reply.ok, JSON.stringify(reply.error));

      await rig.insertCard();
      await rig.waitForScreen('method', 15_000);
      await rig.tap('pin');
      await rig.waitForScreen('pin-warning-last-try', 10_000);
      await rig.tap('staff');
      await rig.waitForScreen('staff-password', 10_000);
      await rig.password('24681357');
      await rig.waitForScreen('staff-password', 10_000); // marked wrong: the CLI's password was replaced
      await rig.password('1122334455');
      await rig.waitForScreen('staff-check', 30_000);
      await rig.pullCard();
      await rig.waitForScreen('idle', 15_000);
    } finally {
      stop.abort();
      await running;
      await reader.close();
    }
    const stored = readdirSync(join(stateDir, 'store'))
      .map((f) => readFileSync(join(stateDir, 'store', f), 'utf8'))
      .join('\n');
    for (const secret of ['24681357', '1122334455']) {
      assert.not.match(stored, secret, 'only hashes on disk');
      assert.not.match(sink.lines.join('\n'), secret, 'never in a log');
    }
  } finally {
    await world.close();
  }
});

test.run();
