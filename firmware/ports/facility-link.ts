/**
 * Facility link port: the reader's only conversation with the facility (clinic/pharmacy
 * systems, through MQTT in production, in-process in unit tests).
 *
 * Semantics:
 * - `qualify()` asks whether the card (its user-auth certificate, public data) is registered
 *   for health-insurance use and what this facility knows (insured data, previous consent given
 *   *here*). The facility checks the certificate first (chain, validity, revocation) and answers
 *   with a fresh challenge bound to this reader, visit and card. Rejects with
 *   `FacilityUnreachableError` after `timeoutMs` or when the link is down; the visit then shows
 *   the fallback guidance.
 * - `prove()` shows the facility the card's signature over that challenge while it is fresh;
 *   the facility verifies it as it will verify the result (docs/facility-protocol.md).
 * - `register()` carries out 健康保険証利用登録 for the card (the patient consented on screen)
 *   once the visit's challenge was proved.
 * - All three reject with `FacilityRefusedError` (code `FACILITY_REFUSED`, the facility's code in
 *   `facilityCode`, e.g. `CERTIFICATE_REVOKED`) when the facility answers with an error, and
 *   with `CancelledError` when `signal` fires.
 * - `submitResult()` resolves once the record is durably in the outbox (fsync'd), not when it is
 *   delivered: delivery is the link's job and it never loses a record.
 * - `submitResult()` rejects with `OutboxFullError` (code `OUTBOX_FULL`, `reason` 'limit' or
 *   'disk-full') when the record cannot be stored; nothing already stored is harmed.
 * - A result that does not match the `kaoreader.result/1` schema is refused with a typed error
 *   (code `MESSAGE_INVALID`) before it reaches the outbox.
 * - Commands from facility IT (set facility name / consent items / staff password, restart,
 *   request logs, update check) are handled inside the link and handed to injected handlers;
 *   the visit never sees them.
 * - `close()` stops delivery; undelivered records stay in the outbox for the next start.
 */
import { KaoreaderError } from '../core/errors.ts';

/** The facility did not answer in time, or the link is down: show the fallback guidance. */
export class FacilityUnreachableError extends KaoreaderError {
  readonly code = 'FACILITY_UNREACHABLE';
  constructor(
    readonly what: string,
    readonly reason: 'timeout' | 'offline' | 'closed',
    options?: { cause?: unknown },
  ) {
    super(`facility did not answer ${what} (${reason})`, options);
  }
}

/** The facility answered a request with an error (e.g. registration refused). */
export class FacilityRefusedError extends KaoreaderError {
  readonly code = 'FACILITY_REFUSED';
  constructor(
    readonly what: string,
    readonly facilityCode: string,
    message: string,
  ) {
    super(`facility refused ${what}: ${facilityCode}: ${message}`);
  }
}

/** The outbox cannot take a record: its size limit is reached or the disk is full. */
export class OutboxFullError extends KaoreaderError {
  readonly code = 'OUTBOX_FULL';
  constructor(
    readonly reason: 'limit' | 'disk-full',
    readonly depth: number,
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'limit'
        ? `outbox is full (${depth} undelivered records at its size limit)`
        : `disk is full: the outbox cannot store more records (${depth} undelivered)`,
      options,
    );
  }
}

export type IdentityMethod = 'face' | 'pin' | 'staff';

export interface ConsentItem {
  /** Stable id, e.g. `surgery`, `treatment`, `medication`, `checkups`. */
  readonly id: string;
}

/** Consent choices: item id → agreed. `mode` says how the patient chose. */
export interface ConsentChoice {
  readonly mode: 'all' | 'individual' | 'reused';
  readonly items: Readonly<Record<string, boolean>>;
  readonly at: string;
}

export interface InsuredData {
  readonly insurerNumber: string;
  readonly symbol: string;
  readonly number: string;
  readonly branch: string;
  /** "030" = 30 %. */
  readonly copayRatio: string;
  readonly limitCategory: string;
  /** 1 valid … 5 multiple (the deployed readers' qualification validity code). */
  readonly validity: 1 | 2 | 3 | 4 | 5;
}

export interface QualificationAnswer {
  readonly registered: boolean;
  readonly insured?: InsuredData;
  /** Consent this patient gave at this facility last time, if any. */
  readonly previousConsent?: ConsentChoice;
  readonly consentItems: readonly string[];
  readonly ePrescription: boolean;
  /**
   * Fresh challenge (hex) chosen by the facility: the card's user-auth key signs it in every mode,
   * and the card-face chip signs it as the reader's nonce for the chip-genuineness proof.
   */
  readonly challenge: string;
}

export interface VisitResult {
  readonly schema: 'kaoreader.result/1';
  /** Unique (UUIDv7, `newResultId()` in firmware/facility/uuidv7.ts), for consumer-side dedupe. */
  readonly id: string;
  readonly readerId: string;
  readonly visitId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly method: IdentityMethod | null;
  readonly outcome: 'accepted' | 'rejected' | 'cancelled' | 'fallback' | 'error';
  /** Result segment as deployed readers report it: 1 normal, 2 processing, 9 error. */
  readonly segment: 1 | 2 | 9;
  readonly errorCode?: string;
  readonly certificateSerial?: string;
  /** Base64 DER of the user-auth certificate (public data). */
  readonly certificate?: string;
  /**
   * Accepted visits: base64 PKCS#1 v1.5 signature by the card's user-auth key over SHA-256 of the
   * facility's `challenge` (hex), verifiable with `certificate`, in face and PIN mode alike.
   */
  readonly signature?: string;
  readonly challenge?: string;
  /** What unlocked the user-auth key for `signature`: the PIN, or 特定機関認証 (terminal). */
  readonly signatureUnlock?: 'pin' | 'terminal';
  readonly consent?: ConsentChoice;
  readonly prescription?: 'electronic' | 'paper';
  readonly registeredNow?: boolean;
  readonly processingMs: number;
}

/** The card a request is about: the visit and its user-auth certificate (public data). */
export interface CardOfVisit {
  readonly visitId: string;
  readonly certificateSerial: string;
  /** DER of the user-auth certificate. */
  readonly certificate: Uint8Array;
}

/** The card's signature (PKCS#1 v1.5, SHA-256, user-auth key) over the facility's challenge. */
export interface VisitProof extends CardOfVisit {
  readonly challenge: string;
  readonly signature: Uint8Array;
}

export interface RequestOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface FacilityLink {
  qualify(card: CardOfVisit, options: RequestOptions): Promise<QualificationAnswer>;
  prove(proof: VisitProof, options: RequestOptions): Promise<void>;
  register(card: CardOfVisit & { readonly challenge: string }, options: RequestOptions): Promise<void>;
  submitResult(result: VisitResult): Promise<void>;
  close(): Promise<void>;
}
