import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apduCase, encodeCommand } from '../../../firmware/apdu/command.ts';
import { InvalidCommandError, MalformedResponseError } from '../../../firmware/apdu/errors.ts';
import { decodeResponse, encodeResponse, triesLeftOf } from '../../../firmware/apdu/response.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const d = (h: string): Uint8Array => Buffer.from(h, 'hex');

test('short cases 1-4', () => {
  assert.is(hex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 })), '00200080');
  assert.is(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 })), '00b0000000');
  assert.is(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: d('000a') })), '00a4020c02000a');
  assert.is(hex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: d('0102'), le: 256 })), '802a0080020102' + '00');
});

test('extended cases 2-4', () => {
  assert.is(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 0x1234, extended: true })), '00b00000001234');
  assert.is(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536, extended: true })), '00b00000000000');
  assert.is(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: d('000a'), extended: true })), '00a4020c000002000a');
  assert.is(hex(encodeCommand({ cla: 0, ins: 0x2a, p1: 0, p2: 0, data: d('aa'), le: 512, extended: true })), '002a0000000001aa0200');
});

test('the case comes from the fields, not from a length', () => {
  // A case-3 command whose single data byte looks like an Le stays case 3.
  assert.is(apduCase({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: d('05') }), 3);
  assert.is(hex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: d('05') })), '002000800105');
  assert.is(apduCase({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 5 }), 2);
});

test('out-of-range fields are typed errors', () => {
  assert.throws(
    () => encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0, data: new Uint8Array(0) }),
    (e: unknown) => e instanceof InvalidCommandError,
  );
  assert.throws(
    () => encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0, data: new Uint8Array(256) }),
    (e: unknown) => e instanceof InvalidCommandError,
  );
  assert.throws(
    () => encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 257 }),
    (e: unknown) => e instanceof InvalidCommandError,
  );
  assert.throws(
    () => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 }),
    (e: unknown) => e instanceof InvalidCommandError,
  );
  assert.is(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0, data: new Uint8Array(300), extended: true }).length, 307);
});

test('response decoding', () => {
  const r = decodeResponse(d('0102039000'));
  assert.is(hex(r.data), '010203');
  assert.is(r.sw, 0x9000);
  assert.is(hex(encodeResponse(r)), '0102039000');
  assert.is(triesLeftOf(0x63c2), 2);
  assert.is(triesLeftOf(0x6982), undefined);
  assert.throws(
    () => decodeResponse(d('90')),
    (e: unknown) => e instanceof MalformedResponseError,
  );
});

test.run();
