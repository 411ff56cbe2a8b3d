/**
 * The facility database schema as versioned migrations, the same statements for SQLite and
 * PostgreSQL (types and syntax both accept: TEXT, BIGINT, INTEGER; ON CONFLICT; partial indexes).
 * A migration is never edited once released: a change is a new version. `schema_migrations`
 * records what was applied; each migration runs in its own transaction.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
  /**
   * PostgreSQL's storage parameters, run after `statements` there only: how rows are laid out,
   * never what the schema holds (tables, columns, constraints and indexes stay the same for both).
   */
  readonly postgresStorage?: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'results, challenges, refusals, consents, readers, commands',
    statements: [
      `CREATE TABLE challenges (
        challenge TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        reader_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        certificate_serial TEXT NOT NULL,
        issued_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        redeemed_at BIGINT,
        qualification TEXT
      )`,
      'CREATE INDEX challenges_expiry ON challenges (expires_at)',
      `CREATE TABLE results (
        id TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        reader_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        method TEXT,
        certificate_serial TEXT,
        challenge TEXT UNIQUE,
        finished_at BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        verified INTEGER NOT NULL,
        payload TEXT NOT NULL,
        xml_state TEXT
      )`,
      'CREATE INDEX results_reader ON results (reader_id, received_at)',
      "CREATE INDEX results_xml_pending ON results (received_at) WHERE outcome = 'accepted' AND (xml_state IS NULL OR xml_state = 'staged')",
      `CREATE TABLE refusals (
        id TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        reader_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        code TEXT NOT NULL,
        detail TEXT NOT NULL,
        at BIGINT NOT NULL,
        result_id TEXT,
        visit_id TEXT,
        payload TEXT
      )`,
      'CREATE INDEX refusals_result ON refusals (result_id)',
      `CREATE TABLE consents (
        facility_id TEXT NOT NULL,
        certificate_serial TEXT NOT NULL,
        result_id TEXT NOT NULL,
        consent TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (facility_id, certificate_serial, result_id)
      )`,
      'CREATE INDEX consents_latest ON consents (facility_id, certificate_serial, at)',
      `CREATE TABLE readers (
        reader_id TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        state TEXT,
        firmware_version TEXT,
        boot_counter BIGINT,
        facility_name TEXT,
        status_at BIGINT,
        outbox_depth BIGINT,
        oldest_undelivered_ms BIGINT,
        in_flight BIGINT,
        outbox_status TEXT,
        health_at BIGINT,
        last_seen_at BIGINT NOT NULL,
        last_result_id TEXT,
        last_result_at BIGINT,
        last_result_outcome TEXT
      )`,
      `CREATE TABLE commands (
        id TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        reader_id TEXT NOT NULL,
        command TEXT NOT NULL,
        args TEXT NOT NULL,
        sent_at BIGINT NOT NULL,
        reply_ok INTEGER,
        reply TEXT,
        replied_at BIGINT
      )`,
    ],
  },
  {
    version: 2,
    name: 'results keep their payload in the row (PostgreSQL)',
    statements: [],
    // A result's payload (≈ 2 KB: certificate and signature in base64) made its row pass
    // PostgreSQL's 2 KB TOAST threshold: each insert tried to compress it (base64 does not compress
    // by the 25 % asked) and then moved it into the TOAST table, two chunks and their index entries
    // more per result. Rows up to 8 KB now stay whole in their page: one heap tuple per result.
    // Storage only: what is stored, its durability and every query's answer are unchanged.
    postgresStorage: ['ALTER TABLE results SET (toast_tuple_target = 8160)'],
  },
  {
    version: 3,
    name: "readers' dead letters",
    // From the reader's health report: results the facility refused for good (the message
    // itself), kept in the reader's outbox and never resent. `facility status` shows them.
    statements: ['ALTER TABLE readers ADD COLUMN dead_letters BIGINT'],
  },
  {
    version: 4,
    name: 'no index that no query reads',
    // Each index entry is one more B-tree page written per commit (a WAL frame, then a page
    // written back at the checkpoint), and these two were written at random places: one page
    // each per result. No statement reads results_reader (results by reader: facility status
    // reads the readers table). previousConsent finds a card's consents through the consents
    // primary key (facility_id, certificate_serial, …) and sorts that card's few rows itself.
    statements: ['DROP INDEX results_reader', 'DROP INDEX consents_latest'],
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
