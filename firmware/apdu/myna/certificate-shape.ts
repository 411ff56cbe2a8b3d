/**
 * The outer shape of an X.509 certificate read from the card, checked on its DER bytes before any
 * library reads it (RFC 5280 §4.1): Certificate ::= SEQUENCE { tbsCertificate SEQUENCE,
 * signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING } and nothing else;
 * signatureAlgorithm must be the same bytes as the `signature` field inside tbsCertificate
 * (§4.1.1.2), and the signature's BIT STRING has no unused bits. X.509 libraries verify the
 * signature over tbsCertificate and tolerate the rest, so a changed byte there would otherwise be
 * accepted and passed on to the facility (found by the fuzz oracle).
 */
import { MalformedResponseError } from '../errors.ts';
import { parseOne, parseTlvs } from '../tlv.ts';

const WHAT = 'user-auth certificate';
const LIM = { maxDepth: 2, maxNodes: 16, maxLength: 8192 };

export function checkCertificateShape(der: Uint8Array): void {
  const outer = parseOne(der, WHAT, false, LIM);
  if (outer.tag !== 0x30) throw new MalformedResponseError(WHAT, 'not a DER SEQUENCE');
  const parts = parseTlvs(outer.value, WHAT, LIM);
  const [tbs, algorithm, signature] = parts;
  if (parts.length !== 3 || !tbs || !algorithm || !signature || tbs.tag !== 0x30 || algorithm.tag !== 0x30 || signature.tag !== 0x03) {
    throw new MalformedResponseError(WHAT, 'not SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }');
  }
  if (signature.value.length < 2 || signature.value[0] !== 0x00)
    throw new MalformedResponseError(WHAT, 'signature BIT STRING has unused bits');
  const fields = parseTlvs(tbs.value, WHAT, LIM);
  // tbsCertificate: [0] version (optional), serialNumber INTEGER, signature AlgorithmIdentifier, …
  const inner = fields[0]?.tag === 0xa0 ? fields[2] : fields[1];
  if (!inner || inner.tag !== 0x30) throw new MalformedResponseError(WHAT, 'tbsCertificate has no signature AlgorithmIdentifier');
  const tlvOf = (t: { offset: number; length: number }, within: Uint8Array): Uint8Array => within.subarray(t.offset, t.offset + t.length);
  if (Buffer.compare(tlvOf(inner, tbs.value), tlvOf(algorithm, outer.value)) !== 0)
    throw new MalformedResponseError(WHAT, 'signatureAlgorithm differs from the signature field of tbsCertificate');
}
