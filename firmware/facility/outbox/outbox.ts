/**
 * The durable outbox: every visit result is here, on disk, before anyone tries to send it,
 * and leaves only when the facility confirmed it stored it (`ack`).
 *
 * An Outbox is one reader's view of a journal (journal.ts: segment files, group commit with
 * O_DSYNC writes, recovery of torn tails, compaction, size limit and full disk). A reader
 * opens its own with `Outbox.open({ dir })`; a process that simulates many readers opens one
 * `OutboxJournal` and takes `Outbox.in(journal, readerId)` for each, so that one group commit
 * covers every reader's pending records (what one reader's burst gets anyway).
 *
 * Dead letters: a record the facility refused in a way no resend can change (the message
 * itself: messages/refusals.ts FINAL_MESSAGE_REFUSALS) stays here, counted (`deadLetters`, in
 * the health report) but no longer `pending`. The mark is a journal record of its own, so it
 * holds across restarts (a result the facility cannot take is not sent again at every boot).
 */
import { OutboxClosedError, OutboxJournal, type JournalOptions, type OutboxStatus } from './journal.ts';
import type { LiveRecord } from './recover.ts';

export { OutboxClosedError, OutboxJournal, type OutboxStatus } from './journal.ts';
export type OutboxOptions = JournalOptions;

export interface OutboxRecord {
  readonly id: string;
  readonly seq: number;
  readonly createdMs: number;
  readonly payload: Buffer;
}

export class Outbox {
  readonly #j: OutboxJournal;
  readonly #stream: string;
  readonly #records: ReadonlyMap<string, LiveRecord>;
  readonly #ownsJournal: boolean;
  #closed = false;

  private constructor(journal: OutboxJournal, stream: string, ownsJournal: boolean) {
    this.#j = journal;
    this.#stream = stream;
    this.#records = journal.records(stream);
    this.#ownsJournal = ownsJournal;
  }

  /** Opens (recovering) the journal in `dir` as this reader's own outbox. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    return new Outbox(await OutboxJournal.open(options), '', true);
  }

  /** The outbox named `stream` (1–255 bytes) in a journal shared by several; its records survive reopening the journal. */
  static in(journal: OutboxJournal, stream: string): Outbox {
    if (!stream || Buffer.byteLength(stream) > 255) throw new RangeError('a shared outbox needs a name of 1–255 bytes');
    return new Outbox(journal, stream, false);
  }

  get depth(): number {
    return this.#records.size;
  }
  get status(): OutboxStatus {
    return this.#j.status;
  }
  get bytes(): number {
    return this.#j.bytes;
  }
  get segmentCount(): number {
    return this.#j.segmentCount;
  }
  get stats(): { readonly writes: number; readonly fsyncs: number } {
    return this.#j.stats;
  }
  /** What recovery found at open (torn tails truncated). */
  get recovery(): OutboxJournal['recovery'] {
    return this.#j.recovery;
  }
  /** Creation time of the oldest undelivered record, or undefined when empty. */
  get oldestCreatedMs(): number | undefined {
    for (const r of this.#records.values()) return r.createdMs;
    return undefined;
  }
  has(id: string): boolean {
    return this.#records.has(id);
  }
  get(id: string): OutboxRecord | undefined {
    return this.#records.get(id);
  }

  /** Undelivered records in append order (up to `limit`), skipping ids in `exclude` and dead letters. */
  pending(limit = Infinity, exclude?: { has(id: string): boolean }): OutboxRecord[] {
    const out: OutboxRecord[] = [];
    for (const r of this.#records.values()) {
      if (out.length >= limit) break;
      if (!exclude?.has(r.id) && !r.dead) out.push(r);
    }
    return out;
  }

  /**
   * Keeps `id` but stops offering it for delivery (the facility refused the message for good),
   * durably: resolves once the mark is on disk (see OutboxJournal.deadLetter).
   */
  deadLetter(id: string): Promise<boolean> {
    if (!this.#records.has(id) || this.#closed) return Promise.resolve(false);
    return this.#j.deadLetter(id);
  }

  /** Records kept as dead letters (still in the outbox, counted in `depth`). */
  get deadLetters(): number {
    let n = 0;
    for (const r of this.#records.values()) if (r.dead) n += 1;
    return n;
  }

  /** Stores a record durably; resolves once it is on disk. Rejects with OutboxFullError. */
  append(id: string, payload: Uint8Array): Promise<OutboxRecord> {
    if (this.#closed) return Promise.reject(new OutboxClosedError('the outbox is closed (the link is shutting down)'));
    return this.#j.append(this.#stream, id, payload);
  }

  /** The facility stored `id`: forget it (durably). False when it is not (or no longer) here. */
  ack(id: string): Promise<boolean> {
    return this.#records.has(id) && !this.#closed ? this.#j.ack(id) : Promise.resolve(false);
  }

  /** Closes the journal when this outbox owns it; a shared journal is closed by its owner. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#ownsJournal) await this.#j.close();
  }
}
