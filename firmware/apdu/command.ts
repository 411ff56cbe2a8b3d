/**
 * Command APDU encoding (ISO/IEC 7816-4 §5.1). The case is given by which fields are present
 * (data → Lc, le → Le), never guessed from a byte count; `extended` picks the length encoding.
 * Le 256 (short) / 65536 (extended) encode as 00 / 0000 ("as many as available").
 */
import { InvalidCommandError } from './errors.ts';

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Command data; presence (even empty is refused) makes it case 3 or 4. */
  readonly data?: Uint8Array;
  /** Expected response length 1..256 (short) or 1..65536 (extended); presence makes it case 2 or 4. */
  readonly le?: number;
  /** Extended-length encoding (needs a reader and card that accept it). */
  readonly extended?: boolean;
}

export type ApduCase = 1 | 2 | 3 | 4;

export function apduCase(c: CommandApdu): ApduCase {
  if (c.data === undefined) return c.le === undefined ? 1 : 2;
  return c.le === undefined ? 3 : 4;
}

function byte(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new InvalidCommandError(`${name} must be a byte, got ${v}`);
  return v;
}

export function encodeCommand(c: CommandApdu): Uint8Array {
  const header = [byte('CLA', c.cla), byte('INS', c.ins), byte('P1', c.p1), byte('P2', c.p2)];
  const ext = c.extended === true;
  const maxLc = ext ? 65535 : 255;
  const maxLe = ext ? 65536 : 256;
  const lc: number[] = [];
  if (c.data !== undefined) {
    const n = c.data.length;
    if (n < 1 || n > maxLc) throw new InvalidCommandError(`Lc ${n} out of range 1..${maxLc}`);
    if (ext) lc.push(0x00, n >> 8, n & 0xff);
    else lc.push(n);
  }
  const le: number[] = [];
  if (c.le !== undefined) {
    if (!Number.isInteger(c.le) || c.le < 1 || c.le > maxLe) throw new InvalidCommandError(`Le ${c.le} out of range 1..${maxLe}`);
    const v = c.le === maxLe ? 0 : c.le;
    if (ext) {
      if (c.data === undefined) le.push(0x00); // case 2E: 00 Le1 Le2; case 4E shares Lc's leading 00
      le.push(v >> 8, v & 0xff);
    } else le.push(v);
  }
  const data = c.data ?? new Uint8Array(0);
  const bytes = new Uint8Array(4 + lc.length + data.length + le.length);
  bytes.set(header, 0);
  bytes.set(lc, 4);
  bytes.set(data, 4 + lc.length);
  bytes.set(le, 4 + lc.length + data.length);
  return bytes;
}

/** Short name for logs and errors: `00 A4 04 0C`. Never includes data (it may be a PIN). */
export function describeCommand(c: CommandApdu): string {
  return [c.cla, c.ins, c.p1, c.p2].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}
