/**
 * Challenge values: what the reader's schema accepts (docs/schemas, read from the JSON file, not
 * from this code), sorted by issue time, and 208 bits that are random (distinct, and each bit set
 * about half the time over many values issued in the same millisecond).
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newChallenge } from '../../../facility/service/challenge-value.ts';

const resultSchema = JSON.parse(readFileSync(new URL('../../../docs/schemas/kaoreader.result-1.json', import.meta.url), 'utf8')) as {
  properties: { challenge: { pattern: string } };
};

test("64 hex characters, as the reader's result schema accepts", () => {
  const pattern = new RegExp(resultSchema.properties.challenge.pattern);
  for (const at of [0, Date.parse('2026-12-07T18:00:00Z'), 2 ** 48 - 1]) {
    const c = newChallenge(at);
    assert.match(c, /^[0-9a-f]{64}$/);
    assert.ok(pattern.test(c), c);
  }
});

test('values sort in the order they were issued, whatever their random part', () => {
  const t0 = Date.parse('2026-12-07T18:00:00Z');
  const issued = Array.from({ length: 500 }, (_, i) => newChallenge(t0 + i * 7));
  assert.equal([...issued].sort(), issued);
});

test('208 random bits: values of one millisecond all differ, each bit set about half the time', () => {
  const at = Date.parse('2026-12-07T18:00:00Z');
  const n = 4000;
  const values = Array.from({ length: n }, () => newChallenge(at));
  assert.is(new Set(values).size, n);
  const prefix = values[0]?.slice(0, 12) ?? '';
  const ones = Array<number>(208).fill(0);
  for (const v of values) {
    assert.is(v.slice(0, 12), prefix, 'the time part is the same within a millisecond');
    const random = Buffer.from(v.slice(12), 'hex');
    for (let bit = 0; bit < 208; bit++) if ((random[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) ones[bit] = (ones[bit] ?? 0) + 1;
  }
  // Binomial(4000, ½): σ ≈ 31.6; ±200 is beyond 6σ for each of the 208 bits.
  for (const [bit, k] of ones.entries()) assert.ok(Math.abs(k - n / 2) < 200, `bit ${bit} set ${k} times of ${n}`);
});

test.run();
