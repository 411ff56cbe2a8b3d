/**
 * The configured JPKI user-auth CA certificates and the chain check of a card's certificate:
 * the issuer's subject names a configured CA, the CA was valid at the visit time and its key
 * verifies the certificate's signature. Parsed certificates and chain verdicts are cached by the
 * text messages carry them as (base64 DER; bounded, the recent cards), so a card seen again costs
 * a map lookup: no base64 decode, no parse, no RSA check (a decode and a hash were 7.5 µs of a
 * result's work on the facility, 2026-12 bench).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { derBlocks } from './der-or-pem.ts';
import { ProofRefusedError, TrustMaterialError } from './errors.ts';

export interface TrustedCa {
  readonly subject: string;
  readonly publicKey: KeyObject;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly der: Buffer;
}

export interface CardCertificate {
  /** Lower-case hex without leading zeros: how results and requests name it. */
  readonly serial: string;
  readonly issuer: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly publicKey: KeyObject;
  /** The configured CA that signed it; undefined when none did. */
  readonly ca: TrustedCa | undefined;
}

/** Certificates remembered by their base64 text (each key ~1.6 KB: ~3.2 MB at most). */
export const CACHE_LIMIT = 2_000;

export class TrustAnchors {
  #cache = new Map<string, CardCertificate>();
  private constructor(readonly cas: readonly TrustedCa[]) {}

  static fromDer(ders: readonly Uint8Array[], source = 'trust anchors'): TrustAnchors {
    const cas = ders.map((der) => {
      let c: X509Certificate;
      try {
        c = new X509Certificate(der);
      } catch (err) {
        throw new TrustMaterialError(source, 'not an X.509 certificate', { cause: err });
      }
      if (!c.ca) throw new TrustMaterialError(source, `"${c.subject}" is not a CA certificate`);
      return {
        subject: c.subject,
        publicKey: c.publicKey,
        notBefore: Date.parse(c.validFrom),
        notAfter: Date.parse(c.validTo),
        der: Buffer.from(der),
      };
    });
    if (cas.length === 0) throw new TrustMaterialError(source, 'no CA certificate');
    return new TrustAnchors(cas);
  }

  static async fromFiles(files: readonly string[]): Promise<TrustAnchors> {
    const ders: Buffer[] = [];
    for (const f of files) ders.push(...derBlocks(await readFile(f), 'CERTIFICATE', f));
    return TrustAnchors.fromDer(ders, files.join(', '));
  }

  /**
   * Parses a card certificate given as base64 DER text (results, requests) and finds the
   * configured CA whose key signed it; a text seen recently answers from memory. A certificate
   * that does not parse is refused, and not remembered.
   */
  certificate(base64: string): CardCertificate {
    const hit = this.#cache.get(base64);
    if (hit) return hit;
    let c: X509Certificate;
    try {
      c = new X509Certificate(Buffer.from(base64, 'base64'));
    } catch {
      throw new ProofRefusedError('CERTIFICATE_INVALID', 'the certificate does not parse');
    }
    const ca = this.cas.find((a) => a.subject === c.issuer && verifiedBy(c, a.publicKey));
    const parsed: CardCertificate = {
      serial: normaliseSerial(c.serialNumber),
      issuer: c.issuer,
      notBefore: Date.parse(c.validFrom),
      notAfter: Date.parse(c.validTo),
      publicKey: c.publicKey,
      ca,
    };
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(base64, parsed);
    return parsed;
  }

  /** How many certificates are remembered (tests: the bound holds). */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** The chain and validity check at `at` (ms): throws the matching refusal. */
  check(cert: CardCertificate, at: number): TrustedCa {
    const { ca } = cert;
    if (!ca)
      throw new ProofRefusedError(
        'CERTIFICATE_UNTRUSTED',
        `issuer "${cert.issuer}" is not a configured JPKI user-auth CA, or its signature does not verify`,
      );
    if (at < ca.notBefore || at > ca.notAfter)
      throw new ProofRefusedError('CERTIFICATE_UNTRUSTED', `the CA "${ca.subject}" was not valid at ${new Date(at).toISOString()}`);
    if (at < cert.notBefore || at > cert.notAfter)
      throw new ProofRefusedError(
        'CERTIFICATE_EXPIRED',
        `the certificate was valid ${new Date(cert.notBefore).toISOString()} – ${new Date(cert.notAfter).toISOString()}, not at ${new Date(at).toISOString()}`,
      );
    return ca;
  }
}

/** A key of another type cannot have signed it (and node would throw rather than say no). */
function verifiedBy(c: X509Certificate, key: KeyObject): boolean {
  return key.asymmetricKeyType === 'rsa' && c.verify(key);
}

/** `00A1B2` → `a1b2`: serials compare as numbers written in hex. */
export function normaliseSerial(hex: string): string {
  const s = hex.toLowerCase().replace(/^0+/, '');
  return s === '' ? '0' : s;
}
