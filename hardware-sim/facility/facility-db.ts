/**
 * The facility simulator's records: results (deduped by id, appended to `results.jsonl` and
 * fsync'd before they are acknowledged, group-committed), per-reader delivery counters
 * (received, duplicates, out of order by UUIDv7 order), consent history per facility and
 * patient, registrations, and insured data (deterministic per certificate serial unless
 * given in `patients`). Consent given at this facility is never visible to another one.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsentChoice, InsuredData, VisitResult } from '../../firmware/ports/facility-link.ts';

export interface PatientRecord { readonly registered: boolean; readonly insured: InsuredData }

export interface ReaderCounters { received: number; duplicates: number; outOfOrder: number; lastId: string }

export class FacilityDb {
  readonly results = new Map<string, VisitResult>();
  readonly counters = new Map<string, ReaderCounters>();
  /** facilityId → certificate serial → last consent. */
  readonly consent = new Map<string, Map<string, ConsentChoice>>();
  readonly registered = new Set<string>();
  /** The first 1000 out-of-order arrivals: which id came after which newer one, and when. */
  readonly lateLog: { readonly id: string; readonly after: string; readonly at: number }[] = [];
  #fd: FileHandle | undefined;
  #queue: { line: string; resolve(): void; reject(e: unknown): void }[] = [];
  #writing: Promise<void> | undefined;

  private constructor(readonly dir: string | undefined, readonly patients: ReadonlyMap<string, PatientRecord>) {}

  static async open(dir?: string, patients: ReadonlyMap<string, PatientRecord> = new Map()): Promise<FacilityDb> {
    const db = new FacilityDb(dir, patients);
    if (dir) {
      await mkdir(dir, { recursive: true });
      const file = join(dir, 'results.jsonl');
      let text = '';
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const rec = JSON.parse(line) as { facilityId: string; result: VisitResult };
          db.#index(rec.facilityId, rec.result);
        } catch {
          break; // a torn last line from a crash: everything before it counts
        }
      }
      db.#fd = await open(file, 'a');
    }
    return db;
  }

  /** Stores a result; resolves once it is durable. `duplicate` when it was here already. */
  async store(facilityId: string, result: VisitResult): Promise<{ duplicate: boolean }> {
    const c = this.counters.get(result.readerId) ?? { received: 0, duplicates: 0, outOfOrder: 0, lastId: '' };
    this.counters.set(result.readerId, c);
    if (this.results.has(result.id)) {
      c.duplicates += 1;
      return { duplicate: true };
    }
    if (this.#fd) await this.#append(JSON.stringify({ facilityId, result }));
    if (this.results.has(result.id)) {
      c.duplicates += 1;
      return { duplicate: true };
    }
    this.#index(facilityId, result);
    return { duplicate: false };
  }

  #index(facilityId: string, result: VisitResult): void {
    const c = this.counters.get(result.readerId) ?? { received: 0, duplicates: 0, outOfOrder: 0, lastId: '' };
    this.counters.set(result.readerId, c);
    if (this.results.has(result.id)) return; // a concurrent duplicate also reached the file
    this.results.set(result.id, result);
    c.received += 1;
    if (result.id < c.lastId) {
      c.outOfOrder += 1;
      if (this.lateLog.length < 1000) this.lateLog.push({ id: result.id, after: c.lastId, at: Date.now() });
    }
    else c.lastId = result.id;
    if (result.consent && result.certificateSerial && result.outcome === 'accepted') {
      const byPatient = this.consent.get(facilityId) ?? new Map<string, ConsentChoice>();
      byPatient.set(result.certificateSerial.toLowerCase(), result.consent);
      this.consent.set(facilityId, byPatient);
    }
    if (result.registeredNow && result.certificateSerial) this.registered.add(result.certificateSerial.toLowerCase());
  }

  #append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ line, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  /**
   * Group commit, pipelined: batches are written in order; each batch's fdatasync runs while
   * the next batch is written (at most 2 in flight), and batches are confirmed in order, each
   * only after its own fsync. A batch's stores resolve once it is on disk.
   */
  async #drain(): Promise<void> {
    const syncing: Promise<void>[] = [];
    try {
      for (;;) {
        if (this.#queue.length === 0) {
          // Nothing new: wait for an outstanding fsync, then look again (new work may have come).
          const oldest = syncing.shift();
          if (!oldest) break;
          await oldest;
          continue;
        }
        await new Promise<void>((r) => setImmediate(r));
        const batch = this.#queue.splice(0);
        let synced: Promise<void>;
        try {
          await this.#fd?.write(batch.map((b) => `${b.line}\n`).join(''));
          synced = this.#fd ? this.#fd.datasync() : Promise.resolve();
        } catch (err) {
          synced = Promise.reject(err);
        }
        const previous = syncing[syncing.length - 1] ?? Promise.resolve();
        const done = synced.then(
          async () => { await previous; for (const b of batch) b.resolve(); },
          async (err: unknown) => { await previous; for (const b of batch) b.reject(err); },
        );
        syncing.push(done);
        if (syncing.length >= 2) await syncing.shift();
      }
    } finally {
      this.#writing = undefined;
    }
  }

  /** Insured data and registration for a card serial. */
  patient(serial: string): PatientRecord {
    const key = serial.toLowerCase();
    const given = this.patients.get(key);
    const h = createHash('sha256').update(key).digest();
    const insured: InsuredData = given?.insured ?? {
      insurerNumber: `0613${String(h.readUInt16BE(0) % 10000).padStart(4, '0')}`,
      symbol: `記号${h[2] ?? 0}`, number: String(h.readUInt32BE(3) % 1_000_000), branch: '00',
      copayRatio: (['030', '020', '010'] as const)[(h[7] ?? 0) % 3] ?? '030',
      limitCategory: (['A01', 'A02', 'A03', 'A04', 'A05'] as const)[(h[8] ?? 0) % 5] ?? 'A03',
      validity: 1,
    };
    const registered = this.registered.has(key) || (given ? given.registered : (h[9] ?? 0) % 4 !== 0);
    return { registered, insured };
  }

  register(serial: string): void {
    this.registered.add(serial.toLowerCase());
  }

  previousConsent(facilityId: string, serial: string): ConsentChoice | undefined {
    return this.consent.get(facilityId)?.get(serial.toLowerCase());
  }

  async close(): Promise<void> {
    while (this.#writing) await this.#writing;
    await this.#fd?.close();
    this.#fd = undefined;
  }
}
