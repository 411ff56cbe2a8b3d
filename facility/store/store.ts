/**
 * FacilityStore port: the facility's system of record (SQLite embedded, PostgreSQL for groups
 * that outgrow one machine; the same schema, migrations.ts). It holds issued challenges, results
 * (accepted and not), refusals (the audit of everything refused), consent history per facility,
 * the reader registry and the command log.
 *
 * Semantics:
 * - `commit(batch)` writes the whole batch in one transaction and resolves only after it is
 *   durable (SQLite: WAL + synchronous=FULL; PostgreSQL: COMMIT with synchronous_commit on).
 *   Nothing of a batch is visible or acknowledged before that; a failed commit writes nothing.
 * - Results are unique by id: a result stored before comes back as `duplicate`, never stored
 *   twice. A challenge is used by one result only (unique): a second result that names a used
 *   challenge comes back as `replayed`, and the store writes its refusal record (code
 *   CHALLENGE_REPLAYED) in the same transaction. A result's consent row and its reader's
 *   "last result" are written only when the result is `stored`.
 * - Reads see committed data only.
 */
import type { ConsentChoice, VisitResult } from '../../firmware/ports/facility-link.ts';
import type { ChallengeRecord } from '../verify/proof-verifier.ts';

export interface ChallengeRow extends ChallengeRecord {
  /** JSON snapshot of what the qualification provider answered (insured data, person), for the XML bridge. */
  readonly qualification: string | undefined;
}

export interface ResultRow {
  readonly id: string;
  readonly facilityId: string;
  readonly readerId: string;
  readonly visitId: string;
  readonly outcome: string;
  readonly method: string | null;
  readonly certificateSerial: string | undefined;
  /** Set on accepted results: the challenge their proof signed (unique). */
  readonly challenge: string | undefined;
  readonly finishedAt: number;
  readonly receivedAt: number;
  /** The validated JSON as the reader sent it. */
  readonly payload: string;
  /** The proof passed verification here (every accepted result). */
  readonly verified: boolean;
  /** Consent given with this (accepted) result, for the per-facility history. */
  readonly consent?: ConsentChoice | undefined;
}

export type RefusalKind = 'result' | 'qualify' | 'prove' | 'register' | 'message';

export interface RefusalRow {
  readonly id: string;
  readonly facilityId: string;
  readonly readerId: string;
  readonly kind: RefusalKind;
  readonly code: string;
  readonly detail: string;
  readonly at: number;
  readonly resultId?: string | undefined;
  readonly visitId?: string | undefined;
  /** The refused message (results: so that nothing a reader sent is lost). */
  readonly payload?: string | undefined;
}

export interface ReaderUpdate {
  readonly readerId: string;
  readonly facilityId: string;
  readonly at: number;
  readonly status?: {
    readonly state: 'online' | 'offline';
    readonly firmwareVersion: string | undefined;
    readonly bootCounter: number;
    readonly facilityName: string | undefined;
  };
  readonly health?: {
    readonly outboxDepth: number;
    readonly oldestUndeliveredAgeMs: number;
    readonly inFlight: number;
    readonly outboxStatus: string;
    /** Results the facility refused for good, kept in the reader's outbox (0 when the report has none). */
    readonly deadLetters: number;
  };
}

export interface ReaderRow {
  readonly readerId: string;
  readonly facilityId: string;
  readonly state: string | undefined;
  readonly firmwareVersion: string | undefined;
  readonly bootCounter: number | undefined;
  readonly facilityName: string | undefined;
  readonly lastSeenAt: number;
  readonly statusAt: number | undefined;
  readonly outboxDepth: number | undefined;
  readonly oldestUndeliveredAgeMs: number | undefined;
  readonly inFlight: number | undefined;
  readonly outboxStatus: string | undefined;
  readonly deadLetters: number | undefined;
  readonly healthAt: number | undefined;
  readonly lastResultId: string | undefined;
  readonly lastResultAt: number | undefined;
  readonly lastResultOutcome: string | undefined;
}

export interface CommandRow {
  readonly id: string;
  readonly facilityId: string;
  readonly readerId: string;
  readonly command: string;
  /** Arguments with secrets replaced (a staff password is never stored). */
  readonly args: string;
  readonly sentAt: number;
}

export interface CommandReplyRow {
  readonly id: string;
  readonly ok: boolean;
  readonly reply: string;
  readonly at: number;
}

export interface WriteBatch {
  readonly challenges: ChallengeRow[];
  /** A `prove` showed a valid signature over `challenge` at `at` (first one wins). */
  readonly redemptions: { readonly challenge: string; readonly at: number }[];
  readonly results: ResultRow[];
  readonly refusals: RefusalRow[];
  readonly readers: ReaderUpdate[];
  readonly commands: CommandRow[];
  readonly commandReplies: CommandReplyRow[];
  /** Consent history from elsewhere (an earlier system, a scenario's "last visit"). */
  readonly consents: ConsentRow[];
}

export interface ConsentRow {
  readonly facilityId: string;
  readonly certificateSerial: string;
  readonly resultId: string;
  readonly consent: ConsentChoice;
  readonly at: number;
}

export const emptyBatch = (): WriteBatch => ({
  challenges: [],
  redemptions: [],
  results: [],
  refusals: [],
  readers: [],
  commands: [],
  commandReplies: [],
  consents: [],
});

export type ResultFate = 'stored' | 'duplicate' | 'replayed';

/** An accepted result the XML bridge has to write (or finish writing), with its qualification snapshot. */
export interface XmlJob {
  readonly id: string;
  readonly payload: string;
  readonly qualification: string | undefined;
  readonly state: 'pending' | 'staged';
  readonly receivedAt: number;
}

/** What a batch of incoming results needs to know, read in one go (one round trip to the database). */
export interface ResultLookup {
  /** Which of the ids are stored results. */
  readonly stored: Set<string>;
  /** Which of the ids were refused, with the refusal code. */
  readonly refused: Map<string, string>;
  /** The records of the challenges the results name. */
  readonly challenges: Map<string, ChallengeRow>;
}

export interface StoreCounts {
  readonly results: number;
  readonly accepted: number;
  readonly refusals: number;
  readonly challenges: number;
  /** Accepted results whose clinic-system XML file is not written yet, and when the oldest arrived. */
  readonly xmlPending: number;
  readonly xmlOldestPendingAt: number | undefined;
}

export interface FacilityStore {
  readonly kind: 'sqlite' | 'postgres';
  /** One transaction; the fate of every result in it, by id. */
  commit(batch: WriteBatch): Promise<Map<string, ResultFate>>;
  /** Challenge records (with the result that used each, if any). */
  challenges(values: readonly string[]): Promise<Map<string, ChallengeRow>>;
  /** Which of `ids` are stored results. */
  storedResults(ids: readonly string[]): Promise<Set<string>>;
  /** Which of `ids` were refused, with the refusal code. */
  refusedResults(ids: readonly string[]): Promise<Map<string, string>>;
  /** `storedResults(ids)`, `refusedResults(ids)` and `challenges(challenges)` together, in as few round trips as the database allows. */
  lookupResults(ids: readonly string[], challenges: readonly string[]): Promise<ResultLookup>;
  /** The newest consent this card's holder gave at `facilityId`. */
  previousConsent(facilityId: string, certificateSerial: string): Promise<ConsentChoice | undefined>;
  readers(facilityId?: string): Promise<ReaderRow[]>;
  /** The newest `limit` results of `facilityId` as the readers sent them, newest first. */
  recentResults(facilityId: string, limit: number): Promise<VisitResult[]>;
  counts(facilityId?: string): Promise<StoreCounts>;
  /** Accepted results whose XML file is not written yet, oldest first. */
  xmlJobs(limit: number): Promise<XmlJob[]>;
  setXmlState(id: string, state: 'staged' | 'written'): Promise<void>;
  close(): Promise<void>;
}
