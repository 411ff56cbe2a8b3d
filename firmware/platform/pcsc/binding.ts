/**
 * The one place that loads the native `pcsclite` binding, lazily, so nothing else (and no unit
 * test) needs the .node file. Declares the small surface kaoreader uses.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';

export interface NativeReader extends EventEmitter {
  readonly name: string;
  readonly connected: boolean;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null | undefined, response: Buffer) => void): void;
  close(): void;
}

export interface NativeContext extends EventEmitter {
  close(): void;
}

/** Creates a PC/SC context; throws when pcscd is not running. */
export type PcscFactory = () => NativeContext;

let cached: PcscFactory | undefined;

export function loadPcsclite(): PcscFactory {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = require('pcsclite') as PcscFactory;
  }
  return cached;
}

/** The PC/SC return code in a pcsclite error ("… (0x80100069)"): the binding gives nothing else. */
export function pcscCode(err: unknown): number | undefined {
  const m = /\(0x([0-9a-f]{8})\)/i.exec(err instanceof Error ? err.message : String(err));
  return m?.[1] ? Number.parseInt(m[1], 16) : undefined;
}
