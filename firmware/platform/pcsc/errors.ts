/**
 * PC/SC return codes → kaoreader's typed errors (pcsc-lite's pcsclite.h values).
 */
import { KaoreaderError } from '../../core/errors.ts';
import { CardRemovedError, ReaderGoneError } from '../../apdu/errors.ts';
import { pcscCode } from './binding.ts';

export class PcscError extends KaoreaderError {
  readonly code = 'PCSC';
  constructor(
    readonly pcscCode: number | undefined,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(`${what} failed (PC/SC ${pcscCode === undefined ? 'unknown' : `0x${pcscCode.toString(16)}`})`, options);
  }
}

const CARD_GONE = new Set([0x8010000c, 0x80100066, 0x80100067, 0x80100068, 0x80100069]);
const READER_GONE = new Set([0x80100003, 0x80100009, 0x80100013, 0x80100017, 0x8010001d, 0x8010001e, 0x8010002e]);

export function mapPcscError(err: unknown, reader: string, what: string): KaoreaderError {
  const code = pcscCode(err);
  if (code !== undefined && CARD_GONE.has(code)) return new CardRemovedError(`${what}: the card is gone`, { cause: err });
  if (code !== undefined && READER_GONE.has(code)) return new ReaderGoneError(reader, { cause: err });
  return new PcscError(code, what, { cause: err });
}
