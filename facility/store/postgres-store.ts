/**
 * The facility database on PostgreSQL (node-postgres `pg`, pure JavaScript, loaded lazily):
 * the same schema and statements as SQLite (sql.ts), numbered placeholders, and a batch sent as
 * multi-row statements in one transaction on one connection (a batch of results only: one
 * prepared statement, postgres-batch.ts). COMMIT returns once the WAL is flushed
 * (synchronous_commit, fsync and full_page_writes must stay on: checked at open, see
 * postgres-settings.ts). Migrations take an advisory lock, so several facility services can
 * start against one database.
 */
import type { Pool, PoolClient, PoolConfig } from 'pg';
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import { StoreError, StoreTooNewError } from './errors.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations.ts';
import { DURABILITY_SETTINGS } from './postgres-settings.ts';
import { commitResults, lookupResults, resultsOnly } from './postgres-batch.ts';
import { challengeFrom, consentFrom, countsFrom, countsOfParams, params, readerFrom, replayRefusal, SQL, xmlJobFrom } from './sql.ts';
import type {
  ChallengeRow,
  FacilityStore,
  ReaderRow,
  ReaderUpdate,
  ResultFate,
  ResultLookup,
  ResultRow,
  StoreCounts,
  WriteBatch,
  XmlJob,
} from './store.ts';

type Row = Record<string, unknown>;
const MIGRATION_LOCK = 0x6b616f; // "kao"

/** `?` → `$1, $2…` */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The statement's one `VALUES (…)` tuple repeated `rows` times. */
export function multiRow(sql: string, rows: number): string {
  const m = /VALUES (\([?, ]+\))/.exec(sql);
  if (!m?.[1]) throw new StoreError(`not a single-row INSERT: ${sql.slice(0, 60)}`);
  return sql.replace(m[0], `VALUES ${Array.from({ length: rows }, () => m[1]).join(', ')}`);
}

/** Last update per reader wins (one statement may not touch a row twice). */
function lastPerReader<T extends { readerId: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((u) => [u.readerId, u])).values()];
}

interface Part {
  readonly sql: string;
  readonly params: unknown[];
}

/** A multi-row INSERT for `rows` (none: nothing to run). */
function part<T>(sql: string, rows: readonly T[], toParams: (row: T) => unknown[]): Part | undefined {
  return rows.length === 0 ? undefined : { sql: multiRow(sql, rows.length), params: rows.flatMap(toParams) };
}

/**
 * Runs several INSERTs into *different* tables as one statement (all but the last as
 * data-modifying WITH queries): one round trip instead of one each, in the same transaction.
 * Each table at most once: one statement may not modify a row twice.
 */
async function together(c: Pick<PoolClient, 'query'>, parts: readonly (Part | undefined)[]): Promise<void> {
  const todo = parts.filter((p): p is Part => p !== undefined);
  const last = todo.at(-1);
  if (!last) return;
  const withs = todo.slice(0, -1).map((p, i) => `w${i} AS (${p.sql})`);
  const sql = withs.length === 0 ? last.sql : `WITH ${withs.join(', ')} ${last.sql}`;
  await c.query(
    numbered(sql),
    todo.flatMap((p) => p.params),
  );
}

export interface PostgresOptions {
  /** `postgres://user@host:port/db` or a socket directory as host (`postgres:///db?host=/run/postgresql`). */
  readonly url: string;
  readonly poolSize?: number;
}

export class PostgresStore implements FacilityStore {
  readonly kind = 'postgres' as const;
  private constructor(private readonly pool: Pool) {}

  static async open(o: PostgresOptions): Promise<PostgresStore> {
    const pg = await import('pg');
    const config: PoolConfig = {
      connectionString: o.url,
      max: o.poolSize ?? 4,
      // BIGINT columns (epoch ms) and COUNT(*) as numbers: they stay far below 2^53.
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === 20 ? (v: string) => Number(v) : pg.default.types.getTypeParser(oid, format as 'text')) as never,
      },
    };
    const pool = new pg.default.Pool(config);
    pool.on('error', () => undefined); // an idle client's error surfaces on its next query
    const store = new PostgresStore(pool);
    try {
      await store.#migrate();
      await checkDurability(pool);
    } catch (err) {
      await pool.end();
      throw err instanceof StoreError || err instanceof StoreTooNewError
        ? err
        : new StoreError(`cannot open ${redactUrl(o.url)}`, { cause: err });
    }
    return store;
  }

  async #migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const current = Number(
        (await c.query<{ v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0]?.v ?? 0,
      );
      if (current > LATEST_VERSION) throw new StoreTooNewError(current, LATEST_VERSION);
      for (const m of MIGRATIONS) {
        if (m.version <= current) continue;
        await c.query('BEGIN');
        try {
          for (const s of [...m.statements, ...(m.postgresStorage ?? [])]) await c.query(s);
          await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      c.release();
    }
  }

  async versions(): Promise<number[]> {
    return (await this.#all('SELECT version FROM schema_migrations ORDER BY version', [])).map((r) => Number(r['version']));
  }

  async commit(batch: WriteBatch): Promise<Map<string, ResultFate>> {
    if (resultsOnly(batch)) {
      try {
        return await commitResults(this.pool, batch); // one statement: its own transaction
      } catch (err) {
        throw new StoreError('a batch could not be committed', { cause: err });
      }
    }
    let c: PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      throw new StoreError('no database connection', { cause: err });
    }
    try {
      await c.query('BEGIN');
      const fates = await this.#write(c, batch);
      await c.query('COMMIT');
      return fates;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw new StoreError('a batch could not be committed', { cause: err });
    } finally {
      c.release();
    }
  }

  async #insert<T>(c: PoolClient, sql: string, rows: readonly T[], toParams: (row: T) => unknown[], suffix = ''): Promise<Row[]> {
    if (rows.length === 0) return [];
    return (await c.query(numbered(multiRow(sql, rows.length)) + suffix, rows.flatMap(toParams))).rows as Row[];
  }

  async #write(c: PoolClient, b: WriteBatch): Promise<Map<string, ResultFate>> {
    await this.#insert(c, SQL.insertChallenge, b.challenges, params.challenge);
    for (const r of b.redemptions) await c.query(numbered(SQL.redeem), [r.at, r.challenge]);
    const unique = [...new Map(b.results.map((r) => [r.id, r])).values()];
    const inserted = new Set((await this.#insert(c, SQL.insertResult, unique, params.result, ' RETURNING id')).map((r) => String(r['id'])));
    const fates = new Map<string, ResultFate>();
    const stored: ResultRow[] = [];
    const conflicted = unique.filter((r) => !inserted.has(r.id));
    const already =
      conflicted.length === 0
        ? new Set<string>()
        : new Set(
            (
              await c.query(
                numbered(SQL.storedResults(conflicted.length)),
                conflicted.map((r) => r.id),
              )
            ).rows.map((r: Row) => String(r['id'])),
          );
    const refusals = [...b.refusals];
    for (const r of b.results) {
      if (fates.has(r.id)) continue;
      if (inserted.has(r.id)) {
        fates.set(r.id, 'stored');
        stored.push(r);
      } else if (already.has(r.id)) fates.set(r.id, 'duplicate');
      else {
        fates.set(r.id, 'replayed');
        refusals.push(replayRefusal(r));
      }
    }
    const consents = stored.flatMap((r) =>
      r.consent && r.certificateSerial ? [{ ...r, consent: r.consent, certificateSerial: r.certificateSerial }] : [],
    );
    // One round trip for what follows the results (three tables, each touched once).
    await together(c, [
      part(SQL.insertConsent, consents, params.consent),
      part(SQL.readerLastResult, lastPerReader(stored), params.lastResult),
      part(SQL.insertRefusal, refusals, params.refusal),
    ]);
    const statuses = lastPerReader(
      b.readers.filter((u): u is ReaderUpdate & { status: NonNullable<ReaderUpdate['status']> } => u.status !== undefined),
    );
    await this.#insert(c, SQL.readerStatus, statuses, params.status);
    const healths = lastPerReader(
      b.readers.filter((u): u is ReaderUpdate & { health: NonNullable<ReaderUpdate['health']> } => u.health !== undefined),
    );
    await this.#insert(c, SQL.readerHealth, healths, params.health);
    await this.#insert(c, SQL.insertCommand, b.commands, params.command);
    for (const r of b.commandReplies) await c.query(numbered(SQL.commandReply), params.commandReply(r));
    await this.#insert(c, SQL.insertConsent, b.consents, params.importedConsent);
    return fates;
  }

  async #all(sql: string, args: readonly unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query(numbered(sql), [...args])).rows as Row[];
    } catch (err) {
      throw new StoreError('a query failed', { cause: err });
    }
  }

  async challenges(values: readonly string[]): Promise<Map<string, ChallengeRow>> {
    if (values.length === 0) return new Map();
    return new Map((await this.#all(SQL.challenges(values.length), values)).map((r) => [String(r['challenge']), challengeFrom(r)]));
  }

  async storedResults(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    return new Set((await this.#all(SQL.storedResults(ids.length), ids)).map((r) => String(r['id'])));
  }

  async refusedResults(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.#all(SQL.refusedResults(ids.length), ids)).map((r) => [String(r['result_id']), String(r['code'])]));
  }

  /** Two prepared statements on separate pool connections at once, one index probe per key (postgres-batch.ts). */
  async lookupResults(ids: readonly string[], challenges: readonly string[]): Promise<ResultLookup> {
    try {
      return await lookupResults(this.pool, ids, challenges);
    } catch (err) {
      throw new StoreError('a query failed', { cause: err });
    }
  }

  async previousConsent(facilityId: string, certificateSerial: string): Promise<ConsentChoice | undefined> {
    return consentFrom((await this.#all(SQL.previousConsent, [facilityId, certificateSerial]))[0]);
  }

  async readers(facilityId?: string): Promise<ReaderRow[]> {
    return (facilityId ? await this.#all(SQL.readersOf, [facilityId]) : await this.#all(SQL.readers, [])).map(readerFrom);
  }

  async recentResults(facilityId: string, limit: number): Promise<VisitResult[]> {
    return (await this.#all(SQL.recentResults, [facilityId, limit])).map((r) => JSON.parse(String(r['payload'])) as VisitResult);
  }

  async counts(facilityId?: string): Promise<StoreCounts> {
    return countsFrom((facilityId ? await this.#all(SQL.countsOf, countsOfParams(facilityId)) : await this.#all(SQL.counts, []))[0]);
  }

  async xmlJobs(limit: number): Promise<XmlJob[]> {
    return (await this.#all(SQL.xmlJobs, [limit])).map(xmlJobFrom);
  }

  async setXmlState(id: string, state: 'staged' | 'written'): Promise<void> {
    await this.#all(SQL.setXmlState, [state, id]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Refuses a server on which an acknowledged commit would not be durable (every setting that fails, at once). */
async function checkDurability(pool: Pool): Promise<void> {
  const names = Object.keys(DURABILITY_SETTINGS);
  const rows = (await pool.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1)', [names]))
    .rows;
  const value = new Map(rows.map((r) => [r.name, r.setting]));
  const wrong = Object.entries(DURABILITY_SETTINGS)
    .filter(([name, ok]) => !ok(value.get(name) ?? ''))
    .map(([name]) => `${name} = ${value.get(name) ?? '(unknown)'}`);
  if (wrong.length > 0) throw new StoreError(`${wrong.join(', ')}: a commit would not be durable when acknowledged`);
}

/** A connection URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
