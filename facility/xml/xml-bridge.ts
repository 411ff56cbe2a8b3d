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
 */
import { constants } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
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
  readonly onWritten?: (id: string) => void;
  /** Results per database round (default 100). */
  readonly batch?: number;
}

export class XmlBridge {
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;

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

  async #pass(): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    // Bounded: each round handles up to `batch` jobs, and a job leaves the query once written.
    for (let round = 0; round < 100_000 && !this.#closed; round++) {
      const jobs = await this.o.store.xmlJobs(this.o.batch ?? 100);
      if (jobs.length === 0) return;
      for (const job of jobs) await this.#one(job);
    }
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
