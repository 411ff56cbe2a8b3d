/**
 * Card-front scanner port: a camera or document scanner that images the printed front of the
 * card lying on the reader, for the OCR of 照合番号B (birth date, expiry year, security code).
 *
 * Semantics: `scan()` returns one greyscale image of the card front; it rejects with
 * `DeviceUnavailableError` when the scanner is unplugged, `CancelledError` on `signal`.
 * The image is a secret of the visit (it shows the card): wipe it after the OCR.
 */
export interface CardFrontImage {
  readonly width: number;
  readonly height: number;
  /** 8-bit greyscale, row-major. */
  readonly data: Uint8Array;
}

export interface CardFrontScanner {
  scan(signal?: AbortSignal): Promise<CardFrontImage>;
  close(): Promise<void>;
}
