/**
 * 特定機関認証 (terminal authentication) as a pluggable step. The real one needs a J-LIS
 * terminal certificate and key (proprietary `80 A2`, JPKI EF 0016) we cannot have; the
 * simulated one speaks a documented stand-in the virtual card understands:
 *   JPKI-AP, SELECT EF 0016, GET CHALLENGE (8 bytes), `80 A2 00 00 40 <ECDSA P-256 r‖s over
 *   SHA-256(challenge)>` → 9000, or 6982 when the signature does not verify.
 */
import { sign, type KeyObject } from 'node:crypto';
import type { ApduSession } from '../session.ts';
import { SW } from '../response.ts';
import { StatusWordError } from '../errors.ts';
import { SignatureInvalidError } from './errors.ts';

export interface TerminalAuthenticator {
  readonly kind: string;
  /** Runs on the JPKI-AP with EF 0016 already selected. Throws a typed error on refusal. */
  authenticate(session: ApduSession): Promise<void>;
}

export class SimulatedTerminalAuthenticator implements TerminalAuthenticator {
  readonly kind = 'simulated';
  constructor(readonly privateKey: KeyObject) {}

  async authenticate(session: ApduSession): Promise<void> {
    const challenge = await session.expect({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, le: 8 });
    const signature = sign('sha256', challenge, { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    const res = await session.send({ cla: 0x80, ins: 0xa2, p1: 0, p2: 0, data: new Uint8Array(signature) });
    if (res.sw === SW.SECURITY_NOT_SATISFIED) throw new SignatureInvalidError('terminal', 'the card refused the terminal signature');
    if (res.sw !== SW.OK) throw new StatusWordError(res.sw, 'terminal authentication');
  }
}
