/**
 * The statements both stores run (placeholders `?`; the PostgreSQL store numbers them), and the
 * mapping of rows back to the port's types. One text per statement, so SQLite and PostgreSQL
 * cannot drift apart.
 */
import type { ConsentChoice } from '../../firmware/ports/facility-link.ts';
import type {
  ChallengeRow,
  CommandReplyRow,
  CommandRow,
  ConsentRow,
  ReaderRow,
  ReaderUpdate,
  RefusalRow,
  ResultRow,
  StoreCounts,
  XmlJob,
} from './store.ts';

/** An accepted result whose XML file is not written yet (the results_xml_pending index's condition). */
const XML_PENDING = "outcome = 'accepted' AND (xml_state IS NULL OR xml_state = 'staged')";

export const SQL = {
  insertChallenge:
    'INSERT INTO challenges (challenge, facility_id, reader_id, visit_id, certificate_serial, issued_at, expires_at, redeemed_at, qualification) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (challenge) DO NOTHING',
  redeem: 'UPDATE challenges SET redeemed_at = ? WHERE challenge = ? AND redeemed_at IS NULL',
  insertResult:
    'INSERT INTO results (id, facility_id, reader_id, visit_id, outcome, method, certificate_serial, challenge, finished_at, received_at, verified, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  resultById: 'SELECT id FROM results WHERE id = ?',
  insertRefusal:
    'INSERT INTO refusals (id, facility_id, reader_id, kind, code, detail, at, result_id, visit_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  insertConsent:
    'INSERT INTO consents (facility_id, certificate_serial, result_id, consent, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  readerLastResult: `INSERT INTO readers (reader_id, facility_id, last_seen_at, last_result_id, last_result_at, last_result_outcome) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (reader_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, last_result_id = excluded.last_result_id, last_result_at = excluded.last_result_at, last_result_outcome = excluded.last_result_outcome
    WHERE readers.last_result_at IS NULL OR readers.last_result_at <= excluded.last_result_at`,
  readerStatus: `INSERT INTO readers (reader_id, facility_id, last_seen_at, state, firmware_version, boot_counter, facility_name, status_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (reader_id) DO UPDATE SET facility_id = excluded.facility_id, last_seen_at = excluded.last_seen_at, state = excluded.state,
      firmware_version = COALESCE(excluded.firmware_version, readers.firmware_version), boot_counter = excluded.boot_counter,
      facility_name = COALESCE(excluded.facility_name, readers.facility_name), status_at = excluded.status_at`,
  readerHealth: `INSERT INTO readers (reader_id, facility_id, last_seen_at, outbox_depth, oldest_undelivered_ms, in_flight, outbox_status, dead_letters, health_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (reader_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, outbox_depth = excluded.outbox_depth,
      oldest_undelivered_ms = excluded.oldest_undelivered_ms, in_flight = excluded.in_flight, outbox_status = excluded.outbox_status,
      dead_letters = excluded.dead_letters, health_at = excluded.health_at`,
  insertCommand:
    'INSERT INTO commands (id, facility_id, reader_id, command, args, sent_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  commandReply: 'UPDATE commands SET reply_ok = ?, reply = ?, replied_at = ? WHERE id = ? AND replied_at IS NULL',
  challenges: (
    n: number,
  ) => `SELECT c.challenge, c.facility_id, c.reader_id, c.visit_id, c.certificate_serial, c.issued_at, c.expires_at, c.redeemed_at, c.qualification, r.id AS used_by
    FROM challenges c LEFT JOIN results r ON r.challenge = c.challenge WHERE c.challenge IN (${marks(n)})`,
  storedResults: (n: number) => `SELECT id FROM results WHERE id IN (${marks(n)})`,
  refusedResults: (n: number) => `SELECT result_id, code FROM refusals WHERE kind = 'result' AND result_id IN (${marks(n)})`,
  previousConsent: 'SELECT consent FROM consents WHERE facility_id = ? AND certificate_serial = ? ORDER BY at DESC, result_id DESC LIMIT 1',
  readers: 'SELECT * FROM readers ORDER BY reader_id',
  recentResults: 'SELECT payload FROM results WHERE facility_id = ? ORDER BY received_at DESC, id DESC LIMIT ?',
  readersOf: 'SELECT * FROM readers WHERE facility_id = ? ORDER BY reader_id',
  // The XML figures use the results_xml_pending partial index (same condition as xmlJobs).
  counts: `SELECT (SELECT COUNT(*) FROM results) AS results, (SELECT COUNT(*) FROM results WHERE outcome = 'accepted') AS accepted,
    (SELECT COUNT(*) FROM refusals) AS refusals, (SELECT COUNT(*) FROM challenges) AS challenges,
    (SELECT COUNT(*) FROM results WHERE ${XML_PENDING}) AS xml_pending, (SELECT MIN(received_at) FROM results WHERE ${XML_PENDING}) AS xml_oldest`,
  countsOf: `SELECT (SELECT COUNT(*) FROM results WHERE facility_id = ?) AS results, (SELECT COUNT(*) FROM results WHERE facility_id = ? AND outcome = 'accepted') AS accepted,
    (SELECT COUNT(*) FROM refusals WHERE facility_id = ?) AS refusals, (SELECT COUNT(*) FROM challenges WHERE facility_id = ?) AS challenges,
    (SELECT COUNT(*) FROM results WHERE ${XML_PENDING} AND facility_id = ?) AS xml_pending,
    (SELECT MIN(received_at) FROM results WHERE ${XML_PENDING} AND facility_id = ?) AS xml_oldest`,
  xmlJobs: `SELECT r.id, r.payload, r.xml_state, r.received_at, c.qualification FROM results r LEFT JOIN challenges c ON c.challenge = r.challenge
    WHERE ${XML_PENDING} ORDER BY r.received_at, r.id LIMIT ?`,
  setXmlState: 'UPDATE results SET xml_state = ? WHERE id = ?',
} as const;

function marks(n: number): string {
  return Array.from({ length: Math.max(1, n) }, () => '?').join(', ');
}

type Row = Readonly<Record<string, unknown>>;
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

export const params = {
  challenge: (c: ChallengeRow) => [
    c.challenge,
    c.facilityId,
    c.readerId,
    c.visitId,
    c.certificateSerial,
    c.issuedAt,
    c.expiresAt,
    c.redeemedAt ?? null,
    c.qualification ?? null,
  ],
  result: (r: ResultRow) => [
    r.id,
    r.facilityId,
    r.readerId,
    r.visitId,
    r.outcome,
    r.method,
    r.certificateSerial ?? null,
    r.challenge ?? null,
    r.finishedAt,
    r.receivedAt,
    r.verified ? 1 : 0,
    r.payload,
  ],
  refusal: (r: RefusalRow) => [
    r.id,
    r.facilityId,
    r.readerId,
    r.kind,
    r.code,
    r.detail.slice(0, 1000),
    r.at,
    r.resultId ?? null,
    r.visitId ?? null,
    r.payload ?? null,
  ],
  consent: (r: ResultRow & { consent: ConsentChoice; certificateSerial: string }) => [
    r.facilityId,
    r.certificateSerial,
    r.id,
    JSON.stringify(r.consent),
    Date.parse(r.consent.at) || r.receivedAt,
  ],
  importedConsent: (c: ConsentRow) => [c.facilityId, c.certificateSerial, c.resultId, JSON.stringify(c.consent), c.at],
  lastResult: (r: ResultRow) => [r.readerId, r.facilityId, r.receivedAt, r.id, r.receivedAt, r.outcome],
  status: (u: ReaderUpdate & { status: NonNullable<ReaderUpdate['status']> }) => [
    u.readerId,
    u.facilityId,
    u.at,
    u.status.state,
    u.status.firmwareVersion ?? null,
    u.status.bootCounter,
    u.status.facilityName ?? null,
    u.at,
  ],
  health: (u: ReaderUpdate & { health: NonNullable<ReaderUpdate['health']> }) => [
    u.readerId,
    u.facilityId,
    u.at,
    u.health.outboxDepth,
    u.health.oldestUndeliveredAgeMs,
    u.health.inFlight,
    u.health.outboxStatus,
    u.health.deadLetters,
    u.at,
  ],
  command: (c: CommandRow) => [c.id, c.facilityId, c.readerId, c.command, c.args, c.sentAt],
  commandReply: (c: CommandReplyRow) => [c.ok ? 1 : 0, c.reply, c.at, c.id],
};

export function challengeFrom(row: Row): ChallengeRow {
  return {
    challenge: String(row['challenge']),
    facilityId: String(row['facility_id']),
    readerId: String(row['reader_id']),
    visitId: String(row['visit_id']),
    certificateSerial: String(row['certificate_serial']),
    issuedAt: Number(row['issued_at']),
    expiresAt: Number(row['expires_at']),
    redeemedAt: num(row['redeemed_at']),
    usedBy: str(row['used_by']),
    qualification: str(row['qualification']),
  };
}

export function readerFrom(row: Row): ReaderRow {
  return {
    readerId: String(row['reader_id']),
    facilityId: String(row['facility_id']),
    state: str(row['state']),
    firmwareVersion: str(row['firmware_version']),
    bootCounter: num(row['boot_counter']),
    facilityName: str(row['facility_name']),
    lastSeenAt: Number(row['last_seen_at']),
    statusAt: num(row['status_at']),
    outboxDepth: num(row['outbox_depth']),
    oldestUndeliveredAgeMs: num(row['oldest_undelivered_ms']),
    inFlight: num(row['in_flight']),
    outboxStatus: str(row['outbox_status']),
    deadLetters: num(row['dead_letters']),
    healthAt: num(row['health_at']),
    lastResultId: str(row['last_result_id']),
    lastResultAt: num(row['last_result_at']),
    lastResultOutcome: str(row['last_result_outcome']),
  };
}

/** The counts row of `counts` / `countsOf`. */
export function countsFrom(row: Row | undefined): StoreCounts {
  return {
    results: Number(row?.['results'] ?? 0),
    accepted: Number(row?.['accepted'] ?? 0),
    refusals: Number(row?.['refusals'] ?? 0),
    challenges: Number(row?.['challenges'] ?? 0),
    xmlPending: Number(row?.['xml_pending'] ?? 0),
    xmlOldestPendingAt: num(row?.['xml_oldest']),
  };
}

/** The parameters of `countsOf` for one facility. */
export const countsOfParams = (facilityId: string): string[] => Array<string>(6).fill(facilityId);

export function xmlJobFrom(row: Row): XmlJob {
  return {
    id: String(row['id']),
    payload: String(row['payload']),
    qualification: str(row['qualification']),
    state: row['xml_state'] === 'staged' ? 'staged' : 'pending',
    receivedAt: Number(row['received_at']),
  };
}

export function consentFrom(row: Row | undefined): ConsentChoice | undefined {
  return row ? (JSON.parse(String(row['consent'])) as ConsentChoice) : undefined;
}

/** How a result refused because its challenge was used by another result is recorded (both stores, both write paths). */
export const REPLAY = {
  idPrefix: 'replay-',
  code: 'CHALLENGE_REPLAYED',
  detail: 'the challenge was used by another result',
} as const;

/** The audit record of a result refused because its challenge was used by another result. */
export function replayRefusal(r: ResultRow): RefusalRow {
  return {
    id: `${REPLAY.idPrefix}${r.id}`,
    facilityId: r.facilityId,
    readerId: r.readerId,
    kind: 'result',
    code: REPLAY.code,
    detail: REPLAY.detail,
    at: r.receivedAt,
    resultId: r.id,
    visitId: r.visitId,
    payload: r.payload,
  };
}
