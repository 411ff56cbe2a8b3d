/**
 * The revoked serials of a DER CRL, read from the DER itself (RFC 5280 §5.1):
 *   CertificateList ::= SEQUENCE { tbsCertList TBSCertList, … }
 *   TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature AlgorithmIdentifier, issuer Name,
 *     thisUpdate Time, nextUpdate Time OPTIONAL,
 *     revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER, … } OPTIONAL, … }
 * Why not the x509 library's `entries`: @peculiar/x509 2.2.0 returns no entries for a CRL
 * without nextUpdate (openssl lists them), which would read every revoked card as good.
 * Why not firmware/apdu/tlv.ts: facility/ uses firmware's core, ports and facility messages only
 * (docs/architecture.md, test/architecture/imports.test.ts); this walk needs four tags and a length.
 */
import { TrustMaterialError } from './errors.ts';
import { normaliseSerial } from './trust-anchors.ts';

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const MAX_ENTRIES = 10_000_000;

/** The serials (normalised hex) the CRL revokes. Throws TrustMaterialError on malformed DER. */
export function crlSerials(der: Uint8Array, source: string): string[] {
  const bad = (why: string): TrustMaterialError => new TrustMaterialError(source, `CRL DER: ${why}`);
  const tlv = (at: number, limit: number): Tlv => {
    if (at + 2 > limit) throw bad('truncated');
    const tag = der[at] as number;
    let len = der[at + 1] as number;
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || start + n > limit) throw bad('bad length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (der[start + i] as number);
      start += n;
    }
    if (start + len > limit) throw bad('length past the end');
    return { tag, start, end: start + len };
  };
  const outer = tlv(0, der.length);
  if (outer.tag !== SEQUENCE) throw bad('not a SEQUENCE');
  const tbs = tlv(outer.start, outer.end);
  if (tbs.tag !== SEQUENCE) throw bad('tbsCertList is not a SEQUENCE');
  let f = tlv(tbs.start, tbs.end);
  if (f.tag === INTEGER) f = tlv(f.end, tbs.end); // version → signature
  f = tlv(f.end, tbs.end); // issuer
  f = tlv(f.end, tbs.end); // thisUpdate
  if (f.tag !== UTC_TIME && f.tag !== GENERALIZED_TIME) throw bad('thisUpdate is not a Time');
  let at = f.end;
  if (at >= tbs.end) return [];
  f = tlv(at, tbs.end);
  if (f.tag === UTC_TIME || f.tag === GENERALIZED_TIME) {
    at = f.end; // nextUpdate
    if (at >= tbs.end) return [];
    f = tlv(at, tbs.end);
  }
  if (f.tag !== SEQUENCE) return []; // no revokedCertificates ([0] extensions follow, or nothing)
  const serials: string[] = [];
  for (let e = f.start; e < f.end && serials.length < MAX_ENTRIES;) {
    const entry = tlv(e, f.end);
    if (entry.tag !== SEQUENCE) throw bad('a revoked entry is not a SEQUENCE');
    const serial = tlv(entry.start, entry.end);
    if (serial.tag !== INTEGER) throw bad('a revoked entry has no serial');
    serials.push(normaliseSerial(Buffer.from(der.subarray(serial.start, serial.end)).toString('hex')));
    e = entry.end;
  }
  return serials;
}
