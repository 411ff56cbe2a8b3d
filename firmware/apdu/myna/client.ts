/**
 * MyNumberCardClient: what the reader does with a My Number Card, over an ApduSession.
 * JPKI-AP: detection (token label), user-auth certificate, PIN tries/VERIFY, PIN-mode
 * signature. 券面事項確認AP: 照合番号B tries/VERIFY, EF 0004 + EF 0002 → face photo with the DF28
 * signature and the chip's signature over the reader's nonce checked. 特定機関認証 through a
 * pluggable terminal authenticator (face mode signs without the PIN). Never touches the text applet or
 * 照合番号A. Selecting the other applet drops verified state on the card, so each method
 * selects what it needs.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../ports/clock.ts';
import type { CardSession } from '../../ports/card-reader.ts';
import { StatusWordError } from '../errors.ts';
import { SW } from '../response.ts';
import { ApduSession, type ApduStats } from '../session.ts';
import { readCardFace, type CardFace } from './card-face-read.ts';
import { checkCertificate, readDerFile, type CheckedCertificate } from './certificate.ts';
import { AID, CARD_FACE_EF, JPKI_EF, TOKEN_LABEL } from './constants.ts';
import type { CardFaceIssuerKey } from './card-face-issuers.ts';
import { NotMyNumberCardError, TerminalAuthUnavailableError } from './errors.ts';
import { CardFiles, type Applet } from './files.ts';
import {
  pinStatus,
  USER_AUTH_PIN,
  VERIFICATION_NUMBER_B,
  verifySecret,
  type PinStatus,
  type SecretShape,
  type VerifyOptions,
} from './pin.ts';
import { sha256, sha256DigestInfo, spkiPublicKey, verifyPkcs1 } from './rsa.ts';
import type { TerminalAuthenticator } from './terminal-auth.ts';

export interface MyNumberCardTrust {
  /** DER certificates of the JPKI user-auth CAs the device accepts. */
  readonly jpkiCaCertificates: readonly Uint8Array[];
  /** CA keys for the card-face CV certificate (EF 0004): the shipped J-LIS keys plus configured ones. */
  readonly cardFaceIssuers: readonly CardFaceIssuerKey[];
}

export interface MyNumberCardClientOptions {
  readonly clock: Clock;
  readonly trust: MyNumberCardTrust;
  readonly log?: Logger;
  /** Per-APDU deadline; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Use extended APDUs: 'auto' (default) when the reader advertises them. */
  readonly extended?: 'auto' | boolean;
  readonly signal?: AbortSignal;
  readonly terminalAuthenticator?: TerminalAuthenticator;
}

export interface PinSignature {
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
}

export class MyNumberCardClient {
  readonly #session: ApduSession;
  readonly #files: CardFiles;
  readonly #o: MyNumberCardClientOptions;

  private constructor(session: ApduSession, files: CardFiles, options: MyNumberCardClientOptions) {
    this.#session = session;
    this.#files = files;
    this.#o = options;
  }

  /** Opens the card: selects JPKI-AP and checks the token label, else NotMyNumberCardError. */
  static async open(card: CardSession, options: MyNumberCardClientOptions): Promise<MyNumberCardClient> {
    const session = new ApduSession(card, {
      clock: options.clock,
      ...(options.log ? { log: options.log } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const extended = options.extended === 'auto' || options.extended === undefined ? card.features.extendedApdu : options.extended;
    const client = new MyNumberCardClient(session, new CardFiles(session, extended), options);
    await client.#detect();
    return client;
  }

  /** APDU count and bytes so far (benches). */
  get stats(): Readonly<ApduStats> {
    return this.#session.stats;
  }

  get usesExtendedApdu(): boolean {
    return this.#files.useExtended;
  }

  async #detect(): Promise<void> {
    const sw = await this.#files.selectApplet('jpki', AID.jpki, true);
    if (sw !== SW.OK) throw new NotMyNumberCardError(`no JPKI applet (SELECT answered ${sw.toString(16)})`);
    try {
      await this.#files.selectEf(JPKI_EF.tokenInfo);
      const label = new Uint8Array(32);
      await this.#files.read(0, 32, label);
      // The label is space padded (spec card-apdu.md §Files, EF 0006): exactly that, nothing looser.
      const text = Buffer.from(label).toString('latin1');
      if (text !== TOKEN_LABEL.padEnd(32, ' '))
        throw new NotMyNumberCardError(`token label "${text.replace(/ +$/, '').replace(/[^\x20-\x7e]/g, '?')}" is not ${TOKEN_LABEL}`);
    } catch (err) {
      if (err instanceof StatusWordError) throw new NotMyNumberCardError(`token info unreadable (${err.sw.toString(16)})`, { cause: err });
      throw err;
    }
  }

  async #select(applet: Applet): Promise<void> {
    const sw = await this.#files.selectApplet(applet, applet === 'jpki' ? AID.jpki : AID.cardFace);
    if (sw !== SW.OK) throw new StatusWordError(sw, `SELECT ${applet}`);
  }

  /** The user-auth certificate, DER, exactly as long as its header says. */
  async readUserAuthCertificate(): Promise<Uint8Array> {
    await this.#select('jpki');
    await this.#files.selectEf(JPKI_EF.authCertificate);
    return readDerFile(this.#files, 'user-auth certificate EF 000A');
  }

  /** Reads and checks the user-auth certificate (validity now, chain to a configured JPKI CA). */
  async readCheckedCertificate(): Promise<CheckedCertificate> {
    const der = await this.readUserAuthCertificate();
    return checkCertificate(der, this.#o.trust.jpkiCaCertificates, new Date(this.#o.clock.now()));
  }

  async #status(applet: Applet, ef: number, shape: SecretShape): Promise<PinStatus> {
    await this.#select(applet);
    await this.#files.selectEf(ef);
    return pinStatus(this.#session, shape);
  }

  /** User-auth PIN tries left (0 = blocked); spends nothing. */
  async pinTriesLeft(): Promise<PinStatus> {
    return this.#status('jpki', JPKI_EF.authPin, USER_AUTH_PIN);
  }

  /** VERIFY the 4-digit user-auth PIN (ASCII digits); refuses the last try unless confirmed. */
  async verifyPin(pin: Uint8Array, options: VerifyOptions = {}): Promise<void> {
    await this.#select('jpki');
    await this.#files.selectEf(JPKI_EF.authPin);
    await verifySecret(this.#session, USER_AUTH_PIN, pin, options);
  }

  /**
   * The proof bound to the card, after verifyPin (PIN mode) or authenticateTerminal (face mode):
   * the user-auth key signs SHA-256(challenge) (`80 2A 00 80`, DigestInfo), checked here against
   * `certificate`. Fresh random challenge when none is given.
   */
  async signChallenge(certificate: CheckedCertificate, challenge: Uint8Array = new Uint8Array(randomBytes(32))): Promise<PinSignature> {
    await this.#select('jpki');
    await this.#files.selectEf(JPKI_EF.authKey);
    const digestInfo = sha256DigestInfo(sha256(challenge));
    const signature = await this.#session.expect({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 });
    verifyPkcs1(spkiPublicKey(certificate.publicKey, 'certificate key'), signature, digestInfo, 'user-auth');
    return { challenge, signature };
  }

  /** 照合番号B tries left; spends nothing. */
  async verificationNumberBTriesLeft(): Promise<PinStatus> {
    return this.#status('card-face', CARD_FACE_EF.verificationNumberB, VERIFICATION_NUMBER_B);
  }

  /** VERIFY 照合番号B (14 ASCII digits); refuses the last try unless confirmed. */
  async verifyVerificationNumberB(verificationNumberB: Uint8Array, options: VerifyOptions = {}): Promise<void> {
    await this.#select('card-face');
    await this.#files.selectEf(CARD_FACE_EF.verificationNumberB);
    await verifySecret(this.#session, VERIFICATION_NUMBER_B, verificationNumberB, options);
  }

  /**
   * After verifyVerificationNumberB: reads EF 0004 and EF 0002, verifies DF28 with the CA-certified
   * key, and has the chip sign `nonce` with its DF24 key (default: 32 fresh random bytes; pass the
   * facility's challenge when there is one). Returns the JP2 face photo, which the caller owns
   * (and wipes).
   */
  async readCardFace(nonce: Uint8Array = new Uint8Array(randomBytes(32))): Promise<CardFace> {
    await this.#select('card-face');
    return readCardFace(this.#files, this.#session, this.#o.trust.cardFaceIssuers, nonce);
  }

  /** Whether a terminal authenticator (特定機関認証) is configured: face mode can then sign without the PIN. */
  get hasTerminalAuthenticator(): boolean {
    return this.#o.terminalAuthenticator !== undefined;
  }

  /**
   * 特定機関認証 with the configured authenticator (JPKI-AP, EF 0016): afterwards the user-auth key
   * signs without the PIN until another applet is selected. TerminalAuthUnavailableError without one.
   */
  async authenticateTerminal(): Promise<void> {
    const auth = this.#o.terminalAuthenticator;
    if (!auth) throw new TerminalAuthUnavailableError();
    await this.#select('jpki');
    await this.#files.selectEf(JPKI_EF.terminalAuth);
    await auth.authenticate(this.#session);
  }
}
