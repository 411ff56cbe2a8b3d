import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileStore } from '../../../firmware/platform/file-store.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { StaffPassword, StaffPasswordPolicyError } from '../../../firmware/visit/staff-password.ts';

const pw = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const opts = { cost: 1 << 12, maxFailures: 3, lockoutMs: 60_000 };

test('unset until facility IT sets one; stored as a salted scrypt hash, never the password', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kao-staff-'));
  try {
    const staff = new StaffPassword(new FileStore(dir), systemClock, opts);
    assert.is(await staff.check(pw('00000000')), 'unset');
    await staff.set(pw('2468013579'));
    assert.is(await staff.check(pw('2468013579')), 'ok');
    assert.is(await staff.check(pw('246801357')), 'wrong');
    const files = await readdir(dir);
    const text = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
    assert.not.ok(text.includes('2468013579'));
    const stored = JSON.parse(await readFile(join(dir, 'staff-password.json'), 'utf8')) as {
      alg: string;
      N: number;
      salt: string;
      hash: string;
    };
    assert.is(stored.alg, 'scrypt');
    assert.is(stored.N, 1 << 12);
    assert.is(Buffer.from(stored.hash, 'base64').length, 32);
    assert.is(Buffer.from(stored.salt, 'base64').length, 16);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rate limited: locked after maxFailures even for the right password, persisted, unlocks after lockoutMs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kao-staff-'));
  const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
  try {
    const store = new FileStore(dir);
    const staff = new StaffPassword(store, systemClock, opts);
    await staff.set(pw('31415926'));
    assert.is(await staff.check(pw('11111111')), 'wrong');
    assert.is(await staff.check(pw('22222222')), 'wrong');
    assert.is(await staff.check(pw('33333333')), 'locked');
    const restarted = new StaffPassword(store, systemClock, opts);
    assert.is(await restarted.check(pw('31415926')), 'locked', 'a restart does not reset the lock');
    clock.tick(60_001);
    assert.is(await restarted.check(pw('31415926')), 'ok');
  } finally {
    clock.restore();
    await rm(dir, { recursive: true, force: true });
  }
});

test('changeable; the old password stops working; too short refused with a typed error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kao-staff-'));
  try {
    const staff = new StaffPassword(new FileStore(dir), systemClock, opts);
    await staff.set(pw('10000001'));
    await staff.set(pw('20000002'));
    assert.is(await staff.check(pw('10000001')), 'wrong');
    assert.is(await staff.check(pw('20000002')), 'ok');
    try {
      await staff.set(pw('1234567'));
      assert.unreachable();
    } catch (err) {
      assert.instance(err, StaffPasswordPolicyError);
      assert.is((err as StaffPasswordPolicyError).code, 'STAFF_PASSWORD_POLICY');
    }
    for (const bad of ['12345678901234567', 'abcdefgh', '1234 5678', '１２３４５６７８']) {
      try {
        await staff.set(pw(bad));
        assert.unreachable(`accepted a ${bad.length}-character password outside the policy`);
      } catch (err) {
        assert.instance(err, StaffPasswordPolicyError);
        assert.not.match((err as Error).message, bad, 'the refused password is not echoed');
      }
    }
    assert.is(await staff.check(pw('20000002')), 'ok', 'refused passwords changed nothing');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
