/**
 * Security commands of the virtual card (spec card-apdu.md §Commands, §Status words): VERIFY
 * (counter query without data, persisted retry counters: 63Cx, 63C0 for the try that blocks and
 * for the empty query on a blocked key, 6984 for a VERIFY with data on it), GET CHALLENGE (Le
 * 1–256), the JPKI signature `80 2A 00 80` (the key EF current or named by SFI in P2), the
 * card-face AP's own signature `80 2A 00 00` over whatever the reader sends, and the simulated
 * terminal authentication `80 A2`.
 */
import { timingSafeEqual, verify } from 'node:crypto';
import type { CommandApdu } from '../../firmware/apdu/command.ts';
import { SW } from '../../firmware/apdu/response.ts';
import type { CardState, Reply } from './card-state.ts';
import { sw } from './card-state.ts';
import { signPayload } from './card-keys.ts';
import type { RetryCounters } from './counters.ts';

export async function verifyCommand(s: CardState, c: CommandApdu, counters: RetryCounters): Promise<Reply> {
  if (c.p1 !== 0x00 || (c.p2 & 0x80) === 0 || (c.p2 & 0x60) !== 0) return sw(SW.WRONG_P1P2);
  if (!s.applet) return sw(SW.NO_CURRENT_EF);
  const sfi = c.p2 & 0x1f;
  const id = sfi === 0 ? s.ef : sfi;
  if (id === undefined) return sw(SW.NO_CURRENT_EF);
  const ef = s.applet.files.get(id);
  if (!ef) return sw(SW.NOT_FOUND);
  if (ef.kind !== 'secret') return sw(0x6981);
  if (sfi !== 0) s.ef = id;
  if (c.le !== undefined) return sw(SW.WRONG_LENGTH);
  const left = await counters.left(ef.name, ef.limit);
  if (c.data === undefined) {
    if (left === 0) return sw(0x63c0);
    return sw(s.verified.has(id) ? SW.OK : 0x63c0 | left);
  }
  if (left === 0) return sw(SW.AUTH_BLOCKED);
  const ok = c.data.length === ef.value.length && timingSafeEqual(c.data, ef.value);
  if (ok) {
    if (left !== ef.limit) await counters.set(ef.name, ef.limit);
    s.verified.add(id);
    return sw(SW.OK);
  }
  s.verified.delete(id);
  await counters.set(ef.name, left - 1);
  return sw(0x63c0 | (left - 1));
}

export function getChallenge(s: CardState, c: CommandApdu, random: (n: number) => Uint8Array): Reply {
  if (c.p1 !== 0 || c.p2 !== 0) return sw(SW.WRONG_P1P2);
  if (c.data !== undefined || c.le === undefined) return sw(SW.WRONG_LENGTH);
  if (c.extended === true || c.le > 256) return sw(SW.CONDITIONS);
  if (!s.applet || (s.applet.name !== 'jpki' && s.applet.name !== 'card-face')) return sw(SW.INS_NOT_SUPPORTED);
  s.challenge = random(c.le);
  return { data: s.challenge, sw: SW.OK };
}

/** `80 2A 00 80` (JPKI key EF, current or by SFI) and `80 2A 00 00` (the card-face AP's key). */
export function computeSignature(s: CardState, c: CommandApdu): Reply {
  if (!s.applet) return sw(SW.INS_NOT_SUPPORTED);
  if (c.data === undefined || c.le === undefined) return sw(SW.WRONG_LENGTH);
  if (c.data.length > 245) return sw(SW.WRONG_LENGTH);
  if (c.p1 === 0x00 && (c.p2 & 0x80) !== 0 && (c.p2 & 0x60) === 0 && s.applet.name === 'jpki') {
    const sfi = c.p2 & 0x1f;
    const id = sfi === 0 ? s.ef : sfi;
    const ef = id === undefined ? undefined : s.applet.files.get(id);
    if (!ef || ef.kind !== 'sign-key') return sw(SW.CONDITIONS);
    if (!s.verified.has(ef.after) && !(ef.terminalUnlocks && s.terminalAuthenticated)) return sw(SW.SECURITY_NOT_SATISFIED);
    return { data: signPayload(ef.key, c.data), sw: SW.OK };
  }
  if (c.p1 === 0x00 && c.p2 === 0x00 && s.applet.name === 'card-face' && s.applet.chipKey) {
    return { data: signPayload(s.applet.chipKey, c.data), sw: SW.OK };
  }
  return sw(SW.WRONG_P1P2);
}

/** Simulated 特定機関認証: ECDSA P-256 (r‖s) over the last challenge with the terminal key. */
export function terminalAuthenticate(s: CardState, c: CommandApdu): Reply {
  if (!s.applet || s.applet.name !== 'jpki') return sw(SW.INS_NOT_SUPPORTED);
  if (c.p1 !== 0 || c.p2 !== 0) return sw(SW.WRONG_P1P2);
  const ef = s.ef === undefined ? undefined : s.applet.files.get(s.ef);
  if (!ef || ef.kind !== 'terminal-key') return sw(SW.CONDITIONS);
  if (c.data === undefined || c.data.length !== 64 || c.le !== undefined) return sw(SW.WRONG_LENGTH);
  const challenge = s.challenge;
  s.challenge = undefined;
  if (!challenge || challenge.length !== 8) return sw(SW.CONDITIONS);
  // ECDSA r‖s of 64 bytes always parses; a wrong one simply does not verify.
  const ok = verify('sha256', challenge, { key: ef.key, dsaEncoding: 'ieee-p1363' }, c.data);
  s.terminalAuthenticated = ok;
  return sw(ok ? SW.OK : SW.SECURITY_NOT_SATISFIED);
}
