/**
 * The narrow interfaces the visit state machine drives. Each is what the visit needs from one
 * part (card client, face verifier, screens, card-front OCR, staff password), nothing more; thin
 * adapters in `adapters/` (or the composition root) map the parts' own APIs onto them.
 *
 * Semantics common to all: every call takes the visit's AbortSignal and rejects with
 * `CancelledError` when it fires; failures are typed errors whose `code` is one of
 * `VisitErrorCode` (errors.ts) so the visit can map each to a screen. Secret outputs (PIN digits,
 * 照合番号B, chip photo) are returned as typed arrays that the visit holds in its SecretBag.
 */
import type { AuditLog, Logger } from '../core/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { FacilityLink } from '../ports/facility-link.ts';
import type { Store } from '../ports/store.ts';
import type { FaceHint } from '../ports/screens.ts';
import type { ScreenId, ScreenParams } from './screens.ts';
import type { VisitSettings } from './settings.ts';

/** The user-auth certificate as the card client parsed it (public data). */
export interface CertificateInfo {
  readonly der: Uint8Array;
  /** Hex serial number, the key the facility's qualification confirmation uses. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export type PinVerifyOutcome = { readonly ok: true } | { readonly ok: false; readonly triesLeft: number };

/**
 * How this reader binds a face-mode (or staff) acceptance to the card: `terminal` = 特定機関認証,
 * after which the user-auth key signs the facility's challenge without the PIN; `pin` = no
 * terminal authenticator is configured, so the patient enters the PIN after the face match and
 * the card signs as in PIN mode. A face match alone is never an acceptance.
 */
export type FaceProof = 'terminal' | 'pin';

/** One inserted card, for the duration of one visit. */
export interface VisitCard {
  readonly faceProof: FaceProof;
  /** Checks the JPKI token label; rejects with code NOT_MY_NUMBER_CARD for any other card. */
  detect(signal: AbortSignal): Promise<void>;
  /** Free read of the user-auth certificate (DER exactly, parsed). */
  readCertificate(signal: AbortSignal): Promise<CertificateInfo>;
  /** User-auth PIN tries left, without spending one (0 = blocked). */
  pinTriesLeft(signal: AbortSignal): Promise<number>;
  /**
   * VERIFY the user-auth PIN (ASCII digits). The last try is only spent with
   * `confirmLastTry`; rejects with PIN_BLOCKED when the card is blocked.
   */
  verifyPin(pin: Uint8Array, options: { readonly confirmLastTry: boolean }, signal: AbortSignal): Promise<PinVerifyOutcome>;
  /** After verifyPin: PKCS#1 v1.5 signature with the user-auth key over SHA-256(challenge). */
  signChallenge(challenge: Uint8Array, signal: AbortSignal): Promise<Uint8Array>;
  /**
   * Face mode (faceProof `terminal`): 特定機関認証, then the same signature as signChallenge
   * without the PIN. Rejects with TERMINAL_AUTH_FAILED when the card refuses the terminal.
   */
  signChallengeWithTerminalAuth(challenge: Uint8Array, signal: AbortSignal): Promise<Uint8Array>;
  /**
   * VERIFY 照合番号B (14 ASCII digits) in the card-face applet, then the JPEG 2000 face photo,
   * its DF28 signature checked and the chip's signature over `nonce` (the reader's) verified.
   */
  readFacePhoto(verificationNumberB: Uint8Array, nonce: Uint8Array, signal: AbortSignal): Promise<Uint8Array>;
  /** Ends the card session (card stays in the slot); idempotent, never throws. */
  release(): Promise<void>;
}

/** Opens the card just inserted (connects a session). */
export interface VisitCardOpener {
  open(signal: AbortSignal): Promise<VisitCard>;
}

/** 照合番号B off the printed card front (scanner + OCR); only when the read is confident. */
export interface CardFront {
  /** 14 ASCII digits; rejects with VERIFICATION_NUMBER_B_UNREADABLE rather than guess. */
  readVerificationNumberB(signal: AbortSignal): Promise<Uint8Array>;
}

/** What the face screen asks of the patient while the face part works (a hint of the shared vocabulary). */
export type FaceGuidance = FaceHint;

/**
 * Shows a face hint; resolves with when it was drawn on the panel (clock.monotonic(), the camera
 * frames' timeline), undefined when it never was (a newer screen came first). A liveness cue's
 * response window opens then.
 */
export type ShowGuidance = (hint: FaceGuidance) => Promise<number | undefined>;

export type FaceDecision =
  | { readonly outcome: 'match'; readonly score: number }
  | { readonly outcome: 'no-match'; readonly score: number }
  | { readonly outcome: 'spoof' }
  | { readonly outcome: 'budget' };

export interface VisitFace {
  /** Enrols the chip photo (JPEG 2000) for this visit. */
  enrol(photo: Uint8Array, signal: AbortSignal): Promise<void>;
  /**
   * Optional: starts looking at the camera (guidance, liveness challenge) while the chip photo is
   * still being read and enrolled; the next verify() continues that attempt.
   */
  begin?(options: { readonly signal: AbortSignal; readonly onGuidance: ShowGuidance }): void;
  /** Live match with liveness within the face part's own time budget. */
  verify(options: { readonly signal: AbortSignal; readonly onGuidance: ShowGuidance }): Promise<FaceDecision>;
  /** Forgets the enrolled template and any frame; idempotent. */
  wipe(): void;
}

/** The screens with a pad: the PIN pad (also after a face match) and the staff password pad. */
export type PadScreen = Extract<ScreenId, 'pin' | 'pin-after-face' | 'staff-password'>;

export type UiSecret = { readonly kind: 'entered'; readonly value: Uint8Array } | { readonly kind: 'cancelled' };

export interface VisitUi {
  /**
   * Shows a screen in the current language; resolves once it is on the panel (true), or once a
   * newer screen asked for meanwhile made drawing it pointless (false: it never was).
   */
  show(screen: ScreenId, params?: ScreenParams): Promise<boolean>;
  /** Waits for the patient to press one of `accept` (button ids of the screen shown); other presses are ignored. */
  waitForAction<B extends string>(accept: readonly B[], signal: AbortSignal): Promise<B>;
  /** Masked entry on a PIN pad (shuffled digits) or the staff password pad. */
  readSecret(screen: PadScreen, params: ScreenParams, signal: AbortSignal): Promise<UiSecret>;
  setLanguage(language: string): void;
}

/** Verifies the facility's staff password (slow hash, rate limited). */
export interface StaffAuth {
  /** `ok`, `wrong`, `locked` (too many tries: wait), `unset` (facility IT set none yet). */
  check(password: Uint8Array): Promise<'ok' | 'wrong' | 'locked' | 'unset'>;
}

export interface VisitDeps {
  readonly readerId: string;
  /** Opens the card just inserted (state `card`). */
  readonly cards: VisitCardOpener;
  readonly cardFront: CardFront;
  readonly face: VisitFace;
  readonly ui: VisitUi;
  readonly facility: FacilityLink;
  readonly staff: StaffAuth;
  readonly clock: Clock;
  readonly log: Logger;
  readonly audit: AuditLog;
  readonly settings: VisitSettings;
  /** A fresh unique id (UUIDv7). */
  readonly newId: () => string;
}

export type { Store };
