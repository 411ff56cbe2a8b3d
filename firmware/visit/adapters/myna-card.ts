/**
 * VisitCard on the card client (firmware/apdu/myna): one PC/SC (or simulated) session per visit.
 * Maps the client's typed outcomes onto what the visit expects: a wrong PIN is an answer with
 * tries left, not an error; 照合番号B is only VERIFYed when the card has more than one try
 * left (the client's VERIFY refuses the last try unless confirmed, and the visit never confirms
 * it: a misread must never block the card-face applet), a refused one is VERIFICATION_NUMBER_B_REFUSED.
 * With a terminal authenticator configured the face mode signs through 特定機関認証 (faceProof
 * `terminal`); the card refusing the terminal is TERMINAL_AUTH_FAILED. Without one, faceProof is
 * `pin`. The client's lifetime signal ends with `release()`; every APDU has its own deadline.
 */
import { MyNumberCardClient, type MyNumberCardTrust } from '../../apdu/myna/client.ts';
import type { CheckedCertificate } from '../../apdu/myna/certificate.ts';
import { SignatureInvalidError } from '../../apdu/myna/errors.ts';
import type { TerminalAuthenticator } from '../../apdu/myna/terminal-auth.ts';
import { KaoreaderError, throwIfAborted, type ErrorCode } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { CardReader, CardSession } from '../../ports/card-reader.ts';
import type { Clock } from '../../ports/clock.ts';
import type { CertificateInfo, FaceProof, PinVerifyOutcome, VisitCard, VisitCardOpener } from '../deps.ts';
import { VisitError } from '../errors.ts';

export interface MynaCardOptions {
  readonly clock: Clock;
  readonly trust: MyNumberCardTrust;
  readonly log: Logger;
  /** Per-APDU deadline. */
  readonly apduTimeoutMs?: number;
  /** 特定機関認証 (simulated, or a certified maker's plug-in); absent: face mode ends with the PIN. */
  readonly terminalAuthenticator?: TerminalAuthenticator;
}

/** The code of a typed (KaoreaderError) failure; undefined for anything else. */
const typedCodeOf = (err: unknown): ErrorCode | undefined => (err instanceof KaoreaderError ? err.code : undefined);

class MynaVisitCard implements VisitCard {
  readonly #lifetime = new AbortController();
  #client: MyNumberCardClient | undefined;
  #certificate: CheckedCertificate | undefined;
  #released = false;

  constructor(
    private readonly session: CardSession,
    private readonly o: MynaCardOptions,
  ) {}

  get faceProof(): FaceProof {
    return this.o.terminalAuthenticator ? 'terminal' : 'pin';
  }

  get #c(): MyNumberCardClient {
    if (!this.#client) throw new VisitError('INTERNAL', 'card used before detect()');
    return this.#client;
  }

  async detect(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal, 'card detection');
    this.#client = await MyNumberCardClient.open(this.session, {
      clock: this.o.clock,
      trust: this.o.trust,
      log: this.o.log,
      signal: this.#lifetime.signal,
      ...(this.o.apduTimeoutMs ? { timeoutMs: this.o.apduTimeoutMs } : {}),
      ...(this.o.terminalAuthenticator ? { terminalAuthenticator: this.o.terminalAuthenticator } : {}),
    });
  }

  async readCertificate(signal: AbortSignal): Promise<CertificateInfo> {
    throwIfAborted(signal, 'certificate read');
    const cert = await this.#c.readCheckedCertificate();
    this.#certificate = cert;
    return { der: cert.der, serial: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter };
  }

  async pinTriesLeft(signal: AbortSignal): Promise<number> {
    throwIfAborted(signal, 'PIN status');
    const status = await this.#c.pinTriesLeft();
    return status.verified ? 3 : status.triesLeft;
  }

  async verifyPin(pin: Uint8Array, options: { readonly confirmLastTry: boolean }, signal: AbortSignal): Promise<PinVerifyOutcome> {
    throwIfAborted(signal, 'PIN verify');
    try {
      await this.#c.verifyPin(pin, { confirmLastTry: options.confirmLastTry });
      return { ok: true };
    } catch (err) {
      if (typedCodeOf(err) === 'WRONG_PIN') return { ok: false, triesLeft: (err as { triesLeft: number }).triesLeft };
      throw err;
    }
  }

  async signChallenge(challenge: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal, 'challenge signature');
    if (!this.#certificate) throw new VisitError('INTERNAL', 'signature before the certificate was read');
    const { signature } = await this.#c.signChallenge(this.#certificate, challenge);
    return signature;
  }

  async signChallengeWithTerminalAuth(challenge: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal, 'terminal authentication');
    if (!this.#certificate) throw new VisitError('INTERNAL', 'signature before the certificate was read');
    try {
      await this.#c.authenticateTerminal();
    } catch (err) {
      const refused = err instanceof SignatureInvalidError && err.check === 'terminal';
      if (refused || typedCodeOf(err) === 'TERMINAL_AUTH_UNAVAILABLE')
        throw new VisitError('TERMINAL_AUTH_FAILED', 'the card did not accept the terminal authentication', { cause: err });
      throw err;
    }
    throwIfAborted(signal, 'challenge signature');
    const { signature } = await this.#c.signChallenge(this.#certificate, challenge);
    return signature;
  }

  async readFacePhoto(verificationNumberB: Uint8Array, nonce: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal, 'card face');
    try {
      // Reads the tries left first and refuses the last try (never confirmed here) and a blocked key.
      await this.#c.verifyVerificationNumberB(verificationNumberB);
    } catch (err) {
      const code = typedCodeOf(err);
      if (code === 'WRONG_PIN' || code === 'PIN_BLOCKED' || code === 'LAST_TRY_NOT_CONFIRMED' || code === 'PIN_FORMAT') {
        throw new VisitError('VERIFICATION_NUMBER_B_REFUSED', '照合番号B was not accepted', { cause: err });
      }
      throw err;
    }
    throwIfAborted(signal, 'card face');
    const face = await this.#c.readCardFace(nonce);
    this.o.log.info('card face verified', { issuer: face.issuerKeyId });
    return face.photo;
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    this.#lifetime.abort(new VisitError('CANCELLED', 'card session released'));
    try {
      // reset, never leave: a PIN or 照合番号B verified in this visit must not carry over to the next one
      await this.session.disconnect('reset');
    } catch (err) {
      this.o.log.debug('card disconnect failed (card already gone?)', { code: typedCodeOf(err) });
    }
  }
}

export class MynaCardOpener implements VisitCardOpener {
  constructor(
    private readonly reader: Pick<CardReader, 'connect'>,
    private readonly o: MynaCardOptions,
  ) {}

  async open(signal: AbortSignal): Promise<VisitCard> {
    throwIfAborted(signal, 'card connect');
    const session = await this.reader.connect();
    return new MynaVisitCard(session, this.o);
  }
}
