/**
 * QualificationProvider port: the facility's connection to online qualification confirmation
 * (オンライン資格確認). The facility service asks it when a reader sends `qualify` (after the card's
 * certificate passed the chain, validity and revocation checks) and `register`.
 *
 * Contract for a real provider (the facility's online qualification connection):
 * - `confirm()` input: the card's user-auth certificate (DER) and serial, the facility id and
 *   the time of the request. Output: whether the card is registered for health-insurance use,
 *   and when it is, the insured data (insurer number, symbol, number, branch, co-payment ratio,
 *   limit category, qualification validity 1–5) and the person (name, kana, birth date, sex)
 *   that the clinic-system XML carries. "Not registered" is an answer (`registered: false`),
 *   not an error.
 * - `register()` carries out 健康保険証利用登録 for the card; resolves when it is done.
 * - Both must honour `signal`: the service aborts them after its configured timeout
 *   (`qualification.timeoutMs`, default 4 s, below the reader's own 5 s) and answers the reader
 *   `QUALIFICATION_TIMEOUT`.
 * - Failures reject with QualificationError and one of its codes. Each reaches the reader as
 *   the response error code; the reader ends the visit on its fallback guidance (マイナポータル /
 *   資格情報のお知らせ / staff / 被保険者資格申立書: endings table FACILITY_REFUSED):
 *   `QUALIFICATION_UNAVAILABLE` (the connection is down, maintenance hours),
 *   `QUALIFICATION_TIMEOUT` (no answer in time), `QUALIFICATION_FAILED` (any other error
 *   answer from the system, its own code in the message).
 * - Never log or return anything beyond these fields (no My Number, no address).
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';
import type { InsuredData } from '../../firmware/ports/facility-link.ts';

/** What the clinic-system XML needs about the card holder (never sent to the reader). */
export interface PersonData {
  readonly name: string;
  /** Half-width or full-width katakana, as the system gives it. */
  readonly nameKana: string;
  /** YYYYMMDD. */
  readonly birthdate: string;
  /** 1 male, 2 female, 3 not set. */
  readonly sex: '1' | '2' | '3';
}

export interface Qualification {
  readonly registered: boolean;
  readonly insured?: InsuredData;
  readonly person?: PersonData;
}

export interface QualificationQuery {
  readonly certificateSerial: string;
  readonly certificate: Uint8Array;
  readonly facilityId: string;
  readonly at: Date;
}

export type QualificationErrorCode = 'QUALIFICATION_UNAVAILABLE' | 'QUALIFICATION_TIMEOUT' | 'QUALIFICATION_FAILED';

export class QualificationError extends KaoreaderError {
  constructor(
    readonly code: QualificationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface QualificationProvider {
  readonly name: string;
  confirm(q: QualificationQuery, signal: AbortSignal): Promise<Qualification>;
  register(q: QualificationQuery, signal: AbortSignal): Promise<void>;
}
