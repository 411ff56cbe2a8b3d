/**
 * PIN-style secrets on the card (JPKI user-auth PIN, 3 tries; 照合番号B, 10 tries): tries left
 * without spending one (VERIFY with no data → 63Cx, 9000 when verified, 63C0 or 6984 when
 * blocked), and VERIFY that refuses to spend the last try unless the caller confirmed. The secret is checked for shape first so a typo never costs a try.
 * The empty VERIFY only reads the counter: its 9000 ("already verified", a state a previous
 * session may have left on the card) never stands for the secret typed now, which is always sent.
 */
import type { ApduSession } from '../session.ts';
import { MalformedResponseError, StatusWordError } from '../errors.ts';
import { SW, triesLeftOf } from '../response.ts';
import { InvalidPinFormatError, LastTryNotConfirmedError, PinBlockedError, WrongPinError, type SecretKind } from './errors.ts';

export interface PinStatus {
  /** Tries left; 0 when blocked. */
  readonly triesLeft: number;
  /** Already verified in this applet selection (the card answered 9000 to the empty VERIFY). */
  readonly verified: boolean;
}

export interface SecretShape {
  readonly kind: SecretKind;
  readonly digits: number;
}

export const USER_AUTH_PIN: SecretShape = { kind: 'user-auth-pin', digits: 4 };
export const VERIFICATION_NUMBER_B: SecretShape = { kind: 'verification-number-b', digits: 14 };

const VERIFY = { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 } as const;

/** A VERIFY answers a status word only. */
async function verify(session: ApduSession, shape: SecretShape, secret?: Uint8Array): Promise<number> {
  const res = secret ? await session.send({ ...VERIFY, data: secret }, { sensitive: true }) : await session.send(VERIFY);
  if (res.data.length > 0)
    throw new MalformedResponseError(`VERIFY response (${shape.kind})`, `${res.data.length} unexpected data byte(s)`);
  return res.sw;
}

/** Queries the selected key EF's counter (63Cx, 63C0 or 6984 when blocked, 9000 verified). Spends nothing. */
export async function pinStatus(session: ApduSession, shape: SecretShape): Promise<PinStatus> {
  const sw = await verify(session, shape);
  if (sw === SW.OK) return { triesLeft: -1, verified: true };
  if (sw === SW.AUTH_BLOCKED) return { triesLeft: 0, verified: false };
  const left = triesLeftOf(sw);
  if (left === undefined) throw new StatusWordError(sw, `VERIFY status (${shape.kind})`);
  return { triesLeft: left, verified: false };
}

export interface VerifyOptions {
  /** The patient was told this is the last try and chose to go on. */
  readonly confirmLastTry?: boolean;
}

/** VERIFY `secret` (ASCII digits) against the selected key EF. */
export async function verifySecret(
  session: ApduSession,
  shape: SecretShape,
  secret: Uint8Array,
  options: VerifyOptions = {},
): Promise<void> {
  if (secret.length !== shape.digits || secret.some((b) => b < 0x30 || b > 0x39))
    throw new InvalidPinFormatError(shape.kind, `${shape.digits} ASCII digits`);
  const status = await pinStatus(session, shape);
  // Verified means the last VERIFY succeeded, which reset the counter to its limit: not the last try.
  if (status.triesLeft === 0) throw new PinBlockedError(shape.kind);
  if (status.triesLeft === 1 && options.confirmLastTry !== true) throw new LastTryNotConfirmedError(shape.kind);
  const sw = await verify(session, shape, secret);
  if (sw === SW.OK) return;
  if (sw === SW.AUTH_BLOCKED || sw === 0x63c0) throw new PinBlockedError(shape.kind);
  const left = triesLeftOf(sw);
  if (left !== undefined) throw new WrongPinError(shape.kind, left);
  throw new StatusWordError(sw, `VERIFY (${shape.kind})`);
}
