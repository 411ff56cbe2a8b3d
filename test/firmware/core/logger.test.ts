import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAuditLog, createLogger, MemorySink, redact } from '../../../firmware/core/logger.ts';

test('secrets never reach a log line: bytes and secret-named fields are redacted', () => {
  const sink = new MemorySink();
  const log = createLogger({ sink, level: 'debug' }, 'visit');
  log.info('pin entered', {
    pin: '1234',
    nested: { photo: Buffer.from('jpeg'), ok: 1 },
    frame: new Uint8Array(9),
    embedding: new Float32Array(128),
  });
  const line = sink.lines[0] ?? '';
  assert.not.match(line, '1234');
  assert.not.match(line, 'jpeg');
  const rec = JSON.parse(line) as Record<string, unknown>;
  assert.is(rec['pin'], '[redacted]');
  assert.equal(rec['nested'], { photo: '[redacted]', ok: 1 });
  assert.is(redact(new Uint8Array(5)), '[bytes:5]');
});

test('levels per namespace: the longest prefix wins', () => {
  const sink = new MemorySink();
  const root = createLogger({ sink, level: 'warn', levels: { apdu: 'debug', 'apdu:pcsc': 'error' } });
  root.child('apdu').debug('a');
  root.child('apdu').child('pcsc').warn('b');
  root.child('face').info('c');
  root.child('face').warn('d');
  assert.equal(
    sink.records().map((r) => r['msg']),
    ['a', 'd'],
  );
  assert.equal(
    sink.records().map((r) => r['ns']),
    ['apdu', 'face'],
  );
});

test('audit stream records decisions as separate JSON lines', () => {
  const sink = new MemorySink();
  createAuditLog(sink, () => 0).record('identity-check', { method: 'pin', outcome: 'accepted', pin: '0000' });
  assert.equal(sink.records()[0], {
    t: '1970-01-01T00:00:00.000Z',
    audit: 'identity-check',
    method: 'pin',
    outcome: 'accepted',
    pin: '[redacted]',
  });
});

test.run();
