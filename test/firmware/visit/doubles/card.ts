/**
 * Scripted My Number Card for one scenario: behaves like the card would (PIN counter that
 * decrements and blocks, refuses to spend the last try unconfirmed, signs only after VERIFY,
 * releases the photo only for the right 照合番号B) and throws on calls the scenario does not allow.
 */
import { sign, type KeyObject } from 'node:crypto';
import { KaoreaderError, type ErrorCode } from '../../../../firmware/core/errors.ts';
import type { Clock } from '../../../../firmware/ports/clock.ts';
import type { CertificateInfo, FaceProof, PinVerifyOutcome, VisitCard, VisitCardOpener } from '../../../../firmware/visit/deps.ts';
import type { TestIdentity } from './cert.ts';
import { Scripted } from './scripted.ts';

export class CardError extends KaoreaderError {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface CardProfile {
  readonly identity: TestIdentity;
  readonly myNumberCard?: boolean;
  readonly pin?: string;
  readonly pinTries?: number;
  readonly verificationNumberB?: string;
  readonly photo?: Uint8Array;
  /** ms the certificate read takes (to exercise the card timeout). */
  readonly slowCertificateMs?: number;
  /** `terminal` (default): a terminal authenticator is configured; `pin`: none. */
  readonly faceProof?: FaceProof;
  /** The card refuses the terminal (wrong credentials, or a card that does not know it). */
  readonly refuseTerminal?: boolean;
  /** The card signs with another key than its certificate's (a chip answering for someone else). */
  readonly wrongKey?: KeyObject;
}

export class ScriptedCard extends Scripted implements VisitCard, VisitCardOpener {
  tries: number;
  verified = false;
  terminalAuthenticated = false;
  released = 0;
  readonly seenPins: string[] = [];
  /** The nonces the chip proof was asked to sign (hex). */
  readonly nonces: string[] = [];

  constructor(
    private readonly profile: CardProfile,
    allowed: readonly string[],
    private readonly clock: Clock,
  ) {
    super('card', allowed);
    this.tries = profile.pinTries ?? 3;
  }

  get faceProof(): FaceProof {
    return this.profile.faceProof ?? 'terminal';
  }

  open(): Promise<VisitCard> {
    this.call('open');
    return Promise.resolve(this);
  }

  async detect(): Promise<void> {
    this.call('detect');
    if (this.profile.myNumberCard === false) throw new CardError('NOT_MY_NUMBER_CARD', 'token label is not JPKIAPICCTOKEN2');
    return Promise.resolve();
  }

  async readCertificate(signal: AbortSignal): Promise<CertificateInfo> {
    this.call('readCertificate');
    if (this.profile.slowCertificateMs) await this.clock.sleep(this.profile.slowCertificateMs, signal);
    const { der, serial, notBefore, notAfter } = this.profile.identity;
    return { der, serial, notBefore, notAfter };
  }

  pinTriesLeft(): Promise<number> {
    this.call('pinTriesLeft');
    return Promise.resolve(this.tries);
  }

  verifyPin(pin: Uint8Array, options: { readonly confirmLastTry: boolean }): Promise<PinVerifyOutcome> {
    this.call('verifyPin');
    if (this.tries <= 0) return Promise.reject(new CardError('PIN_BLOCKED', 'PIN blocked (6984)'));
    if (this.tries === 1 && !options.confirmLastTry)
      return Promise.reject(new CardError('LAST_TRY_NOT_CONFIRMED', 'refusing the last try'));
    const entered = Buffer.from(pin).toString('ascii');
    this.seenPins.push(entered.replace(/./g, '*'));
    if (entered === this.profile.pin) {
      this.tries = 3;
      this.verified = true;
      return Promise.resolve({ ok: true });
    }
    this.tries -= 1;
    return Promise.resolve({ ok: false, triesLeft: this.tries });
  }

  #sign(challenge: Uint8Array): Uint8Array {
    return new Uint8Array(sign('sha256', challenge, this.profile.wrongKey ?? this.profile.identity.privateKey));
  }

  signChallenge(challenge: Uint8Array): Promise<Uint8Array> {
    this.call('signChallenge');
    if (!this.verified) return Promise.reject(new CardError('APDU_STATUS', 'security status not satisfied (6982)'));
    return Promise.resolve(this.#sign(challenge));
  }

  signChallengeWithTerminalAuth(challenge: Uint8Array): Promise<Uint8Array> {
    this.call('signChallengeWithTerminalAuth');
    if (this.faceProof !== 'terminal' || this.profile.refuseTerminal)
      return Promise.reject(new CardError('TERMINAL_AUTH_FAILED', 'the card refused the terminal'));
    this.terminalAuthenticated = true;
    return Promise.resolve(this.#sign(challenge));
  }

  readFacePhoto(verificationNumberB: Uint8Array, nonce: Uint8Array): Promise<Uint8Array> {
    this.call('readFacePhoto');
    this.nonces.push(Buffer.from(nonce).toString('hex'));
    if (Buffer.from(verificationNumberB).toString('ascii') !== this.profile.verificationNumberB)
      return Promise.reject(new CardError('VERIFICATION_NUMBER_B_REFUSED', '照合番号B wrong (63Cx)'));
    return Promise.resolve(Uint8Array.from(this.profile.photo ?? []));
  }

  release(): Promise<void> {
    this.released += 1;
    return Promise.resolve();
  }
}
