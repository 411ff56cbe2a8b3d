/**
 * DER helpers for reading padded certificate EFs exactly: the encoded length comes from the
 * header (X.690 §8.1.3), never from the EF size.
 */
import { MalformedResponseError } from '../errors.ts';
import { readHeader } from '../tlv.ts';

/** Total DER length (header + content) of the SEQUENCE at the start of `head`. */
export function derTotalLength(head: Uint8Array, what: string, max: number): number {
  if (head[0] !== 0x30) throw new MalformedResponseError(what, `not a DER SEQUENCE (first byte ${head[0]?.toString(16) ?? 'none'})`);
  const h = readHeader(head, 0, what, { maxDepth: 1, maxNodes: 1, maxLength: max });
  return h.headerLength + h.valueLength;
}
