/** Why a reader refused a facility command; the code goes into the command reply. */
import { KaoreaderError } from '../../core/errors.ts';

export type CommandRefusal =
  | 'NO_COMMAND_KEY' // this reader has no pinned facility command key (not paired): it runs no command
  | 'SIGNATURE_INVALID' // not signed by the pinned key, or the body was altered
  | 'WRONG_READER' // signed for another reader
  | 'UNAUTHORISED' // signed for another facility
  | 'NOT_YET_VALID' // issued in the future (beyond the tolerated clock skew)
  | 'EXPIRED' // past its expiry
  | 'LIFETIME_TOO_LONG' // valid for longer than a command may be
  | 'REPLAYED' // this command id ran here already
  | 'REPLAY_WINDOW_FULL'; // too many live command ids to remember: refused rather than forgotten

export class CommandRefusedError extends KaoreaderError {
  constructor(
    readonly code: CommandRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
