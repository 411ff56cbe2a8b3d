/**
 * The facility's hot write on PostgreSQL: a batch of results and refusals (what the readers'
 * results make, nothing else) as **one** statement, prepared once per connection under a name,
 * sent without BEGIN/COMMIT. A single statement is its own transaction, so it is as atomic as
 * BEGIN … COMMIT, and returns when its commit is flushed (synchronous_commit stays on: checked
 * at open) — one round trip instead of four. Rows go in as arrays (`unnest`), so the text is the
 * same for every batch size (planned once, not once per size as multi-row VALUES would be).
 *
 * What the transactional path (postgres-store.ts `#write`) does per result, done here in SQL:
 * the result is inserted unless its id or its challenge is taken; a stored one adds its consent
 * and becomes its reader's last result (the last of the batch per reader); one not stored is a
 * `duplicate` when its id was stored before, else `replayed` when its challenge was used (before,
 * or by another result of this batch), with its replay refusal written in the same statement.
 * The statement sees the database as it was when it started: a result whose conflict it cannot
 * see (another service committed the same id or challenge meanwhile) comes back as `recheck`,
 * and `commitResults` settles it against what is committed then (a second statement).
 */
import { StoreError } from './errors.ts';
import { challengeFrom, params, REPLAY, replayRefusal, SQL } from './sql.ts';
import type { ChallengeRow, ResultFate, ResultLookup, ResultRow, WriteBatch } from './store.ts';

/** The one call of a pg Pool this file makes (pg itself is loaded by postgres-store.ts only). */
export interface Queryable {
  query(config: { readonly name?: string; readonly text: string; readonly values: unknown[] }): Promise<{ readonly rows: unknown[] }>;
}
type Row = Record<string, unknown>;

/** Only results and refusals: the batches this statement can write. */
export function resultsOnly(b: WriteBatch): boolean {
  return (
    b.challenges.length === 0 &&
    b.redemptions.length === 0 &&
    b.readers.length === 0 &&
    b.commands.length === 0 &&
    b.commandReplies.length === 0 &&
    b.consents.length === 0
  );
}

/** A single-row `INSERT … VALUES (?, …) ON CONFLICT …` of sql.ts with its VALUES tuple replaced by `select`. */
function insertFrom(sql: string, select: string): string {
  const m = /VALUES \([?, ]+\)/.exec(sql);
  if (!m) throw new RangeError(`not a single-row INSERT: ${sql.slice(0, 60)}`);
  return sql.replace(m[0], select);
}

const RESULT_COLUMNS =
  'id, facility_id, reader_id, visit_id, outcome, method, certificate_serial, challenge, finished_at, received_at, verified, payload';

/**
 * $1–$14 the results (with their consent), $15–$24 the refusals, $25–$26 the replay refusal's code and detail.
 * $12, the results' payloads (most of a batch's bytes), is one text of them joined by U+001E (PAYLOAD_SEPARATOR),
 * split by the server: as an array pg would escape every quote of every payload in JavaScript.
 */
export const RESULTS_BATCH = `WITH v AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::bigint[], $10::bigint[], $11::integer[], string_to_array($12::text, chr(30)), $13::text[], $14::bigint[]) WITH ORDINALITY
    AS v(${RESULT_COLUMNS}, consent, consent_at, ord)
), ins AS (
  ${insertFrom(SQL.insertResult, `SELECT ${RESULT_COLUMNS} FROM v ORDER BY ord`)} RETURNING id
), got AS (
  SELECT v.* FROM v JOIN ins USING (id)
), conflicted AS (
  SELECT v.*, EXISTS (SELECT 1 FROM results r WHERE r.id = v.id) AS dup,
    v.challenge IS NOT NULL AND (EXISTS (SELECT 1 FROM results r WHERE r.challenge = v.challenge)
      OR EXISTS (SELECT 1 FROM got g WHERE g.challenge = v.challenge)) AS used
  FROM v WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = v.id)
), consent_rows AS (
  ${insertFrom(SQL.insertConsent, 'SELECT facility_id, certificate_serial, id, consent, consent_at FROM got WHERE consent IS NOT NULL AND certificate_serial IS NOT NULL')}
), last_rows AS (
  ${insertFrom(SQL.readerLastResult, 'SELECT DISTINCT ON (reader_id) reader_id, facility_id, received_at, id, received_at, outcome FROM got ORDER BY reader_id, ord DESC')}
), refusal_rows AS (
  ${insertFrom(
    SQL.insertRefusal,
    `SELECT * FROM unnest($15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::bigint[], $22::text[], $23::text[], $24::text[])
    UNION ALL SELECT '${REPLAY.idPrefix}' || id, facility_id, reader_id, 'result', $25::text, $26::text, received_at, id, visit_id, payload FROM conflicted WHERE NOT dup AND used`,
  )}
)
SELECT id, 'stored' AS fate FROM ins
UNION ALL SELECT id, CASE WHEN dup THEN 'duplicate' WHEN used THEN 'replayed' ELSE 'recheck' END FROM conflicted`;

/** Column-wise arrays of `rows`, `width` columns each. */
function columns(rows: readonly unknown[][], width: number): unknown[][] {
  const cols = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => {
    for (let c = 0; c < width; c++) (cols[c] as unknown[])[i] = row[c];
  });
  return cols;
}

/**
 * Joins the results' payloads for `string_to_array($12, chr(30))`. A payload is a JSON text (the
 * service stores what it decoded), in which a raw control character such as U+001E cannot occur
 * (RFC 8259: escaped inside strings, not whitespace outside them); checked all the same.
 */
export const PAYLOAD_SEPARATOR = '\u001e';

function joinedPayloads(payloads: readonly unknown[]): string {
  for (const p of payloads)
    if (typeof p !== 'string' || p.includes(PAYLOAD_SEPARATOR)) throw new StoreError('a result payload is not a JSON text');
  return payloads.join(PAYLOAD_SEPARATOR);
}

function values(b: WriteBatch, unique: readonly ResultRow[]): unknown[] {
  const results = unique.map((r) => [
    ...params.result(r),
    r.consent && r.certificateSerial ? JSON.stringify(r.consent) : null,
    r.consent ? Date.parse(r.consent.at) || r.receivedAt : null,
  ]);
  const cols: unknown[] = columns(results, 14);
  cols[11] = joinedPayloads(cols[11] as unknown[]); // $12
  return [...cols, ...columns(b.refusals.map(params.refusal), 10), REPLAY.code, REPLAY.detail];
}

/** The rows of one query (pg returns plain objects keyed by column name). */
async function rowsOf(pool: Queryable, text: string, values: unknown[], name?: string): Promise<Row[]> {
  return (await pool.query({ ...(name ? { name } : {}), text, values })).rows as Row[];
}

/** Writes a results-only batch (`resultsOnly`) in one statement; the fate of every result, by id. */
export async function commitResults(pool: Queryable, b: WriteBatch): Promise<Map<string, ResultFate>> {
  const unique = [...new Map(b.results.map((r) => [r.id, r])).values()];
  const rows = await rowsOf(pool, RESULTS_BATCH, values(b, unique), 'kao_results_batch');
  const fates = new Map<string, ResultFate>();
  const recheck: ResultRow[] = [];
  const byId = new Map(unique.map((r) => [r.id, r]));
  for (const row of rows) {
    const id = String(row['id']);
    const fate = row['fate'];
    if (fate === 'stored' || fate === 'duplicate' || fate === 'replayed') fates.set(id, fate);
    else {
      const r = byId.get(id);
      if (r) recheck.push(r);
    }
  }
  if (recheck.length > 0) await settleRecheck(pool, recheck, fates);
  return fates;
}

/** Results another service's commit conflicted with meanwhile: stored there (a duplicate) or their challenge used there (a replay). */
async function settleRecheck(pool: Queryable, rows: readonly ResultRow[], fates: Map<string, ResultFate>): Promise<void> {
  const found = await rowsOf(pool, 'SELECT id FROM results WHERE id = ANY($1::text[])', [rows.map((r) => r.id)]);
  const stored = new Set(found.map((r) => String(r['id'])));
  const replays = rows.filter((r) => !stored.has(r.id));
  for (const r of rows) fates.set(r.id, stored.has(r.id) ? 'duplicate' : 'replayed');
  if (replays.length === 0) return;
  await rowsOf(
    pool,
    insertFrom(
      SQL.insertRefusal,
      'SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])',
    ),
    columns(
      replays.map((r) => params.refusal(replayRefusal(r))),
      10,
    ),
  );
}

// Each key looked up on its own (a LATERAL subquery with LIMIT is never flattened into a join):
// a nested loop of index probes, whatever the statistics say about the tables' sizes.
const LOOKUP_IDS = `SELECT 'stored' AS kind, k.id, NULL AS code FROM unnest($1::text[]) AS k(id)
  CROSS JOIN LATERAL (SELECT 1 FROM results r WHERE r.id = k.id LIMIT 1) s
UNION ALL SELECT 'refused', k.id, f.code FROM unnest($1::text[]) AS k(id)
  CROSS JOIN LATERAL (SELECT code FROM refusals f WHERE f.kind = 'result' AND f.result_id = k.id ORDER BY f.at DESC, f.id DESC LIMIT 1) f`;
const LOOKUP_CHALLENGES = `SELECT c.challenge, c.facility_id, c.reader_id, c.visit_id, c.certificate_serial, c.issued_at, c.expires_at,
  c.redeemed_at, c.qualification, c.used_by FROM unnest($1::text[]) AS k(challenge)
  CROSS JOIN LATERAL (SELECT c.*, (SELECT r.id FROM results r WHERE r.challenge = c.challenge) AS used_by
    FROM challenges c WHERE c.challenge = k.challenge LIMIT 1) c`;

/**
 * A batch's reads: stored and refused ids in one statement, the challenges in another, at once
 * (two connections), both prepared by name. Written as one index probe per key: as `col =
 * ANY($1)` against a join, the planner chose by its statistics, and with hundreds of keys or
 * statistics from when the tables were small (a new facility; a generic plan kept from its first
 * batches) it scanned `challenges` comparing every row with every key and hashed all of `results`,
 * once per batch, more as they grew (in the facility bench, most of the server's CPU).
 */
export async function lookupResults(pool: Queryable, ids: readonly string[], challenges: readonly string[]): Promise<ResultLookup> {
  const [byId, found] = await Promise.all([
    ids.length === 0 ? Promise.resolve([]) : rowsOf(pool, LOOKUP_IDS, [ids], 'kao_lookup_ids'),
    challenges.length === 0 ? Promise.resolve([]) : rowsOf(pool, LOOKUP_CHALLENGES, [challenges], 'kao_lookup_challenges'),
  ]);
  const stored = new Set<string>();
  const refused = new Map<string, string>();
  for (const r of byId) {
    if (r['kind'] === 'stored') stored.add(String(r['id']));
    else refused.set(String(r['id']), String(r['code']));
  }
  return { stored, refused, challenges: new Map<string, ChallengeRow>(found.map((r) => [String(r['challenge']), challengeFrom(r)])) };
}
