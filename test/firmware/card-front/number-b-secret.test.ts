/**
 * 照合番号B from the OCR to the VERIFY (issue #14 finding 11): it leaves the reader as bytes (no
 * string that could not be wiped), the card-front adapter hands on those very bytes (no copy),
 * so wiping them after the VERIFY wipes the only copy; the security code the OCR read is wiped;
 * no refusal carries the birth date or the number.
 */
import sinon from 'sinon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CardFrontReader, type CardFrontRead } from '../../../firmware/card-front/card-front-reader.ts';
import { UnreadableCardFrontError } from '../../../firmware/card-front/errors.ts';
import { redact } from '../../../firmware/core/logger.ts';
import type { Clock } from '../../../firmware/ports/clock.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { OcrCardFront } from '../../../firmware/visit/adapters/card-front.ts';
import type { CardPrint } from '../../../hardware-sim/card-front/card-svg.ts';
import { SimCardFrontScanner } from '../../../hardware-sim/card-front/sim-card-front-scanner.ts';

const clock: Clock = { ...systemClock, now: () => Date.UTC(2026, 10, 24, 3) };
const card: CardPrint = {
  nameKanji: '佐藤 花子',
  address: '東京都千代田区霞が関',
  sex: '女',
  birth: { era: 'showa', eraYear: 55, month: 2, day: 17 },
  expiry: { year: 2035, month: 2, day: 17 },
  securityCode: '2285',
};
/** The expected number, kept as bytes in the test too. */
const expected = Uint8Array.from([0x35, 0x35, 0x30, 0x32, 0x31, 0x37, 0x32, 0x30, 0x33, 0x35, 0x32, 0x32, 0x38, 0x35]);
let reader: CardFrontReader;
test.before(async () => {
  reader = await CardFrontReader.create({ clock });
});

test('the OCR returns 照合番号B as bytes; the adapter hands on the same bytes, so one wipe clears the only copy', async () => {
  const scanner = new SimCardFrontScanner({ seed: 7 });
  scanner.place(card);
  const spy = sinon.spy(reader, 'readYielding');
  try {
    const b = await new OcrCardFront(scanner, reader).readVerificationNumberB(new AbortController().signal);
    const produced = (await spy.firstCall.returnValue) as CardFrontRead;
    assert.instance(produced.verificationNumberB, Uint8Array, 'bytes, not a string');
    assert.equal([...b], [...expected]);
    assert.ok(b === produced.verificationNumberB, 'the adapter made no copy');
    assert.not.ok('securityCode' in produced.fields, 'the security code is only inside the number');
    b.fill(0); // what the visit's SecretBag does right after the VERIFY
    assert.ok(produced.verificationNumberB.every((x) => x === 0));
  } finally {
    spy.restore();
    await scanner.close();
  }
});

test('refusals carry neither the birth date nor the number, in any form a log would show', async () => {
  const futureBirth: CardPrint = {
    ...card,
    birth: { era: 'reiwa', eraYear: 9, month: 4, day: 23 },
    expiry: { year: 2033, month: 4, day: 23 },
    securityCode: '7351',
  };
  const scanner = new SimCardFrontScanner({ seed: 11 });
  scanner.place(futureBirth);
  try {
    let err: unknown;
    try {
      reader.read(await scanner.scan());
    } catch (e) {
      err = e;
    }
    assert.instance(err, UnreadableCardFrontError);
    assert.is((err as UnreadableCardFrontError).reason, 'inconsistent', (err as Error).message);
    const shown = `${(err as Error).message} ${JSON.stringify(redact({ err, detail: (err as UnreadableCardFrontError).detail }))}`;
    for (const secret of ['令和9', '9年', '4月23', '0423', '090423', '2033', '7351', '09042320337351']) assert.not.match(shown, secret);
  } finally {
    await scanner.close();
  }
});

test.run();
