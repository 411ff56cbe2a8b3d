/**
 * The embedded facility database: one SQLite file (better-sqlite3, loaded lazily) in WAL mode
 * with synchronous=FULL, so a commit is on disk when it returns. better-sqlite3 is synchronous:
 * a batch runs as one transaction in one call, and the caller's group commit (commit-queue.ts)
 * keeps batches large under load. Migrations run at open, each in its own transaction.
 */
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { fsyncDir, mkdirDurable } from '../../firmware/core/fs.ts';
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import { StoreError, StoreTooNewError } from './errors.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations.ts';
import { challengeFrom, consentFrom, countsFrom, countsOfParams, params, readerFrom, replayRefusal, SQL, xmlJobFrom } from './sql.ts';
import type { ChallengeRow, FacilityStore, ReaderRow, ResultFate, ResultLookup, StoreCounts, WriteBatch, XmlJob } from './store.ts';

type Db = BetterSqlite3.Database;
type Row = Record<string, unknown>;

export interface SqliteOpenOptions {
  /**
   * WAL pages after which a commit checkpoints in its own path (SQLite's wal_autocheckpoint;
   * its default, 1000, when absent). The threaded store raises it when its checkpointer
   * (SqliteCheckpointer below, run by sqlite-checkpointer-thread.ts; it stays in this file, the
   * only one that loads better-sqlite3) does that work in a thread of its own: then it is only a
   * bound on the WAL should the checkpointer fall behind.
   */
  readonly autocheckpointPages?: number;
}

/** One PASSIVE checkpoint's outcome: WAL frames in the log, and of them copied into the database file. */
export interface CheckpointOutcome {
  readonly busy: boolean;
  readonly log: number;
  readonly checkpointed: number;
}

/**
 * A second connection to a store's file that only checkpoints (PASSIVE: it never waits for, nor
 * blocks, the committing connection; it copies committed WAL frames into the database file and
 * syncs it). Opened after the store, so the file exists and is migrated.
 */
export class SqliteCheckpointer {
  private constructor(private readonly db: Db) {}

  static async open(path: string): Promise<SqliteCheckpointer> {
    const { default: Database } = await import('better-sqlite3');
    try {
      const db = new Database(path, { fileMustExist: true });
      db.pragma('synchronous = FULL');
      db.pragma('wal_autocheckpoint = 0');
      return new SqliteCheckpointer(db);
    } catch (err) {
      throw new StoreError(`cannot open ${path} to checkpoint it`, { cause: err });
    }
  }

  checkpoint(): CheckpointOutcome {
    const r = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    const row = r[0] ?? { busy: 1, log: -1, checkpointed: -1 };
    return { busy: row.busy !== 0, log: row.log, checkpointed: row.checkpointed };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export class SqliteStore implements FacilityStore {
  readonly kind = 'sqlite' as const;
  #stmts = new Map<string, BetterSqlite3.Statement>();
  private constructor(
    private readonly db: Db,
    readonly path: string,
  ) {}

  /** Opens (creating) the database file at `path` and brings its schema up to date. */
  static async open(path: string, options: SqliteOpenOptions = {}): Promise<SqliteStore> {
    const { default: Database } = await import('better-sqlite3');
    let db: Db;
    try {
      if (path !== ':memory:') await mkdirDurable(dirname(path));
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 10000');
      db.pragma('foreign_keys = ON');
      if (options.autocheckpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${Math.trunc(options.autocheckpointPages)}`);
    } catch (err) {
      throw new StoreError(`cannot open ${path}`, { cause: err });
    }
    const store = new SqliteStore(db, path);
    store.#migrate();
    // SQLite never syncs the directory: the names of a new database file and of its WAL (made
    // anew at every open) must be made durable here, or a power cut can take every commit with
    // them (found by the power-cut test, test/facility/store/sqlite-power-cut.itest.ts).
    if (path !== ':memory:') await fsyncDir(dirname(path));
    return store;
  }

  /** The pragmas in force (checked by tests: WAL, FULL, the commit's own checkpoint threshold). */
  pragmas(): { journalMode: string; synchronous: number; autocheckpointPages: number } {
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      autocheckpointPages: Number(this.db.pragma('wal_autocheckpoint', { simple: true })),
    };
  }

  /** Sets the commit's own checkpoint threshold (wal_autocheckpoint): back to SQLite's 1000 when the checkpointer thread failed. */
  setAutocheckpoint(pages: number): void {
    this.db.pragma(`wal_autocheckpoint = ${Math.trunc(pages)}`);
  }

  #migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const current = Number((this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Row)['v']);
    if (current > LATEST_VERSION) throw new StoreTooNewError(current, LATEST_VERSION);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      this.db
        .transaction(() => {
          for (const s of m.statements) this.db.exec(s);
          this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
        })
        .immediate();
    }
  }

  /** Applied schema versions (tests, `facility status`). */
  versions(): number[] {
    return (this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Row[]).map((r) => Number(r['version']));
  }

  #s(sql: string): BetterSqlite3.Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  commit(batch: WriteBatch): Promise<Map<string, ResultFate>> {
    try {
      return Promise.resolve(this.db.transaction(() => this.#write(batch)).immediate());
    } catch (err) {
      return Promise.reject(new StoreError('a batch could not be committed', { cause: err }));
    }
  }

  #write(b: WriteBatch): Map<string, ResultFate> {
    for (const c of b.challenges) this.#s(SQL.insertChallenge).run(...params.challenge(c));
    for (const r of b.redemptions) this.#s(SQL.redeem).run(r.at, r.challenge);
    const fates = new Map<string, ResultFate>();
    for (const r of b.results) {
      if (fates.has(r.id)) continue; // another copy in this batch: the same fate
      if (this.#s(SQL.insertResult).run(...params.result(r)).changes === 1) {
        fates.set(r.id, 'stored');
        if (r.consent && r.certificateSerial)
          this.#s(SQL.insertConsent).run(...params.consent({ ...r, consent: r.consent, certificateSerial: r.certificateSerial }));
        this.#s(SQL.readerLastResult).run(...params.lastResult(r));
      } else if (this.#s(SQL.resultById).get(r.id)) fates.set(r.id, 'duplicate');
      else {
        fates.set(r.id, 'replayed');
        this.#s(SQL.insertRefusal).run(...params.refusal(replayRefusal(r)));
      }
    }
    for (const r of b.refusals) this.#s(SQL.insertRefusal).run(...params.refusal(r));
    for (const u of b.readers) {
      if (u.status) this.#s(SQL.readerStatus).run(...params.status({ ...u, status: u.status }));
      if (u.health) this.#s(SQL.readerHealth).run(...params.health({ ...u, health: u.health }));
    }
    for (const c of b.commands) this.#s(SQL.insertCommand).run(...params.command(c));
    for (const c of b.commandReplies) this.#s(SQL.commandReply).run(...params.commandReply(c));
    for (const c of b.consents) this.#s(SQL.insertConsent).run(...params.importedConsent(c));
    return fates;
  }

  #all(sql: string, args: readonly unknown[]): Row[] {
    try {
      return this.#s(sql).all(...args) as Row[];
    } catch (err) {
      throw new StoreError('a query failed', { cause: err });
    }
  }

  challenges(values: readonly string[]): Promise<Map<string, ChallengeRow>> {
    if (values.length === 0) return Promise.resolve(new Map());
    return Promise.resolve(
      new Map(this.#all(SQL.challenges(values.length), values).map((r) => [String(r['challenge']), challengeFrom(r)])),
    );
  }

  storedResults(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return Promise.resolve(new Set());
    return Promise.resolve(new Set(this.#all(SQL.storedResults(ids.length), ids).map((r) => String(r['id']))));
  }

  refusedResults(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return Promise.resolve(new Map());
    return Promise.resolve(new Map(this.#all(SQL.refusedResults(ids.length), ids).map((r) => [String(r['result_id']), String(r['code'])])));
  }

  async lookupResults(ids: readonly string[], challenges: readonly string[]): Promise<ResultLookup> {
    const [stored, refused, found] = await Promise.all([this.storedResults(ids), this.refusedResults(ids), this.challenges(challenges)]);
    return { stored, refused, challenges: found };
  }

  previousConsent(facilityId: string, certificateSerial: string): Promise<ConsentChoice | undefined> {
    return Promise.resolve(consentFrom(this.#all(SQL.previousConsent, [facilityId, certificateSerial])[0]));
  }

  readers(facilityId?: string): Promise<ReaderRow[]> {
    return Promise.resolve((facilityId ? this.#all(SQL.readersOf, [facilityId]) : this.#all(SQL.readers, [])).map(readerFrom));
  }

  recentResults(facilityId: string, limit: number): Promise<VisitResult[]> {
    return Promise.resolve(this.#all(SQL.recentResults, [facilityId, limit]).map((r) => JSON.parse(String(r['payload'])) as VisitResult));
  }

  counts(facilityId?: string): Promise<StoreCounts> {
    return Promise.resolve(countsFrom((facilityId ? this.#all(SQL.countsOf, countsOfParams(facilityId)) : this.#all(SQL.counts, []))[0]));
  }

  xmlJobs(limit: number): Promise<XmlJob[]> {
    return Promise.resolve(this.#all(SQL.xmlJobs, [limit]).map(xmlJobFrom));
  }

  setXmlState(id: string, state: 'staged' | 'written'): Promise<void> {
    this.#s(SQL.setXmlState).run(state, id);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
