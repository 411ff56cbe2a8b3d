/**
 * Card-face key ids (証明者鍵ID / 被証明者鍵ID, spec card-apdu.md §EF 0004): 16 raw bytes,
 * `"6000023" 08 05 "001"` then 4 padding bytes (the last not always 00). Compared whole, all 16
 * bytes; shown as `6000023/001`. Production ids begin `5`, the JPKI test hierarchy `6`; the
 * simulator's own CA uses `9`.
 */
import { MalformedResponseError } from '../errors.ts';

export const KEY_ID_LENGTH = 16;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Checks the shape of a key id read from a card; returns a copy. */
export function parseKeyId(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length !== KEY_ID_LENGTH) throw new MalformedResponseError(what, `key id of ${bytes.length} bytes, want ${KEY_ID_LENGTH}`);
  const digits = [0, 1, 2, 3, 4, 5, 6, 9, 10, 11].every((i) => isDigit(bytes[i]));
  if (!digits || bytes[7] !== 0x08 || bytes[8] !== 0x05)
    throw new MalformedResponseError(what, 'key id is not "NNNNNNN" 08 05 "NNN" + padding');
  return bytes.slice();
}

/** `6000023/001` (the padding is not shown: two ids may differ only there, so compare bytes). */
export function formatKeyId(id: Uint8Array): string {
  const text = (from: number, to: number): string =>
    Buffer.from(id.subarray(from, to))
      .toString('latin1')
      .replace(/[^0-9]/g, '?');
  return `${text(0, 7)}/${text(9, 12)}`;
}

/**
 * A key id from configuration: `6000023/001` (padding 00 00 00 00) or 32 hex digits (any
 * padding). Undefined when the text is neither.
 */
export function keyIdFromText(text: string): Uint8Array | undefined {
  if (/^[0-9a-fA-F]{32}$/.test(text)) {
    const bytes = new Uint8Array(Buffer.from(text, 'hex'));
    return [0, 1, 2, 3, 4, 5, 6, 9, 10, 11].every((i) => isDigit(bytes[i])) && bytes[7] === 0x08 && bytes[8] === 0x05 ? bytes : undefined;
  }
  const m = /^([0-9]{7})\/([0-9]{3})$/.exec(text);
  if (!m) return undefined;
  const out = new Uint8Array(KEY_ID_LENGTH);
  out.set(Buffer.from(m[1] ?? '', 'latin1'), 0);
  out.set([0x08, 0x05], 7);
  out.set(Buffer.from(m[2] ?? '', 'latin1'), 9);
  return out;
}

export function sameKeyId(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === KEY_ID_LENGTH && b.length === KEY_ID_LENGTH && Buffer.compare(a, b) === 0;
}
