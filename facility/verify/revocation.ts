/**
 * Revocation of card certificates from the CAs' CRLs, each loaded from a file or a URL and
 * refreshed on a schedule (injected clock). A CRL is used only when its signature verifies with
 * the key of the configured CA that names it as issuer. A certificate's status is "unknown"
 * (RevocationUnknownError: the reader resends later) when its CA has no CRL, or the newest one
 * is past its nextUpdate by more than `graceMs` (a refresh that keeps failing).
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import { x509 } from '../../firmware/core/x509.ts';
import { derBlocks } from './der-or-pem.ts';
import { ProofRefusedError, RevocationUnknownError, TrustMaterialError } from './errors.ts';
import { normaliseSerial, type TrustAnchors } from './trust-anchors.ts';

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
  readonly fetchTimeoutMs?: number;
}

interface LoadedCrl {
  readonly revoked: ReadonlySet<string>;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly source: string;
}

const MAX_CRL_BYTES = 64 * 1024 * 1024;

export class Revocation {
  /** CA subject → its newest verified CRL. */
  #byIssuer = new Map<string, LoadedCrl>();
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
    // Names compare in one library's notation (node writes them one attribute per line).
    const ca = this.o.anchors.cas.find((a) => new x509.X509Certificate(a.der).subject === crl.issuer);
    if (!ca) throw new TrustMaterialError(source, `CRL of "${crl.issuer}", which is not a configured CA`);
    const publicKey = await new x509.X509Certificate(ca.der).publicKey.export();
    if (!(await crl.verify({ publicKey }))) throw new TrustMaterialError(source, `CRL signature does not verify with "${ca.subject}"`);
    const thisUpdate = crl.thisUpdate.getTime();
    const held = this.#byIssuer.get(ca.subject);
    if (held && held.thisUpdate >= thisUpdate) return;
    const revoked = new Set(crl.entries.map((e) => normaliseSerial(e.serialNumber)));
    this.#byIssuer.set(ca.subject, { revoked, thisUpdate, nextUpdate: crl.nextUpdate?.getTime(), source });
    this.o.log.info('revocation list loaded', {
      issuer: ca.subject,
      source,
      revoked: revoked.size,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString(),
    });
  }

  /** Throws CERTIFICATE_REVOKED, or RevocationUnknownError when there is no usable CRL. */
  check(issuer: string, serial: string): void {
    const crl = this.#byIssuer.get(issuer);
    if (!crl) throw new RevocationUnknownError(issuer, 'no revocation list loaded for this CA');
    if (crl.nextUpdate !== undefined && this.o.clock.now() > crl.nextUpdate + this.o.graceMs)
      throw new RevocationUnknownError(issuer, `the newest revocation list expired at ${new Date(crl.nextUpdate).toISOString()}`);
    if (crl.revoked.has(normaliseSerial(serial)))
      throw new ProofRefusedError('CERTIFICATE_REVOKED', `serial ${serial} is on the revocation list of "${issuer}" (${crl.source})`);
  }

  /** What `/metrics` and `facility status` show: per CA, the CRL's age and size. */
  summary(): { issuer: string; thisUpdate: number; nextUpdate: number | undefined; revoked: number }[] {
    return [...this.#byIssuer].map(([issuer, c]) => ({
      issuer,
      thisUpdate: c.thisUpdate,
      nextUpdate: c.nextUpdate,
      revoked: c.revoked.size,
    }));
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
  }
}
