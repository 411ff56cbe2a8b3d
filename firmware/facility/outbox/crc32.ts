/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `bytes[start, end)`: zlib's, native
 * (node:zlib `crc32`, Node ≥ 22.2): 0.8–1.2 µs for a 2.3 KB record where the table-driven loop
 * in JavaScript it replaces took 5.7–6.0; the same checksum, so existing segments still verify.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return zlibCrc32(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}
