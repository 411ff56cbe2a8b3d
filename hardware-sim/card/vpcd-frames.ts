/**
 * vsmartcard vpcd wire format: every message is a 2-byte big-endian length then the payload.
 * From vpcd, a 1-byte payload is a control code (0 power off, 1 power on, 2 reset, 4 get ATR);
 * anything longer is a command APDU. The card answers ATR requests and APDUs only.
 */
export const VPCD_CTRL = { off: 0, on: 1, reset: 2, atr: 4 } as const;

export function frame(payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffff) throw new RangeError('vpcd payload over 65535 bytes');
  const out = new Uint8Array(payload.length + 2);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

/** Accumulates stream bytes and yields complete payloads (never more than 65535 + 2 buffered per frame). */
export class FrameReader {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Uint8Array[] {
    this.#buf = this.#buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buf, chunk]);
    const out: Uint8Array[] = [];
    for (let guard = 0; guard < 1024 && this.#buf.length >= 2; guard++) {
      const n = this.#buf.readUInt16BE(0);
      if (this.#buf.length < 2 + n) break;
      out.push(new Uint8Array(this.#buf.subarray(2, 2 + n)));
      this.#buf = this.#buf.subarray(2 + n);
    }
    return out;
  }
}
