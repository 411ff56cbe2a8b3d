import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decode,
  encode,
  MessageInvalidError,
  UnsupportedSchemaVersionError,
  validate,
} from '../../../../firmware/facility/messages/codec.ts';
import { parseReaderTopic, readerTopics } from '../../../../firmware/facility/messages/topics.ts';
import { uuidv7, uuidv7Time, UUID_V7 } from '../../../../firmware/core/uuidv7.ts';
import { sampleResult } from '../fixtures.ts';

function throws<T>(fn: () => unknown, cls: new (...a: never[]) => T): T {
  try {
    fn();
  } catch (err) {
    assert.instance(err, cls);
    return err as T;
  }
  throw new Error('did not throw');
}

test('a valid result round-trips through encode/decode', () => {
  const r = sampleResult();
  assert.equal(decode('kaoreader.result', encode('kaoreader.result', r)), r);
});

test('decode reads only its own bytes: a Uint8Array view inside a larger buffer, and a Buffer slice', () => {
  const r = sampleResult();
  const text = encode('kaoreader.result', r);
  const whole = Buffer.concat([Buffer.from('{"junk":'), text, Buffer.from('}')]);
  assert.equal(decode('kaoreader.result', new Uint8Array(whole.buffer, whole.byteOffset + 8, text.length)), r);
  assert.equal(decode('kaoreader.result', whole.subarray(8, 8 + text.length)), r);
  assert.equal(decode('kaoreader.result', text.toString('utf8')), r);
});

test('unknown versions are refused with a typed error naming the supported ones', () => {
  const err = throws(
    () => decode('kaoreader.result', JSON.stringify({ ...sampleResult(), schema: 'kaoreader.result/2' })),
    UnsupportedSchemaVersionError,
  );
  assert.is(err.code, 'UNSUPPORTED_SCHEMA_VERSION');
  assert.is(err.version, '2');
  assert.equal(err.supported, [1]);
});

test('bad JSON, wrong message kind, missing and extra fields are MessageInvalidError with every problem', () => {
  assert.is(throws(() => decode('kaoreader.result', '{not json'), MessageInvalidError).code, 'MESSAGE_INVALID');
  throws(() => decode('kaoreader.result', JSON.stringify({ ...sampleResult(), schema: 'kaoreader.ack/1' })), MessageInvalidError);
  const bad = { ...sampleResult(), segment: 5, extra: 1 } as unknown;
  const err = throws(() => validate('kaoreader.result', bad), MessageInvalidError);
  assert.ok(err.problems.length >= 2, err.problems.join());
  throws(() => decode('kaoreader.result', Buffer.alloc(70_000, 32)), MessageInvalidError);
  throws(() => encode('kaoreader.result', { ...sampleResult(), id: 'nope' }), MessageInvalidError);
});

test('commands: each kind validated against its own argument schema; the unsigned v1 is gone', () => {
  const base = {
    schema: 'kaoreader.command-body/1',
    id: uuidv7(),
    facilityId: 'clinic-a',
    readerId: 'reader-01',
    issuedAt: '2026-04-01T09:00:00.000Z',
    expiresAt: '2026-04-01T09:05:00.000Z',
  };
  assert.is(
    decode('kaoreader.command-body', JSON.stringify({ ...base, command: 'set-facility-name', args: { name: 'Sakura Clinic' } })).command,
    'set-facility-name',
  );
  throws(
    () => decode('kaoreader.command-body', JSON.stringify({ ...base, command: 'set-staff-password', args: { password: '12345678' } })),
    MessageInvalidError,
  );
  throws(
    () =>
      decode(
        'kaoreader.command-body',
        JSON.stringify({
          ...base,
          command: 'set-staff-password',
          args: { hash: { alg: 'scrypt', N: 1024, r: 8, p: 1, salt: 'A'.repeat(22) + '==', hash: 'A'.repeat(43) + '=' } },
        }),
      ),
    MessageInvalidError,
  );
  throws(() => decode('kaoreader.command-body', JSON.stringify({ ...base, command: 'format-disk', args: {} })), MessageInvalidError);
  throws(() => decode('kaoreader.command-body', JSON.stringify({ ...base, command: 'restart', args: { now: true } })), MessageInvalidError);
  const { readerId: _r, ...noReader } = base;
  throws(() => decode('kaoreader.command-body', JSON.stringify({ ...noReader, command: 'restart', args: {} })), MessageInvalidError);
  throws(
    () =>
      decode(
        'kaoreader.command',
        JSON.stringify({ schema: 'kaoreader.command/1', id: uuidv7(), facilityId: 'clinic-a', command: 'restart', args: {} }),
      ),
    UnsupportedSchemaVersionError,
  );
});

test('uuidv7: version/variant bits, time prefix, strictly increasing within a millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000));
  for (const id of ids) assert.ok(UUID_V7.test(id), id);
  assert.is(new Set(ids).size, ids.length);
  assert.equal([...ids].sort(), ids);
  assert.ok(uuidv7Time(ids[0] ?? '') >= 1_700_000_000_000);
});

test('topics: readers write under readers/<id>, read under facility/<id>', () => {
  const t = readerTopics('reader-01');
  assert.is(t.results, 'readers/reader-01/results');
  assert.is(t.commands, 'facility/reader-01/commands');
  assert.equal(parseReaderTopic('readers/reader-01/results'), { readerId: 'reader-01', leaf: 'results' });
  assert.is(parseReaderTopic('readers/../x'), undefined);
  assert.is(parseReaderTopic('readers/a/b/c'), undefined);
});

test.run();
