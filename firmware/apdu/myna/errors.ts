/**
 * Typed outcomes of talking to a My Number Card. The visit maps each `code` to a screen.
 */
import { KaoreaderError } from '../../core/errors.ts';

export type SecretKind = 'user-auth-pin' | 'verification-number-b';

/** The card is not a My Number Card (no JPKI-AP, or a foreign token label). */
export class NotMyNumberCardError extends KaoreaderError {
  readonly code = 'NOT_MY_NUMBER_CARD';
}

export class CertificateExpiredError extends KaoreaderError {
  readonly code = 'CERTIFICATE_EXPIRED';
  constructor(
    readonly notBefore: Date,
    readonly notAfter: Date,
    readonly at: Date,
  ) {
    super(`certificate valid ${notBefore.toISOString()}..${notAfter.toISOString()}, not at ${at.toISOString()}`);
  }
}

/** The certificate does not chain to a configured JPKI CA. */
export class CertificateUntrustedError extends KaoreaderError {
  readonly code = 'CERTIFICATE_UNTRUSTED';
}

/** Wrong PIN / 照合番号B; `triesLeft` > 0. */
export class WrongPinError extends KaoreaderError {
  readonly code = 'WRONG_PIN';
  constructor(
    readonly kind: SecretKind,
    readonly triesLeft: number,
  ) {
    super(`wrong ${kind}: ${triesLeft} tries left`);
  }
}

export class PinBlockedError extends KaoreaderError {
  readonly code = 'PIN_BLOCKED';
  constructor(readonly kind: SecretKind) {
    super(`${kind} is blocked (reset only at the municipal office)`);
  }
}

/** One try left and the caller did not confirm spending it. Nothing was sent. */
export class LastTryNotConfirmedError extends KaoreaderError {
  readonly code = 'LAST_TRY_NOT_CONFIRMED';
  constructor(readonly kind: SecretKind) {
    super(`only one ${kind} try left: confirm before spending it`);
  }
}

/** A PIN / 照合番号B that cannot be right (wrong length, not digits). Nothing was sent. */
export class InvalidPinFormatError extends KaoreaderError {
  readonly code = 'PIN_FORMAT';
  constructor(
    readonly kind: SecretKind,
    readonly expected: string,
  ) {
    super(`${kind} must be ${expected}`);
  }
}

export type SignatureCheck = 'user-auth' | 'card-face' | 'cv-certificate' | 'chip' | 'terminal';

/** A signature that does not verify: forged data, cloned chip, wrong key. */
export class SignatureInvalidError extends KaoreaderError {
  readonly code = 'SIGNATURE_INVALID';
  constructor(
    readonly check: SignatureCheck,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? `${check} signature does not verify`, options);
  }
}

/**
 * EF 0004 names a card-face CA key (証明者鍵ID) the reader does not have: nothing could be
 * checked, which is not the same answer as a bad signature (a rotated J-LIS key not yet shipped,
 * or a card from a hierarchy this reader does not trust).
 */
export class CardFaceIssuerUnknownError extends KaoreaderError {
  readonly code = 'CARD_FACE_ISSUER_UNKNOWN';
  constructor(readonly keyId: string) {
    super(`unknown card-face issuer ${keyId}: no CA key with this id is shipped or configured`);
  }
}

/** Face mode asked the card to sign without the PIN, but no terminal authenticator is configured. */
export class TerminalAuthUnavailableError extends KaoreaderError {
  readonly code = 'TERMINAL_AUTH_UNAVAILABLE';
  constructor() {
    super('no terminal authenticator (特定機関認証) is configured on this reader');
  }
}
