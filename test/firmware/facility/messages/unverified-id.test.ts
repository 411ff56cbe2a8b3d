/** The id of a refused message, read from anything that may arrive: never a TypeError. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonObject, unverifiedCommandId, unverifiedId } from '../../../../firmware/facility/messages/unverified-id.ts';

const ID = '0190c0de-0000-7000-8000-000000000001';
const b = (s: string): Buffer => Buffer.from(s);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('null, arrays, numbers, strings, non-JSON: no object, no id', () => {
  for (const s of ['null', '[]', `["${ID}"]`, '5', '"x"', 'true', '\u0000garbage', '']) {
    assert.is(jsonObject(b(s)), undefined, s);
    assert.is(unverifiedId(b(s)), undefined, s);
    assert.is(unverifiedCommandId(b(s)), undefined, s);
  }
});

test('a command body that is null, an array or a number: no id', () => {
  for (const inner of ['null', '[]', '7', `"${ID}"`, 'nope'])
    assert.is(unverifiedCommandId(b(JSON.stringify({ body: b64(inner) }))), undefined, inner);
});

test('the id of a message and of a signed command body; a malformed id is none', () => {
  assert.is(unverifiedId(b(JSON.stringify({ id: ID }))), ID);
  assert.is(unverifiedCommandId(b(JSON.stringify({ body: b64(JSON.stringify({ id: ID })) }))), ID);
  assert.is(unverifiedCommandId(b(JSON.stringify({ id: ID }))), ID);
  assert.is(unverifiedId(b(JSON.stringify({ id: 42 }))), undefined);
  assert.is(unverifiedId(b(JSON.stringify({ id: 'DROP TABLE' }))), undefined);
});

test.run();
