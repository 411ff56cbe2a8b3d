/**
 * Typed errors of the APDU layer. Callers `switch (err.code)`; status words travel as numbers.
 */
import { KaoreaderError } from '../core/errors.ts';

const hex4 = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');

/** The card answered a status word the caller did not accept. */
export class StatusWordError extends KaoreaderError {
  readonly code = 'APDU_STATUS';
  constructor(
    readonly sw: number,
    readonly command: string,
  ) {
    super(`${command}: card answered ${hex4(sw)}`);
  }
}

/** The card left the reader (pulled, or mid-command). */
export class CardRemovedError extends KaoreaderError {
  readonly code = 'CARD_REMOVED';
  constructor(message = 'the card was removed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The reader itself disappeared (unplugged, pcscd down). */
export class ReaderGoneError extends KaoreaderError {
  readonly code = 'READER_GONE';
  constructor(
    readonly reader: string,
    options?: { cause?: unknown },
  ) {
    super(`reader "${reader}" is gone`, options);
  }
}

/** A response (or structure inside one) that does not parse. */
export class MalformedResponseError extends KaoreaderError {
  readonly code = 'APDU_MALFORMED';
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`malformed ${what}: ${reason}`);
  }
}

/** A command that cannot be encoded (Lc/Le out of range, short/extended mismatch). */
export class InvalidCommandError extends KaoreaderError {
  readonly code = 'APDU_INVALID_COMMAND';
}

/** 61xx / 6Cxx chains longer than the session allows. */
export class ResponseChainError extends KaoreaderError {
  readonly code = 'APDU_CHAIN_LIMIT';
  constructor(
    readonly command: string,
    readonly steps: number,
  ) {
    super(`${command}: card kept asking for GET RESPONSE / resend after ${steps} steps`);
  }
}

export { hex4 };
