/** PIN pad buffer: CSPRNG shuffles that are permutations and differ between displays, a PIN Buffer that is zeroized. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PinPad, shuffledDigits } from '../../../firmware/core/pin-pad.ts';
import { isPermutationOfDigits } from '../../../firmware/display/layout/templates/pinpad.ts';

test('shuffles are permutations of 0–9 and differ from each other', () => {
  const seen = new Set<string>();
  const firstPos = new Array(10).fill(0) as number[];
  for (let i = 0; i < 2000; i++) {
    const d = shuffledDigits();
    assert.ok(isPermutationOfDigits(d));
    seen.add(d.join(''));
    firstPos[d[0] as number] = (firstPos[d[0] as number] ?? 0) + 1;
  }
  assert.ok(seen.size > 1990, `distinct orders: ${seen.size}`);
  for (const c of firstPos) assert.ok(c > 120 && c < 290, `each digit leads about 1/10 of the time: ${firstPos.join(',')}`);
});

test('PinPad: masked count, take() gives a copy and zeroizes the pad, bad digits ignored', () => {
  const pad = new PinPad(4);
  assert.not.ok(pad.press(10));
  for (const d of [1, 9, 8, 4]) assert.ok(pad.press(d));
  assert.not.ok(pad.press(5), 'full');
  assert.is(pad.entered, 4);
  const pin = pad.take();
  assert.is(pin.toString('ascii'), '1984');
  assert.is(pad.entered, 0);
  pin.fill(0);
  pad.press(7);
  pad.clear();
  assert.is(pad.take().length, 0);
});

test.run();
