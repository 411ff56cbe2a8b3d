/**
 * PIN-style secrets on the card (JPKI user-auth PIN, 照合番号B): tries left without spending
 * one (VERIFY with no data → 63Cx / 9000 / 6984), and VERIFY that refuses to spend the last try
 * unless the caller confirmed. The secret is checked for shape first so a typo never costs a try.
 */
import type { ApduSession } from '../session.ts';
import { StatusWordError } from '../errors.ts';
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

/** Queries the selected key EF's counter. Spends nothing. */
export async function pinStatus(session: ApduSession, shape: SecretShape): Promise<PinStatus> {
  const res = await session.send(VERIFY);
  if (res.sw === SW.OK) return { triesLeft: -1, verified: true };
  if (res.sw === SW.AUTH_BLOCKED) return { triesLeft: 0, verified: false };
  const left = triesLeftOf(res.sw);
  if (left === undefined) throw new StatusWordError(res.sw, `VERIFY status (${shape.kind})`);
  return { triesLeft: left, verified: false };
}

export interface VerifyOptions {
  /** The patient was told this is the last try and chose to go on. */
  readonly confirmLastTry?: boolean;
}

/** VERIFY `secret` (ASCII digits) against the selected key EF. */
export async function verifySecret(session: ApduSession, shape: SecretShape, secret: Uint8Array, options: VerifyOptions = {}): Promise<void> {
  if (secret.length !== shape.digits || secret.some((b) => b < 0x30 || b > 0x39)) throw new InvalidPinFormatError(shape.kind, `${shape.digits} ASCII digits`);
  const status = await pinStatus(session, shape);
  if (status.verified) return;
  if (status.triesLeft === 0) throw new PinBlockedError(shape.kind);
  if (status.triesLeft === 1 && options.confirmLastTry !== true) throw new LastTryNotConfirmedError(shape.kind);
  const res = await session.send({ ...VERIFY, data: secret }, { sensitive: true });
  if (res.sw === SW.OK) return;
  if (res.sw === SW.AUTH_BLOCKED || res.sw === 0x63c0) throw new PinBlockedError(shape.kind);
  const left = triesLeftOf(res.sw);
  if (left !== undefined) throw new WrongPinError(shape.kind, left);
  throw new StatusWordError(res.sw, `VERIFY (${shape.kind})`);
}
