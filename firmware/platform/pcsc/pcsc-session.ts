/**
 * One connected PC/SC card session: SCardTransmit with a deadline from the injected clock and
 * AbortSignal support (the native call cannot be cancelled; its late answer is ignored), typed
 * errors for a removed card or a vanished reader, our PIN-bearing copies zeroed, and the native
 * response buffer zeroed once copied.
 */
import { CancelledError, TimeoutError } from '../../core/errors.ts';
import { CardRemovedError } from '../../apdu/errors.ts';
import type { CardDisposition, CardSession, ReaderFeatures, TransmitOptions } from '../../ports/card-reader.ts';
import type { Clock } from '../../ports/clock.ts';
import type { NativeReader } from './binding.ts';
import { mapPcscError } from './errors.ts';

export interface PcscSessionParts {
  readonly reader: NativeReader;
  readonly protocol: number;
  readonly atr: Uint8Array;
  readonly features: ReaderFeatures;
  readonly clock: Clock;
  /** Throws CardRemovedError / ReaderGoneError when the session is stale. */
  readonly check: () => void;
}

/** The PC/SC constant for how a session ends. */
export function nativeDisposition(reader: NativeReader, d: CardDisposition): number {
  switch (d) {
    case 'leave':
      return reader.SCARD_LEAVE_CARD;
    case 'reset':
      return reader.SCARD_RESET_CARD;
    case 'unpower':
      return reader.SCARD_UNPOWER_CARD;
  }
}

export function pcscSession(p: PcscSessionParts): CardSession {
  const { reader, clock } = p;
  const transmit = (command: Uint8Array, options: TransmitOptions): Promise<Uint8Array> => {
    try {
      p.check();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (options.signal?.aborted) return Promise.reject(new CancelledError('APDU', { cause: options.signal.reason }));
    return new Promise<Uint8Array>((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void): void => {
        if (done) return;
        done = true;
        timer.cancel();
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = (): void => finish(() => reject(new CancelledError('APDU', { cause: options.signal?.reason })));
      const timer = clock.setTimeout(() => finish(() => reject(new TimeoutError('APDU', options.timeoutMs))), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const copy = Buffer.from(command);
      reader.transmit(copy, 65538, p.protocol, (err, response) => {
        copy.fill(0); // our copy may hold a PIN
        finish(() => {
          if (err) reject(mapPcscError(err, reader.name, 'SCardTransmit'));
          // A card always answers at least SW1 SW2; nothing back means it left mid-command
          // (vpcd reports a vanished card this way).
          else if (response.length === 0) reject(new CardRemovedError('the card did not answer (removed mid-command)'));
          else {
            const copy = new Uint8Array(response);
            response.fill(0); // the native buffer: card data lives on only in the copy handed up
            resolve(copy);
          }
        });
      });
    });
  };
  const disconnect = (disposition: CardDisposition): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!reader.connected) return resolve();
      reader.disconnect(nativeDisposition(reader, disposition), () => resolve());
    });
  return { atr: p.atr, features: p.features, transmit, disconnect };
}
