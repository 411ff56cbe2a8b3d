/**
 * The PC/SC session against a stand-in for the native binding (no .node loaded): the native
 * response buffer is zeroed once copied, the copy handed up holds the answer, and each
 * disconnect disposition reaches SCardDisconnect as its own PC/SC constant.
 */
import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { NativeReader } from '../../../../firmware/platform/pcsc/binding.ts';
import { pcscSession } from '../../../../firmware/platform/pcsc/pcsc-session.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';

// pcsclite's values (winscard.h): SCARD_LEAVE_CARD 0, SCARD_RESET_CARD 1, SCARD_UNPOWER_CARD 2
class NativeStandIn extends EventEmitter {
  readonly name = 'stand-in';
  connected = true;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_STATE_PRESENT = 0x20;
  readonly SCARD_STATE_MUTE = 0x200;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  readonly SCARD_UNPOWER_CARD = 2;
  readonly answers: Buffer[] = [];
  readonly dispositions: number[] = [];
  connect(): void {}
  close(): void {}
  transmit(_data: Buffer, _len: number, _p: number, cb: (err: Error | null | undefined, response: Buffer) => void): void {
    const answer = Buffer.from('4d79206e616d6520696d6167659000', 'hex');
    this.answers.push(answer);
    setImmediate(() => cb(null, answer));
  }
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void {
    this.dispositions.push(disposition);
    this.connected = false;
    setImmediate(() => cb(null));
  }
}

const sessionOn = (native: NativeStandIn) =>
  pcscSession({
    reader: native as unknown as NativeReader,
    protocol: 2,
    atr: new Uint8Array([0x3b]),
    features: { extendedApdu: true, contactless: false },
    clock: systemClock,
    check: () => undefined,
  });

test('the native response buffer is zeroed once copied; the copy holds the answer', async () => {
  const native = new NativeStandIn();
  const r = await sessionOn(native).transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x0d), { timeoutMs: 1000 });
  assert.is(Buffer.from(r).toString('hex'), '4d79206e616d6520696d6167659000');
  assert.is(native.answers.length, 1);
  assert.ok(
    native.answers.every((b) => b.every((x) => x === 0)),
    'native buffer zeroed',
  );
});

test('disconnect passes leave, reset and unpower through as SCARD_LEAVE_CARD / RESET_CARD / UNPOWER_CARD', async () => {
  const seen: number[] = [];
  for (const d of ['leave', 'reset', 'unpower'] as const) {
    const native = new NativeStandIn();
    await sessionOn(native).disconnect(d);
    seen.push(...native.dispositions);
  }
  assert.equal(seen, [0, 1, 2]);
});

test.run();
