/** The console's request bodies: good ones typed, bad ones refused with every problem named. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDrawn, parseKey, parseSetup, parseTouch, RequestError } from '../../../../cli/simulator/console/requests.ts';

const refused = (fn: () => unknown, message: RegExp): void => {
  assert.throws(fn, (e: unknown) => e instanceof RequestError && e.code === 'BAD_REQUEST' && message.test(e.message));
};

test('touch: pixel coordinates only', () => {
  assert.equal(parseTouch({ x: 10, y: 20.5 }), { x: 10, y: 20.5 });
  refused(() => parseTouch({ x: '10', y: 2 }), /pixel coordinates/);
  refused(() => parseTouch({ x: -1, y: 2 }), /pixel coordinates/);
  refused(() => parseTouch([1, 2]), /JSON object/);
});

test('key: digits and the three function keys', () => {
  assert.equal(parseKey({ key: '7' }), { kind: 'digit', digit: 7 });
  assert.equal(parseKey({ key: 'enter' }), { kind: 'enter' });
  refused(() => parseKey({ key: 7 }), /digit 0–9/);
  refused(() => parseKey({ key: '12' }), /digit 0–9/);
});

test('setup: a known patient and card kind, both flags; every problem at once', () => {
  assert.equal(parseSetup({ patient: 'sato-hanako', card: 'expired', registered: false, ePrescription: true }), {
    patient: 'sato-hanako',
    card: 'expired',
    registered: false,
    ePrescription: true,
  });
  refused(
    () => parseSetup({ patient: 'nobody', card: 'bus-pass', registered: 'yes' }),
    /patient must be one of .*card must be one of .*registered must be .*ePrescription must be/,
  );
});

test('frames drawn: integers seq and after, a time; at most 1000', () => {
  assert.equal(parseDrawn({ frames: [{ seq: 3, after: 1, at: 12.5 }] }), [{ seq: 3, after: 1, at: 12.5 }]);
  refused(() => parseDrawn({ frames: [{ seq: 1.5, after: 0, at: 1 }] }), /integers seq and after/);
  refused(() => parseDrawn({ frames: Array.from({ length: 1001 }, () => ({ seq: 1, after: 0, at: 1 })) }), /at most 1000/);
});

test.run();
