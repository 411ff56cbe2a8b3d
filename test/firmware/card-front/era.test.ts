import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkFields } from '../../../firmware/card-front/card-front-fields.ts';
import { verificationNumberBOfEra, VerificationNumberBError } from '../../../firmware/card-front/verification-number-b.ts';
import { fromEraDate, toEraDate } from '../../../firmware/card-front/era.ts';

test('era boundaries: last and first days of 大正/昭和/平成/令和', () => {
  assert.equal(toEraDate({ year: 1926, month: 12, day: 24 }), { era: 'taisho', eraYear: 15, month: 12, day: 24 });
  assert.equal(toEraDate({ year: 1926, month: 12, day: 25 }), { era: 'showa', eraYear: 1, month: 12, day: 25 });
  assert.equal(toEraDate({ year: 1989, month: 1, day: 7 }), { era: 'showa', eraYear: 64, month: 1, day: 7 });
  assert.equal(toEraDate({ year: 1989, month: 1, day: 8 }), { era: 'heisei', eraYear: 1, month: 1, day: 8 });
  assert.equal(toEraDate({ year: 2019, month: 4, day: 30 }), { era: 'heisei', eraYear: 31, month: 4, day: 30 });
  assert.equal(toEraDate({ year: 2019, month: 5, day: 1 }), { era: 'reiwa', eraYear: 1, month: 5, day: 1 });
  assert.equal(toEraDate({ year: 1980, month: 2, day: 17 }), { era: 'showa', eraYear: 55, month: 2, day: 17 });
  assert.is(toEraDate({ year: 1900, month: 1, day: 1 }), undefined);
  assert.is(toEraDate({ year: 2001, month: 2, day: 29 }), undefined);
});

test('era dates outside their era or the calendar do not exist', () => {
  assert.is(fromEraDate({ era: 'showa', eraYear: 64, month: 1, day: 8 }), undefined);
  assert.is(fromEraDate({ era: 'heisei', eraYear: 1, month: 1, day: 7 }), undefined);
  assert.is(fromEraDate({ era: 'heisei', eraYear: 31, month: 5, day: 1 }), undefined);
  assert.is(fromEraDate({ era: 'heisei', eraYear: 32, month: 1, day: 1 }), undefined);
  assert.is(fromEraDate({ era: 'reiwa', eraYear: 1, month: 4, day: 30 }), undefined);
  assert.is(fromEraDate({ era: 'showa', eraYear: 55, month: 2, day: 30 }), undefined);
  assert.is(fromEraDate({ era: 'heisei', eraYear: 0, month: 2, day: 1 }), undefined);
  assert.equal(fromEraDate({ era: 'heisei', eraYear: 12, month: 2, day: 29 }), { year: 2000, month: 2, day: 29 });
  for (let y = 1913; y < 2030; y += 3) {
    const d = { year: y, month: 1 + (y % 12), day: 1 + (y % 28) };
    assert.equal(fromEraDate(toEraDate(d) as never), d);
  }
});

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

test('照合番号B from the spec example shape, as bytes', () => {
  const birth = toEraDate({ year: 1980, month: 2, day: 17 });
  assert.equal(verificationNumberBOfEra(birth as never, 2035, ascii('2285')), ascii('55021720352285'));
  assert.equal(verificationNumberBOfEra({ era: 'reiwa', eraYear: 1, month: 5, day: 1 }, 2029, ascii('0007')), ascii('01050120290007'));
  assert.throws(
    () => verificationNumberBOfEra({ era: 'reiwa', eraYear: 1, month: 5, day: 1 }, 2029, ascii('123')),
    (e: unknown) => e instanceof VerificationNumberBError,
  );
  assert.throws(
    () => verificationNumberBOfEra({ era: 'reiwa', eraYear: 1, month: 5, day: 1 }, 2101, ascii('1234')),
    (e: unknown) => e instanceof VerificationNumberBError && !/2101/.test((e as Error).message),
    'no value in the message',
  );
});

test('consistency rules for a read', () => {
  const today = { year: 2026, month: 11, day: 24 };
  const good = {
    birth: { era: 'showa' as const, eraYear: 55, month: 2, day: 17 },
    expiry: { year: 2035, month: 2, day: 17 },
    securityCode: ascii('2285'),
  };
  assert.equal(checkFields(good, today), { ok: true, problems: [], birthdayExpiry: true });
  assert.is(checkFields({ ...good, expiry: { year: 2035, month: 3, day: 17 } }, today).birthdayExpiry, false);
  assert.is(checkFields({ ...good, birth: { ...good.birth, eraYear: 65 } }, today).ok, false);
  assert.is(checkFields({ ...good, expiry: { year: 2053, month: 2, day: 17 } }, today).ok, false);
  assert.is(checkFields({ ...good, expiry: { year: 2035, month: 2, day: 30 } }, today).ok, false);
  assert.is(checkFields({ ...good, birth: { era: 'reiwa', eraYear: 9, month: 1, day: 1 } }, today).ok, false);
  assert.is(checkFields({ ...good, securityCode: ascii('22a5') }, today).ok, false);
  const leap = {
    birth: { era: 'heisei' as const, eraYear: 12, month: 2, day: 29 },
    expiry: { year: 2031, month: 2, day: 28 },
    securityCode: ascii('0000'),
  };
  assert.is(checkFields(leap, today).birthdayExpiry, true);
});

test.run();
