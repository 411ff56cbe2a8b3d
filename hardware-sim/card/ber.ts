/**
 * Byte-level BER-TLV writing for the virtual card's files, kept apart from the firmware's parser
 * (a card built with the reader's own codec would only agree with the reader). Tags are given as
 * their bytes; lengths use the definite forms of ISO/IEC 7816-4 §5.2: one byte below 128, then
 * `81 xx`, then `82 xx xx` (what the card writes: `FF20 82 LLLL`, `5F4E 82 0129`, `DF24 82 0109`).
 */
export function lengthBytes(n: number): number[] {
  if (n < 0 || n > 0xffff) throw new RangeError(`BER length ${n}`);
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

/** `tag` bytes, then the length, then `value`. `longForm` forces `82 LLLL` (the FF20 header). */
export function tlv(tag: readonly number[], value: Uint8Array, longForm = false): Uint8Array {
  const len = longForm ? [0x82, value.length >> 8, value.length & 0xff] : lengthBytes(value.length);
  const out = new Uint8Array(tag.length + len.length + value.length);
  out.set(tag, 0);
  out.set(len, tag.length);
  out.set(value, tag.length + len.length);
  return out;
}

export const cat = (...parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
export const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
