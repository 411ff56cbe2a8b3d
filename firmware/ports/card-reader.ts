/**
 * Card reader port: a PC/SC reader slot (contact or contactless) or the in-process virtual card.
 *
 * Semantics:
 * - `events()` yields `inserted` / `removed` / `reader-gone` / `reader-back` until `close()`;
 *   a reader that disappears (unplugged, pcscd restarted) yields `reader-gone`, and the
 *   implementation keeps trying to find it again, yielding `reader-back` when it does.
 * - `connect()` opens an exclusive session to the card now present (T=1); it throws
 *   `CardRemovedError` when no card is there and `ReaderGoneError` when the reader is gone.
 * - `CardSession.transmit()` sends one raw command APDU and returns the raw response
 *   (data + SW1 SW2). It rejects with `CardRemovedError` if the card is pulled mid-command,
 *   with `TimeoutError` after `timeoutMs`, and with `CancelledError` when `signal` fires.
 *   No retries and no 61xx/6Cxx handling here: that is the APDU session's job.
 * - `disconnect(disposition)` ends the session with the card left in the slot. `reset` (warm
 *   reset) and `unpower` clear every security state the session reached on the card (verified
 *   PIN or 照合番号B, selected applet); `leave` keeps it for whoever connects next, so a visit
 *   always ends with `reset`. Idempotent.
 * - `close()` ends event delivery and releases the reader (resetting a connected card); idempotent.
 */
export type CardEvent =
  | { readonly type: 'inserted'; readonly reader: string; readonly atr: Uint8Array }
  | { readonly type: 'removed'; readonly reader: string }
  | { readonly type: 'reader-gone'; readonly reader: string }
  | { readonly type: 'reader-back'; readonly reader: string };

export interface ReaderFeatures {
  /** The reader passes extended-length APDUs (Lc/Le up to 65535). */
  readonly extendedApdu: boolean;
  readonly contactless: boolean;
}

export interface TransmitOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** What happens to the card when a session ends (PC/SC SCARD_LEAVE_CARD / RESET_CARD / UNPOWER_CARD). */
export type CardDisposition = 'leave' | 'reset' | 'unpower';

export interface CardSession {
  readonly atr: Uint8Array;
  readonly features: ReaderFeatures;
  transmit(command: Uint8Array, options: TransmitOptions): Promise<Uint8Array>;
  /** Ends the session (card left in the slot) with `disposition`; idempotent. */
  disconnect(disposition: CardDisposition): Promise<void>;
}

export interface CardReader {
  readonly name: string;
  events(): AsyncIterable<CardEvent>;
  connect(): Promise<CardSession>;
  close(): Promise<void>;
}
