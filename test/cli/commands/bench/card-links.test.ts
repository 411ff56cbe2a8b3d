/**
 * The link model against numbers worked out by hand from ISO/IEC 7816-3 (T=1) and ISO/IEC 14443
 * Type B: one short exchange, one that chains, and the ATR the card really answers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contactlessTypeB, contactT1, linkTime, t1Parameters } from '../../../../cli/commands/bench/card-links.ts';

const ATR = Uint8Array.from([0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14]);
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 0.05, `${what}: ${a} vs ${b}`);

test('the My Number Card ATR: default Fi/Di (no TA1), IFSC 254 (TA3 = FE), 11-etu characters (TC1 = FF)', () => {
  assert.equal(t1Parameters(ATR), { fi: 372, di: 1, ifsc: 254, cgtEtu: 11 });
  assert.is(contactT1(ATR).bitRate, 9600);
});

test('T=1, one block each way: (5 + 4) + (34 + 4) characters of 11 etu, two turnarounds of 11 etu more', () => {
  const etuMs = (372 / 3.5712e6) * 1000;
  const t = linkTime(contactT1(ATR), [{ command: 5, response: 34 }]);
  close(t.ms, ((9 + 38) * 11 + 2 * 11) * etuMs, 'time');
  close(t.limitMs, ((39 * 8) / 9600) * 1000, 'limit');
  close(t.ratio, t.ms / t.limitMs, 'ratio');
  assert.ok(t.ratio > 11 / 8, 'never better than 11 etu per 8 bits');
});

test('T=1 chaining: a 300-byte response is two blocks (254 + 46) and one R-block from the reader', () => {
  const etuMs = (372 / 3.5712e6) * 1000;
  const t = linkTime(contactT1(ATR), [{ command: 5, response: 300 }]);
  const chars = 5 + 4 + (300 + 2 * 4) + 4;
  close(t.ms, (chars * 11 + 4 * 11) * etuMs, 'time');
});

test('Type B 106 kbit/s: SOF 12 + 10 per byte + EOF 10 etu per frame, TR0 + TR1 before the card, 10 etu after it', () => {
  const etu = 128 / 13.56e6;
  const t = linkTime(contactlessTypeB(106), [{ command: 5, response: 34 }]);
  const expected = (12 + 10 * 8 + 10 + (12 + 10 * 37 + 10) + 10) * etu + 144 / 847_500;
  close(t.ms, expected * 1000, 'time');
  close(t.limitMs, 39 * 8 * etu * 1000, 'limit');
});

test('Type B at 848 kbit/s: frames 8× shorter, the fixed card turnaround is not', () => {
  const a = [{ command: 5, response: 34 }];
  const turnaroundMs = (144 / 847_500) * 1000;
  close((contactlessTypeB(848).time(a) - turnaroundMs) * 8, contactlessTypeB(106).time(a) - turnaroundMs, 'the bit-time part scales by 8');
  assert.ok(
    linkTime(contactlessTypeB(848), a).ratio > linkTime(contactlessTypeB(106), a).ratio,
    'so the ratio to the limit grows with the rate',
  );
});

test.run();
