/**
 * QR code for the pairing screen: the module matrix (true = dark) for a payload, error
 * correction level M, without quiet zone (the layout draws one). Encoding by the `uqr` package.
 */
import { encode } from 'uqr';
import { KaoreaderError } from '../../core/errors.ts';

export class QrPayloadError extends KaoreaderError {
  readonly code = 'QR_PAYLOAD';
}

const MAX_PAYLOAD = 512;

export function encodeQr(payload: string): boolean[][] {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD) throw new QrPayloadError(`QR payload must be 1..${MAX_PAYLOAD} characters`);
  return encode(payload, { ecc: 'M', border: 0 }).data;
}
