/**
 * The reader side's one verifier: checks a received `kaoreader.command/2` against the facility
 * command key pinned at pairing *before* reading anything in it, then that the body is a valid
 * `kaoreader.command-body/1` for this reader and this facility, issued no later than now (with
 * the tolerated clock skew), not expired and not valid for longer than a command may be.
 * Replays are the replay window's job (replay-window.ts). Every refusal is a
 * CommandRefusedError (or the codec's MessageInvalidError / UnsupportedSchemaVersionError).
 */
import { verify, type KeyObject } from 'node:crypto';
import { decode } from '../messages/codec.ts';
import { CommandRefusedError } from './errors.ts';
import { COMMAND_CLOCK_SKEW_MS, MAX_COMMAND_LIFETIME_MS, type CommandBody } from './signed-command.ts';

export interface VerifyOptions {
  /** The pinned facility command key (Ed25519 public). */
  readonly key: KeyObject;
  readonly facilityId: string;
  readonly readerId: string;
  /** Wall-clock ms (the reader's clock). */
  readonly now: number;
}

export function verifyCommand(payload: Uint8Array, o: VerifyOptions): CommandBody {
  const signed = decode('kaoreader.command', payload);
  const bytes = Buffer.from(signed.body, 'base64');
  const signature = Buffer.from(signed.signature, 'base64');
  if (signature.length !== 64 || !verify(null, bytes, o.key, signature)) {
    throw new CommandRefusedError(
      'SIGNATURE_INVALID',
      `command not signed by the facility command key this reader pinned (key id ${signed.keyId})`,
    );
  }
  const body = decode('kaoreader.command-body', bytes);
  if (body.readerId !== o.readerId) throw new CommandRefusedError('WRONG_READER', `command is for reader ${body.readerId}`);
  if (body.facilityId !== o.facilityId)
    throw new CommandRefusedError('UNAUTHORISED', `command is for facility ${body.facilityId}, this reader is paired with another`);
  const issued = Date.parse(body.issuedAt);
  const expires = Date.parse(body.expiresAt);
  if (!(expires > issued) || expires - issued > MAX_COMMAND_LIFETIME_MS)
    throw new CommandRefusedError(
      'LIFETIME_TOO_LONG',
      `command valid from ${body.issuedAt} to ${body.expiresAt}: at most ${MAX_COMMAND_LIFETIME_MS / 60_000} min`,
    );
  if (issued - COMMAND_CLOCK_SKEW_MS > o.now)
    throw new CommandRefusedError('NOT_YET_VALID', `command issued at ${body.issuedAt}, in this reader's future`);
  if (expires + COMMAND_CLOCK_SKEW_MS < o.now) throw new CommandRefusedError('EXPIRED', `command expired at ${body.expiresAt}`);
  return body;
}
