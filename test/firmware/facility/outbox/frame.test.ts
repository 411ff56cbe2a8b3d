import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 } from '../../../../firmware/facility/outbox/crc32.ts';
import { deadMarkId, encodeAck, encodeDead, encodePut, scanFrames } from '../../../../firmware/facility/outbox/frame.ts';

const ID = '0192f0c4-8a1e-7b3c-9d2e-5f6a7b8c9d0e';
// Bytes written by the outbox before the frame encoder was rewritten in place (commit 2927504):
// segments already on readers' disks must still verify and decode byte for byte.
const OLD = {
  stream: '000000330803b705030192f0c48a1e7b3c9d2e5f6a7b8c9d0e401c00000000000042793a021f4000000a7265616465722d3030317b2261223a317d',
  plain: '0000002861f61678010192f0c48a1e7b3c9d2e5f6a7b8c9d0e402000000000000042793a021f4000007b2261223a317d',
  ack: '00000011675da3e0020192f0c48a1e7b3c9d2e5f6a7b8c9d0e',
};

test('crc32: the CRC-32/ISO-HDLC check value of "123456789" (CRC catalogue), and of a sub-range', () => {
  assert.is(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.is(crc32(Buffer.from('xx123456789yy'), 2, 11), 0xcbf43926);
  assert.is(crc32(new Uint8Array(0)), 0);
});

test('frames are byte-identical to those the previous encoder wrote', () => {
  assert.is(encodePut(ID, 7, 1733558400000, Buffer.from('{"a":1}'), 'reader-001').toString('hex'), OLD.stream);
  assert.is(encodePut(ID, 8, 1733558400000, Buffer.from('{"a":1}')).toString('hex'), OLD.plain);
  assert.is(encodeAck(ID).toString('hex'), OLD.ack);
});

test('a segment of old frames scans back; a flipped payload byte stops the scan at that frame', () => {
  const seg = Buffer.from(OLD.stream + OLD.plain + OLD.ack, 'hex');
  const s = scanFrames(seg);
  assert.is(s.bad, undefined);
  assert.is(s.goodBytes, seg.length);
  assert.equal(
    s.frames.map((f) => (f.type === 'put' ? [f.type, f.id, f.seq, f.stream, f.payload.toString()] : [f.type, f.id])),
    [
      ['put', ID, 7, 'reader-001', '{"a":1}'],
      ['put', ID, 8, '', '{"a":1}'],
      ['ack', ID],
    ],
  );
  const torn = Buffer.from(seg);
  const second = Buffer.from(OLD.stream, 'hex').length;
  torn[second + 40] = (torn[second + 40] ?? 0) ^ 1;
  const t = scanFrames(torn);
  assert.is(t.bad, 'bad-crc');
  assert.is(t.goodBytes, second);
});

test('a dead-letter mark is an ACK frame of the masked id, the one frame shape older firmware reads (a rollback cuts nothing)', () => {
  const mark = encodeDead(ID);
  const masked = deadMarkId(ID);
  assert.is.not(masked, ID);
  assert.is(deadMarkId(masked), ID, 'the mask undoes itself');
  // Same layout as the ack bytes the first encoder wrote: length 17, type 2, 16-byte id.
  assert.is(mark.toString('hex').slice(16), `02${masked.replace(/-/g, '')}`);
  assert.is(mark.length, Buffer.from(OLD.ack, 'hex').length);
  const seg = Buffer.concat([Buffer.from(OLD.plain, 'hex'), mark, Buffer.from(OLD.ack, 'hex')]);
  const s = scanFrames(seg);
  assert.is(s.bad, undefined);
  assert.is(s.goodBytes, seg.length);
  assert.equal(
    s.frames.map((f) => [f.type, f.id]),
    [
      ['put', ID],
      ['ack', masked],
      ['ack', ID],
    ],
  );
});

test('a payload given as a view into a larger buffer is framed from its own bytes only', () => {
  const big = Buffer.from('garbage{"a":1}garbage');
  const view = new Uint8Array(big.buffer, big.byteOffset + 7, 7);
  assert.is(encodePut(ID, 8, 1733558400000, view).toString('hex'), OLD.plain);
});

test.run();
