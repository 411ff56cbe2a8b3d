import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MalformedResponseError } from '../../../firmware/apdu/errors.ts';
import { readTagged } from '../../../firmware/apdu/tag-table.ts';
import { encodeTlv, parseOne, parseTlvs, parseTree } from '../../../firmware/apdu/tlv.ts';

const d = (h: string): Uint8Array => Buffer.from(h, 'hex');
const malformed = (e: unknown): boolean => e instanceof MalformedResponseError;

test('multi-byte tags and long lengths', () => {
  const big = new Uint8Array(300).fill(7);
  const enc = encodeTlv(0xdf27, big);
  assert.is(Buffer.from(enc.subarray(0, 5)).toString('hex'), 'df2782012c');
  const [t] = parseTlvs(enc, 'x');
  assert.is(t?.tag, 0xdf27);
  assert.is(t?.value.length, 300);
  assert.is(parseOne(d('7f2103420101'), 'cv').tag, 0x7f21);
});

test('nesting walks and depth limit', () => {
  const nodes = parseTree(d('7f2106' + '7f4e03' + '420101'), 'cv');
  assert.equal(
    nodes.map((n) => n.tag),
    [0x7f21, 0x7f4e, 0x42],
  );
  let deep = d('0400');
  for (let i = 0; i < 10; i++) deep = encodeTlv(0x30, deep);
  assert.throws(() => parseTree(deep, 'deep'), malformed);
});

test('bad encodings are typed errors', () => {
  for (const h of ['df', 'df2782', '04', '0405aabb', '0480', '04850000000001', 'df8181818101']) {
    assert.throws(() => parseTlvs(d(h), 'bad'), malformed, h);
  }
  assert.throws(() => parseOne(d('0401aabb'), 'x'), malformed);
  assert.throws(() => parseTlvs(d('0483ffffff'), 'x'), malformed);
});

test('tag tables: required, repeated, length bounds, strict', () => {
  const table = { a: { tag: 0x80, required: true, minLength: 1, maxLength: 2 }, b: { tag: 0x81, required: false } } as const;
  const v = readTagged(d('8001aa'), table, 't');
  assert.is(v.a.length, 1);
  assert.is(v.b, undefined);
  assert.throws(() => readTagged(d('8101aa'), table, 't'), malformed);
  assert.throws(() => readTagged(d('8001aa8001aa'), table, 't'), malformed);
  assert.throws(() => readTagged(d('8003aabbcc'), table, 't'), malformed);
  assert.throws(() => readTagged(d('8001aa8201bb'), table, 't', true), malformed);
  assert.is(readTagged(d('8001aa8201bb'), table, 't').a[0], 0xaa);
});

test.run();
