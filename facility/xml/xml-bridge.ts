/**
 * Writes every accepted result from the database as one XML file for clinic systems, exactly
 * once per result across restarts, even when the clinic system has already moved or deleted
 * the file:
 *   1. write `.<name>.part` in the same folder and fsync it (clinic systems pick up `*.xml` only);
 *   2. mark the result `staged` in the database;
 *   3. rename to `<name>` and fsync the folder;
 *   4. mark it `written`.
 * After a crash: a `staged` result whose part file is still there is renamed now; one whose
 * part file is gone was renamed already and is only marked. A result not yet staged is written
 * from the start (its part file, if any, is overwritten). A qualification snapshot without
 * insured data (a card registered during the visit) is asked again from the provider.
 *
 * A job that fails (the provider throws, the result does not render) does not hold up the
 * others: it is retried with exponential backoff (`retry`), and after `retry.attempts` failures
 * parked: left unwritten, logged, counted (`status()`, /metrics), not tried again until the
 * service restarts. Its database state is untouched, so exactly-once still holds.
 */
import { constants } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Clock, TimerHandle } from '../../firmware/ports/clock.ts';
import { exists, fsyncDir } from '../../firmware/core/fs.ts';
import type { InsuredData, VisitResult } from '../../firmware/ports/facility-link.ts';
import type { PersonData, QualificationProvider } from '../qualification/provider.ts';
import type { FacilityStore, XmlJob } from '../store/store.ts';
import { resultToXml, xmlFileName } from './result-xml.ts';

export interface XmlBridgeOptions {
  readonly dir: string;
  readonly institutionCode: string;
  readonly store: FacilityStore;
  readonly provider: QualificationProvider;
  readonly facilityId: string;
  readonly log: Logger;
  readonly clock: Clock;
  readonly onWritten?: (id: string) => void;
  /** A job failed (`parked`: for good, until a restart). */
  readonly onFailed?: (id: string, parked: boolean) => void;
  /** Results per database round (default 100). */
  readonly batch?: number;
  /** Failures before a job is parked, and the first backoff (doubling, capped at 1 h). Default 5, 10 s. */
  readonly retry?: { readonly attempts: number; readonly backoffMs: number };
}

interface Failure {
  attempts: number;
  /** Clock time of the next try; Infinity when parked. */
  nextAt: number;
}

/** Jobs held back (waiting or parked) at most; past it the bridge stops asking and says so. */
const MAX_HELD = 1000;
const MAX_BACKOFF_MS = 3_600_000;

export class XmlBridge {
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #held = new Map<string, Failure>();
  #timer: TimerHandle | undefined;

  constructor(private readonly o: XmlBridgeOptions) {
    if (!/^[0-9]{10}$/.test(o.institutionCode)) throw new RangeError('medical institution code must be 10 digits');
  }

  /** Looks for results to write (after a commit, at start); one pass at a time. */
  kick(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pass()
      .catch((err: unknown) => this.o.log.error('xml bridge pass failed; retried at the next result', { err }))
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no pass is running (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; this.#running && i < 10_000; i++) await this.#running;
  }

  /** Results waiting for a retry, and parked ones (given up on until a restart). */
  status(): { retrying: number; parked: number } {
    let parked = 0;
    for (const f of this.#held.values()) if (f.nextAt === Infinity) parked += 1;
    return { retrying: this.#held.size - parked, parked };
  }

  async #pass(): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    // Bounded: each round handles up to `batch` jobs, and a job leaves the query once written or is held back.
    for (let round = 0; round < 100_000 && !this.#closed; round++) {
      const now = this.o.clock.now();
      const jobs = (await this.o.store.xmlJobs((this.o.batch ?? 100) + this.#held.size)).filter(
        (j) => (this.#held.get(j.id)?.nextAt ?? 0) <= now,
      );
      if (jobs.length === 0) return;
      for (const job of jobs) await this.#try(job);
      if (this.#held.size >= MAX_HELD) {
        this.o.log.error('xml bridge: too many results failing; stopped until one succeeds or a restart', { held: this.#held.size });
        return;
      }
    }
  }

  async #try(job: XmlJob): Promise<void> {
    try {
      await this.#one(job);
      this.#held.delete(job.id);
    } catch (err) {
      const retry = this.o.retry ?? { attempts: 5, backoffMs: 10_000 };
      const f = this.#held.get(job.id) ?? { attempts: 0, nextAt: 0 };
      f.attempts += 1;
      const parked = f.attempts >= retry.attempts;
      const delay = Math.min(MAX_BACKOFF_MS, retry.backoffMs * 2 ** (f.attempts - 1));
      f.nextAt = parked ? Infinity : this.o.clock.now() + delay;
      this.#held.set(job.id, f);
      this.o.onFailed?.(job.id, parked);
      if (parked) this.o.log.error('xml file not written; parked until the service restarts', { id: job.id, attempts: f.attempts, err });
      else {
        this.o.log.warn('xml file not written; will retry', { id: job.id, attempts: f.attempts, delayMs: delay, err });
        this.#wake();
      }
    }
  }

  /** Kicks a pass when the earliest held job is due. */
  #wake(): void {
    this.#timer?.cancel();
    let next = Infinity;
    for (const f of this.#held.values()) next = Math.min(next, f.nextAt);
    if (next !== Infinity) this.#timer = this.o.clock.setTimeout(() => this.kick(), Math.max(0, next - this.o.clock.now()));
  }

  async #one(job: XmlJob): Promise<void> {
    const result = JSON.parse(job.payload) as VisitResult;
    const name = xmlFileName(result, job.receivedAt);
    const part = join(this.o.dir, `.${name}.part`);
    if (job.state === 'staged') {
      if (await exists(part)) await this.#publish(part, name);
    } else {
      const { insured, person } = await this.#qualification(result, job.qualification);
      await writeDurably(part, resultToXml({ result, institutionCode: this.o.institutionCode, insured, person, storedAt: job.receivedAt }));
      await this.o.store.setXmlState(job.id, 'staged');
      await this.#publish(part, name);
    }
    await this.o.store.setXmlState(job.id, 'written');
    this.o.onWritten?.(job.id);
  }

  async #publish(part: string, name: string): Promise<void> {
    await rename(part, join(this.o.dir, name));
    await fsyncDir(this.o.dir);
  }

  async #qualification(
    result: VisitResult,
    snapshot: string | undefined,
  ): Promise<{ insured: InsuredData | undefined; person: PersonData | undefined }> {
    const s = snapshot ? (JSON.parse(snapshot) as { insured?: InsuredData; person?: PersonData }) : {};
    if (s.insured || !result.certificateSerial || !result.certificate) return { insured: s.insured, person: s.person };
    const again = await this.o.provider.confirm(
      {
        certificateSerial: result.certificateSerial,
        certificate: Buffer.from(result.certificate, 'base64'),
        facilityId: this.o.facilityId,
        at: new Date(),
      },
      AbortSignal.timeout(10_000),
    );
    return { insured: again.insured, person: again.person ?? s.person };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    await this.idle();
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o640);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}
