/**
 * What the visit calls: scan the card front and read 照合番号B, re-scanning up to `attempts`
 * times while the read is refused for reasons a new scan can fix (blur, glare, the card being
 * moved). A front whose dates are inconsistent is not re-scanned. Every scan is wiped after use.
 */
import { throwIfAborted } from '../core/errors.ts';
import type { CardFrontScanner } from '../ports/card-front-scanner.ts';
import type { CardFrontRead, CardFrontReader } from './card-front-reader.ts';
import { UnreadableCardFrontError } from './errors.ts';

export interface ScanAndReadOptions {
  readonly attempts?: number;
  readonly signal?: AbortSignal;
}

export async function scanAndRead(
  scanner: CardFrontScanner,
  reader: CardFrontReader,
  o: ScanAndReadOptions = {},
): Promise<CardFrontRead & { readonly scans: number }> {
  const attempts = Math.max(1, Math.min(10, o.attempts ?? 3));
  let last: UnreadableCardFrontError | undefined;
  for (let i = 1; i <= attempts; i++) {
    throwIfAborted(o.signal, 'card-front read');
    const image = await scanner.scan(o.signal);
    try {
      return { ...(await reader.readYielding(image)), scans: i };
    } catch (err) {
      if (!(err instanceof UnreadableCardFrontError) || err.reason === 'inconsistent') throw err;
      last = err;
    } finally {
      image.data.fill(0);
    }
  }
  throw last ?? new UnreadableCardFrontError('bad-image', 'no scan was made');
}
