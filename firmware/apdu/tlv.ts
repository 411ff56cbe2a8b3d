/**
 * BER-TLV parsing (ISO/IEC 7816-4 §5.2, X.690 §8.1) with hard limits: nesting depth, length
 * field size, total node count. Lengths beyond the input, indefinite lengths and over-long
 * tags are `MalformedResponseError`s. No allocation beyond views into the input.
 */
import { MalformedResponseError } from './errors.ts';

export interface Tlv {
  /** Tag bytes as a number (`0xDF27`, `0x7F21`, `0x30`). */
  readonly tag: number;
  readonly constructed: boolean;
  readonly value: Uint8Array;
  /** Offset of the tag in the parsed buffer, and the whole encoding's length. */
  readonly offset: number;
  readonly length: number;
}

export interface TlvLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
  /** Largest value length accepted (also bounded by the input). */
  readonly maxLength: number;
}

export const DEFAULT_TLV_LIMITS: TlvLimits = { maxDepth: 8, maxNodes: 512, maxLength: 65535 };

/** Reads one TLV header at `at`: tag, header length and value length. */
export function readHeader(
  buf: Uint8Array,
  at: number,
  what: string,
  limits: TlvLimits = DEFAULT_TLV_LIMITS,
): { tag: number; constructed: boolean; headerLength: number; valueLength: number } {
  let i = at;
  const first = buf[i++];
  if (first === undefined) throw new MalformedResponseError(what, `truncated tag at ${at}`);
  if (first === 0x00) throw new MalformedResponseError(what, `invalid tag byte 00 at ${at}`);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    for (let n = 0; ; n++) {
      if (n >= 3) throw new MalformedResponseError(what, `tag longer than 4 bytes at ${at}`);
      const b = buf[i++];
      if (b === undefined) throw new MalformedResponseError(what, `truncated tag at ${at}`);
      tag = tag * 256 + b;
      if ((b & 0x80) === 0) break;
    }
  }
  const l0 = buf[i++];
  if (l0 === undefined) throw new MalformedResponseError(what, `truncated length at ${at}`);
  let len = l0;
  if (l0 === 0x80) throw new MalformedResponseError(what, `indefinite length at ${at}`);
  if (l0 > 0x80) {
    const n = l0 & 0x7f;
    if (n > 3) throw new MalformedResponseError(what, `length field of ${n} bytes at ${at}`);
    len = 0;
    for (let k = 0; k < n; k++) {
      const b = buf[i++];
      if (b === undefined) throw new MalformedResponseError(what, `truncated length at ${at}`);
      len = len * 256 + b;
    }
  }
  if (len > limits.maxLength) throw new MalformedResponseError(what, `length ${len} over limit ${limits.maxLength} at ${at}`);
  return { tag, constructed: (first & 0x20) !== 0, headerLength: i - at, valueLength: len };
}

/** Parses a sequence of TLVs at one level (no recursion) filling `buf` exactly. */
export function parseTlvs(buf: Uint8Array, what: string, limits: TlvLimits = DEFAULT_TLV_LIMITS): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < buf.length) {
    if (out.length >= limits.maxNodes) throw new MalformedResponseError(what, `more than ${limits.maxNodes} elements`);
    const h = readHeader(buf, at, what, limits);
    const start = at + h.headerLength;
    const end = start + h.valueLength;
    if (end > buf.length)
      throw new MalformedResponseError(
        what,
        `tag ${h.tag.toString(16)} length ${h.valueLength} runs past the end (${buf.length - start} left)`,
      );
    out.push({ tag: h.tag, constructed: h.constructed, value: buf.subarray(start, end), offset: at, length: end - at });
    at = end;
  }
  return out;
}

/** Parses exactly one TLV that must fill `buf` (trailing bytes are an error unless `allowTrailing`). */
export function parseOne(buf: Uint8Array, what: string, allowTrailing = false, limits: TlvLimits = DEFAULT_TLV_LIMITS): Tlv {
  const h = readHeader(buf, 0, what, limits);
  const end = h.headerLength + h.valueLength;
  if (end > buf.length) throw new MalformedResponseError(what, `length ${h.valueLength} runs past the end`);
  if (!allowTrailing && end !== buf.length) throw new MalformedResponseError(what, `${buf.length - end} trailing byte(s)`);
  return { tag: h.tag, constructed: h.constructed, value: buf.subarray(h.headerLength, end), offset: 0, length: end };
}

/** Walks a constructed tree checking depth and node limits; returns every node, depth-first. */
export function parseTree(buf: Uint8Array, what: string, limits: TlvLimits = DEFAULT_TLV_LIMITS): Tlv[] {
  const all: Tlv[] = [];
  const walk = (b: Uint8Array, depth: number): void => {
    if (depth > limits.maxDepth) throw new MalformedResponseError(what, `nesting deeper than ${limits.maxDepth}`);
    for (const t of parseTlvs(b, what, limits)) {
      if (all.length >= limits.maxNodes) throw new MalformedResponseError(what, `more than ${limits.maxNodes} elements`);
      all.push(t);
      if (t.constructed) walk(t.value, depth + 1);
    }
  };
  walk(buf, 1);
  return all;
}

export function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  if (n < 0x10000) return [0x82, n >> 8, n & 0xff];
  return [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
}

/** Encodes one TLV (tag up to 4 bytes). */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) tagBytes.unshift(t & 0xff);
  const head = [...tagBytes, ...encodeLength(value.length)];
  const out = new Uint8Array(head.length + value.length);
  out.set(head, 0);
  out.set(value, head.length);
  return out;
}
