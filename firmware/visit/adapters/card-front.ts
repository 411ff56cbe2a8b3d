/**
 * CardFront on the card-front scanner and OCR: a few scans at most, and an answer only when
 * the OCR is confident and the fields are consistent; otherwise VERIFICATION_NUMBER_B_UNREADABLE (the visit
 * then offers PIN or staff help rather than risk a card try). The image is wiped by the reader;
 * 照合番号B is handed on as the very bytes the OCR built (no copy, never a string), which the
 * visit's SecretBag wipes right after the VERIFY.
 */
import { KaoreaderError } from '../../core/errors.ts';
import type { CardFrontReader } from '../../card-front/card-front-reader.ts';
import { scanAndRead } from '../../card-front/scan-and-read.ts';
import type { CardFrontScanner } from '../../ports/card-front-scanner.ts';
import type { CardFront } from '../deps.ts';
import { VisitError } from '../errors.ts';

export class OcrCardFront implements CardFront {
  constructor(
    private readonly scanner: CardFrontScanner,
    private readonly reader: CardFrontReader,
    private readonly attempts = 3,
  ) {}

  async readVerificationNumberB(signal: AbortSignal): Promise<Uint8Array> {
    try {
      return (await scanAndRead(this.scanner, this.reader, { attempts: this.attempts, signal })).verificationNumberB;
    } catch (err) {
      if (err instanceof KaoreaderError && err.code === 'CARD_FRONT_UNREADABLE')
        throw new VisitError('VERIFICATION_NUMBER_B_UNREADABLE', 'the card front could not be read with confidence', { cause: err });
      throw err;
    }
  }
}
