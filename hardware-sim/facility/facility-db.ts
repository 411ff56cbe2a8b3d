/**
 * The facility simulator's records: results (deduped by id, appended to `results.jsonl` with
 * O_DSYNC writes, group-committed, durable before they are acknowledged), per-reader delivery counters
 * (received, duplicates, out of order by UUIDv7 order), consent history per facility and
 * patient, registrations, and insured data (deterministic per certificate serial unless
 * given in `patients`). Consent given at this facility is never visible to another one.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, mkdirDurable } from '../../firmware/platform/file-store.ts';
import type { ConsentChoice, InsuredData, VisitResult } from '../../firmware/ports/facility-link.ts';

export interface PatientRecord { readonly registered: boolean; readonly insured: InsuredData }

/** Where the facility puts a result; resolves once it is stored (durably, for the real thing). */
export interface ResultStore {
  store(facilityId: string, result: VisitResult, raw?: Buffer): Promise<{ readonly duplicate: boolean }>;
}

export interface ReaderCounters { received: number; duplicates: number; outOfOrder: number; lastId: string }

export class FacilityDb implements ResultStore {
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
      await mkdirDurable(dir);
      const file = join(dir, 'results.jsonl');
      let buf = Buffer.alloc(0);
      try {
        buf = await readFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      // Every store is whole lines ending in \n, fsync'd before it is confirmed: the good
      // prefix ends at the last complete, parseable line; anything after it is a torn write
      // from a crash that was never confirmed.
      let good = 0;
      for (let off = 0; off < buf.length;) {
        const nl = buf.indexOf(10, off);
        if (nl < 0) break;
        const line = buf.toString('utf8', off, nl);
        if (line) {
          try {
            const rec = JSON.parse(line) as { facilityId: string; result: VisitResult };
            db.#index(rec.facilityId, rec.result);
          } catch {
            break;
          }
        }
        off = nl + 1;
        good = off;
      }
      db.#fd = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o600);
      // A new file's name is durable only once its directory is synced (found by the power-cut test).
      await fsyncDir(dir);
      // Cut the torn tail off, or the next line would be glued to it and lost with it.
      if (good < buf.length) {
        await db.#fd.truncate(good);
        await db.#fd.datasync();
      }
    }
    return db;
  }

  /**
   * Stores a result; resolves once it is durable. `duplicate` when it was here already.
   * `raw`: the validated JSON it was decoded from, written as is (no second serialisation).
   */
  async store(facilityId: string, result: VisitResult, raw?: Buffer): Promise<{ duplicate: boolean }> {
    const c = this.counters.get(result.readerId) ?? { received: 0, duplicates: 0, outOfOrder: 0, lastId: '' };
    this.counters.set(result.readerId, c);
    if (this.results.has(result.id)) {
      c.duplicates += 1;
      return { duplicate: true };
    }
    if (this.#fd) await this.#append(raw && !raw.includes(10) ? `{"facilityId":${JSON.stringify(facilityId)},"result":${raw.toString('utf8')}}` : JSON.stringify({ facilityId, result }));
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
   * Group commit: one batch at a time, written with one O_DSYNC write (data and file size on
   * disk when it returns: write + fdatasync in one call and one thread-pool round trip);
   * everything that arrives meanwhile forms the next batch. Batches, and so stores, are
   * confirmed in arrival order, each only after its own write returned.
   */
  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        await new Promise<void>((r) => setImmediate(r)); // let this tick's stores join the batch
        const batch = this.#queue.splice(0);
        try {
          const data = Buffer.from(batch.map((b) => `${b.line}\n`).join(''));
          for (let off = 0; off < data.length;) off += (await (this.#fd as FileHandle).write(data, off, data.length - off)).bytesWritten;
        } catch (err) {
          for (const b of batch) b.reject(err);
          continue;
        }
        for (const b of batch) b.resolve();
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
