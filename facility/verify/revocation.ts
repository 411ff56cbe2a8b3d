/**
 * Revocation of card certificates from the CAs' CRLs, each loaded from a file or a URL and
 * refreshed on a schedule (injected clock). A CRL belongs to the configured CA whose subject it
 * names as issuer *and* whose key verifies its signature: after a CA key rollover two trusted CAs
 * share one name, and each CRL is held for the CA that signed it (keyed by the SHA-256 of the
 * CA certificate's DER, not by name). A certificate is checked against the CRL of the CA it
 * chained to. Its status is "unknown" (RevocationUnknownError: the reader resends later) when
 * that CA has no CRL, or the newest one is past its nextUpdate by more than `graceMs` (a
 * refresh that keeps failing), or has no nextUpdate and is older than `maxAgeMs` (such a list
 * would otherwise be used forever).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import { x509 } from '../../firmware/core/x509.ts';
import { crlSerials } from './crl-serials.ts';
import { derBlocks } from './der-or-pem.ts';
import { ProofRefusedError, RevocationUnknownError, TrustMaterialError } from './errors.ts';
import { normaliseSerial, type TrustAnchors, type TrustedCa } from './trust-anchors.ts';

export type CrlSource = { readonly file: string } | { readonly url: string };

export interface RevocationOptions {
  readonly sources: readonly CrlSource[];
  readonly anchors: TrustAnchors;
  readonly clock: Clock;
  readonly log: Logger;
  /** How often every source is fetched again. */
  readonly refreshMs: number;
  /** How long past its nextUpdate a CRL is still used when no newer one could be fetched. */
  readonly graceMs: number;
  /** How long after its thisUpdate a CRL without nextUpdate is used. */
  readonly maxAgeMs: number;
  readonly fetchTimeoutMs?: number;
}

interface LoadedCrl {
  readonly issuer: string;
  readonly revoked: ReadonlySet<string>;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly source: string;
}

const MAX_CRL_BYTES = 64 * 1024 * 1024;

export class Revocation {
  /** CA (caKey: SHA-256 of its DER) → its newest verified CRL. */
  #byCa = new Map<string, LoadedCrl>();
  #timer: TimerHandle | undefined;
  #closed = false;
  readonly stats = { refreshes: 0, failures: 0 };

  private constructor(private readonly o: RevocationOptions) {}

  /** Loads every source once (a source that fails is logged, not fatal) and starts the schedule. */
  static async start(o: RevocationOptions): Promise<Revocation> {
    const r = new Revocation(o);
    await r.refresh();
    r.#schedule();
    return r;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = this.o.clock.setTimeout(() => {
      this.refresh()
        .catch((err: unknown) => this.o.log.error('revocation refresh failed', { err }))
        .finally(() => this.#schedule());
    }, this.o.refreshMs);
  }

  /** Fetches every source now; a CRL replaces the held one only when it is newer. */
  async refresh(): Promise<void> {
    this.stats.refreshes += 1;
    for (const source of this.o.sources) {
      const name = 'file' in source ? source.file : source.url;
      try {
        for (const der of derBlocks(await this.#fetch(source), 'X509 CRL', name)) await this.#accept(der, name);
      } catch (err) {
        this.stats.failures += 1;
        this.o.log.warn('revocation list not loaded', { source: name, err });
      }
    }
  }

  async #fetch(source: CrlSource): Promise<Uint8Array> {
    if ('file' in source) return readFile(source.file);
    const res = await fetch(source.url, { signal: AbortSignal.timeout(this.o.fetchTimeoutMs ?? 30_000) });
    if (!res.ok) throw new TrustMaterialError(source.url, `HTTP ${res.status}`);
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.byteLength > MAX_CRL_BYTES) throw new TrustMaterialError(source.url, `larger than ${MAX_CRL_BYTES} bytes`);
    return body;
  }

  async #accept(der: Buffer, source: string): Promise<void> {
    let crl: x509.X509Crl;
    try {
      crl = new x509.X509Crl(der);
    } catch (err) {
      throw new TrustMaterialError(source, 'not an X.509 CRL', { cause: err });
    }
    const ca = await this.#signerOf(crl, source);
    const thisUpdate = crl.thisUpdate.getTime();
    const key = caKey(ca);
    const held = this.#byCa.get(key);
    if (held && held.thisUpdate >= thisUpdate) return;
    const revoked = new Set(crlSerials(der, source));
    if (crl.entries.length > 0 && crl.entries.some((e) => !revoked.has(normaliseSerial(e.serialNumber))))
      throw new TrustMaterialError(source, 'the CRL parsers disagree on the revoked serials');
    this.#byCa.set(key, { issuer: ca.subject, revoked, thisUpdate, nextUpdate: crl.nextUpdate?.getTime(), source });
    this.o.log.info('revocation list loaded', {
      issuer: ca.subject,
      ca: key.slice(0, 16),
      source,
      revoked: revoked.size,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString(),
    });
  }

  /** The configured CA that names `crl` as its own and whose key verifies its signature. */
  async #signerOf(crl: x509.X509Crl, source: string): Promise<TrustedCa> {
    // Names compare in one library's notation (node writes them one attribute per line).
    const named = this.o.anchors.cas.filter((a) => new x509.X509Certificate(a.der).subject === crl.issuer);
    if (named.length === 0) throw new TrustMaterialError(source, `CRL of "${crl.issuer}", which is not a configured CA`);
    for (const ca of named) {
      const publicKey = await new x509.X509Certificate(ca.der).publicKey.export();
      if (await crl.verify({ publicKey })) return ca;
    }
    throw new TrustMaterialError(source, `CRL signature does not verify with any configured CA named "${crl.issuer}"`);
  }

  /** Throws CERTIFICATE_REVOKED, or RevocationUnknownError when `ca` (the CA the certificate chained to) has no usable CRL. */
  check(ca: TrustedCa, serial: string): void {
    const crl = this.#byCa.get(caKey(ca));
    if (!crl) throw new RevocationUnknownError(ca.subject, 'no revocation list loaded for this CA');
    if (this.o.clock.now() > this.#usableUntil(crl))
      throw new RevocationUnknownError(
        ca.subject,
        crl.nextUpdate !== undefined
          ? `the newest revocation list expired at ${new Date(crl.nextUpdate).toISOString()}`
          : `the newest revocation list has no nextUpdate and is older than ${this.o.maxAgeMs} ms`,
      );
    if (crl.revoked.has(normaliseSerial(serial)))
      throw new ProofRefusedError('CERTIFICATE_REVOKED', `serial ${serial} is on the revocation list of "${ca.subject}" (${crl.source})`);
  }

  /** Past this (ms) the CRL answers nothing: nextUpdate + grace, or thisUpdate + maxAge without a nextUpdate. */
  #usableUntil(c: LoadedCrl): number {
    return c.nextUpdate !== undefined ? c.nextUpdate + this.o.graceMs : c.thisUpdate + this.o.maxAgeMs;
  }

  /** What `/metrics` and `facility status` show: per CA (`ca`: the start of caKey), the CRL's age, size and how long it is used. */
  summary(): {
    issuer: string;
    ca: string;
    thisUpdate: number;
    nextUpdate: number | undefined;
    usableUntil: number;
    revoked: number;
  }[] {
    return [...this.#byCa].map(([key, c]) => ({
      issuer: c.issuer,
      ca: key.slice(0, 16),
      thisUpdate: c.thisUpdate,
      nextUpdate: c.nextUpdate,
      usableUntil: this.#usableUntil(c),
      revoked: c.revoked.size,
    }));
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
  }
}

/** A configured CA's identity: the SHA-256 of its certificate (two CAs may share a name, never a key). */
function caKey(ca: TrustedCa): string {
  return createHash('sha256').update(ca.der).digest('hex');
}
