/**
 * Card-side decoding of a command APDU from bytes (ISO/IEC 7816-3 §12.1.3): on the card's side
 * the case can only come from the byte count, so this follows the standard's decision table
 * exactly and refuses anything else. Used by the virtual card and the fuzzer.
 */
import type { CommandApdu } from './command.ts';
import { InvalidCommandError } from './errors.ts';

export function decodeCommand(b: Uint8Array): CommandApdu {
  const n = b.length;
  if (n < 4) throw new InvalidCommandError(`command of ${n} bytes`);
  const head = { cla: b[0] ?? 0, ins: b[1] ?? 0, p1: b[2] ?? 0, p2: b[3] ?? 0 };
  if (n === 4) return head;
  const b5 = b[4] ?? 0;
  if (n === 5) return { ...head, le: b5 === 0 ? 256 : b5 };
  if (b5 !== 0) {
    if (n === 5 + b5) return { ...head, data: b.slice(5, 5 + b5) };
    if (n === 6 + b5) {
      const le = b[n - 1] ?? 0;
      return { ...head, data: b.slice(5, 5 + b5), le: le === 0 ? 256 : le };
    }
    throw new InvalidCommandError(`short Lc ${b5} does not match ${n} bytes`);
  }
  const w = ((b[5] ?? 0) << 8) | (b[6] ?? 0);
  if (n === 7) return { ...head, le: w === 0 ? 65536 : w, extended: true };
  if (w === 0) throw new InvalidCommandError('extended Lc of 0');
  if (n === 7 + w) return { ...head, data: b.slice(7, 7 + w), extended: true };
  if (n === 9 + w) {
    const le = ((b[n - 2] ?? 0) << 8) | (b[n - 1] ?? 0);
    return { ...head, data: b.slice(7, 7 + w), le: le === 0 ? 65536 : le, extended: true };
  }
  throw new InvalidCommandError(`extended Lc ${w} does not match ${n} bytes`);
}
