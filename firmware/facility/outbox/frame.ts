/**
 * Outbox record framing. On disk each record is
 *   u32 BE body length | u32 BE CRC-32 of body | body
 * and a body is one of
 *   PUT: u8 1 | 16-byte id | f64 BE seq | f64 BE created ms | payload
 *   ACK: u8 2 | 16-byte id
 *   PUT of a named stream (several outboxes sharing one journal, outbox/journal.ts):
 *        u8 3 | 16-byte id | f64 BE seq | f64 BE created ms | u8 name length | name (UTF-8) | payload
 *   DEAD mark (the facility refused the record for good: keep it, stop sending it): an ACK
 *        frame whose id is the record's id XOR DEAD_MASK. Not a frame type of its own, so that
 *        firmware older than the mark (an OTA rollback) reads it as the ack of an unknown id, a
 *        no-op, instead of a bad frame that would cut the segment there.
 * `scanFrames` walks a segment and stops at the first frame that is short, has a bad length
 * or a bad CRC: everything before it is good, everything from it on is a torn or corrupt tail.
 */
import { crc32 } from './crc32.ts';

export const HEADER = 8;
export const MAX_BODY = 1 << 20;
const PUT = 1;
const ACK = 2;
const PUT_STREAM = 3;
const DEAD_MASK = Buffer.from('dead'.repeat(8), 'hex');

export type Frame =
  | {
      readonly type: 'put';
      readonly id: string;
      readonly seq: number;
      readonly createdMs: number;
      readonly payload: Buffer;
      readonly stream: string;
    }
  | { readonly type: 'ack'; readonly id: string };

export function idToBytes(id: string): Buffer {
  const out = Buffer.allocUnsafe(16);
  writeId(id, out, 0);
  return out;
}

/** The id's 16 bytes into `out` at `at`. */
function writeId(id: string, out: Buffer, at: number): void {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${id}`);
  out.write(hex, at, 16, 'hex');
}

export function bytesToId(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A frame with room for a body of `bodyLength` bytes at HEADER; `seal` writes its header once the body is in. */
function frameFor(bodyLength: number): Buffer {
  return Buffer.allocUnsafe(HEADER + bodyLength);
}

function seal(out: Buffer): Buffer {
  out.writeUInt32BE(out.length - HEADER, 0);
  out.writeUInt32BE(crc32(out, HEADER), 4);
  return out;
}

/** `stream` '' (the default, one outbox per journal) writes the plain PUT. Built in place: one buffer per record. */
export function encodePut(id: string, seq: number, createdMs: number, payload: Uint8Array, stream = ''): Buffer {
  const nameLength = Buffer.byteLength(stream, 'utf8');
  if (nameLength > 255) throw new RangeError('stream name longer than 255 bytes');
  const head = stream ? 34 + nameLength : 33;
  const out = frameFor(head + payload.byteLength);
  const body = HEADER;
  out[body] = stream ? PUT_STREAM : PUT;
  writeId(id, out, body + 1);
  out.writeDoubleBE(seq, body + 17);
  out.writeDoubleBE(createdMs, body + 25);
  if (stream) {
    out[body + 33] = nameLength;
    out.write(stream, body + 34, nameLength, 'utf8');
  }
  out.set(payload, body + head);
  return seal(out);
}

/** An ACK frame's size on disk, and so a DEAD mark's. */
export const ACK_FRAME_BYTES = HEADER + 17;

export function encodeAck(id: string): Buffer {
  const out = frameFor(ACK_FRAME_BYTES - HEADER);
  out[HEADER] = ACK;
  writeId(id, out, HEADER + 1);
  return seal(out);
}

/** The id a DEAD mark's ACK frame carries for `id`, and back (XOR is its own inverse). */
export function deadMarkId(id: string): string {
  const b = idToBytes(id);
  for (let i = 0; i < 16; i++) b[i] = (b[i] as number) ^ (DEAD_MASK[i] as number);
  return bytesToId(b);
}

/** The dead-letter mark of `id` (see the format above). */
export function encodeDead(id: string): Buffer {
  return encodeAck(deadMarkId(id));
}

export interface Scan {
  readonly frames: readonly Frame[];
  /** Byte offset just past the last good frame. */
  readonly goodBytes: number;
  /** Why scanning stopped early, if it did. */
  readonly bad?: 'short-header' | 'bad-length' | 'short-body' | 'bad-crc' | 'bad-type';
}

export function scanFrames(buf: Buffer): Scan {
  const frames: Frame[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < HEADER) return { frames, goodBytes: off, bad: 'short-header' };
    const len = buf.readUInt32BE(off);
    if (len < 17 || len > MAX_BODY) return { frames, goodBytes: off, bad: 'bad-length' };
    if (buf.length - off - HEADER < len) return { frames, goodBytes: off, bad: 'short-body' };
    const body = buf.subarray(off + HEADER, off + HEADER + len);
    if (crc32(body) !== buf.readUInt32BE(off + 4)) return { frames, goodBytes: off, bad: 'bad-crc' };
    const id = bytesToId(body.subarray(1, 17));
    if (body[0] === PUT && len >= 33) {
      frames.push({
        type: 'put',
        id,
        seq: body.readDoubleBE(17),
        createdMs: body.readDoubleBE(25),
        payload: Buffer.from(body.subarray(33)),
        stream: '',
      });
    } else if (body[0] === PUT_STREAM && len >= 35 && len >= 34 + (body[33] ?? 0)) {
      const end = 34 + (body[33] ?? 0);
      frames.push({
        type: 'put',
        id,
        seq: body.readDoubleBE(17),
        createdMs: body.readDoubleBE(25),
        payload: Buffer.from(body.subarray(end)),
        stream: body.toString('utf8', 34, end),
      });
    } else if (body[0] === ACK && len === 17) {
      frames.push({ type: 'ack', id });
    } else return { frames, goodBytes: off, bad: 'bad-type' };
    off += HEADER + len;
  }
  return { frames, goodBytes: off };
}
