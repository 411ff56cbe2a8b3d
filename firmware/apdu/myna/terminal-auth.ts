/**
 * 特定機関認証 (terminal authentication) as a pluggable step: after it, the JPKI user-auth key
 * signs without the PIN, which is how a certified reader binds a face-mode visit to the card.
 *
 * The certified exchange (VERIFY CERTIFICATE `80 A2` with the terminal's 7F21 certificate, checked
 * against the CA key in JPKI EF 0016, then an external authentication) needs a terminal
 * certificate and key that J-LIS issues to certified reader makers; it is not public. Such a maker
 * plugs theirs in as a module (docs/card.md, `card.terminalAuthenticator.module`) implementing
 * `TerminalAuthenticator`:
 * - `authenticate(session)` runs on the JPKI-AP with EF 0016 selected, through `session` (61xx /
 *   6Cxx capped, a deadline per APDU, cancelled with the visit). It resolves once the card accepts
 *   the terminal; the user-auth key then signs without the PIN until another applet is selected.
 * - It rejects with a typed error: SignatureInvalidError (check `terminal`) when the card refuses
 *   the terminal, StatusWordError for other answers, TimeoutError / CancelledError from the session.
 * - It never selects another applet, never logs key material, and holds no state between visits
 *   beyond its credentials.
 *
 * The simulated authenticator speaks a documented stand-in the virtual card understands:
 *   GET CHALLENGE (8 bytes), `80 A2 00 00 40 <ECDSA P-256 r‖s over SHA-256(challenge)>` → 9000,
 *   or 6982 when the signature does not verify.
 */
import { sign, type KeyObject } from 'node:crypto';
import type { ApduSession } from '../session.ts';
import { SW } from '../response.ts';
import { MalformedResponseError, StatusWordError } from '../errors.ts';
import { SignatureInvalidError } from './errors.ts';

export interface TerminalAuthenticator {
  /** `simulated`, or the maker's name (for logs and the audit trail). */
  readonly kind: string;
  /** Runs on the JPKI-AP with EF 0016 already selected. Throws a typed error on refusal. */
  authenticate(session: ApduSession): Promise<void>;
}

export class SimulatedTerminalAuthenticator implements TerminalAuthenticator {
  readonly kind = 'simulated';
  constructor(readonly privateKey: KeyObject) {}

  async authenticate(session: ApduSession): Promise<void> {
    const challenge = await session.expect({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, le: 8 });
    if (challenge.length !== 8) throw new MalformedResponseError('GET CHALLENGE', `asked 8 bytes, got ${challenge.length}`);
    const signature = sign('sha256', challenge, { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    const res = await session.send({ cla: 0x80, ins: 0xa2, p1: 0, p2: 0, data: new Uint8Array(signature) });
    if (res.sw === SW.SECURITY_NOT_SATISFIED) throw new SignatureInvalidError('terminal', 'the card refused the terminal signature');
    if (res.sw !== SW.OK) throw new StatusWordError(res.sw, 'terminal authentication');
    if (res.data.length > 0) throw new MalformedResponseError('80 A2 response', `${res.data.length} unexpected data byte(s)`);
  }
}
