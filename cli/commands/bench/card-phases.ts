/**
 * The two card phases of a visit as the bench measures them, on any CardSession:
 * face mode = detect + 照合番号B (VERIFY, which reads the tries left first) + card face (EF 0004, EF 0002, chip proof over
 * the reader's nonce) + certificate + 特定機関認証 + the signature over the facility's challenge;
 * PIN mode = detect + certificate + PIN (tries, VERIFY) + signature.
 * Counts APDUs, READ BINARYs and bytes (and each APDU's size, for the link model) by wrapping the session.
 */
import { MyNumberCardClient, type MyNumberCardTrust } from '../../../firmware/apdu/myna/client.ts';
import type { CardSession } from '../../../firmware/ports/card-reader.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { MalformedResponseError } from '../../../firmware/apdu/errors.ts';
import { readHeader } from '../../../firmware/apdu/tlv.ts';
import type { TerminalAuthenticator } from '../../../firmware/apdu/myna/terminal-auth.ts';
import type { ApduSize } from './card-links.ts';

export interface PhaseResult {
  readonly ms: number;
  readonly apdus: number;
  readonly readBinaries: number;
  /** Data bytes returned by READ BINARY. */
  readonly bytesRead: number;
  /** Bytes that had to be read: token label + certificate (+ CV certificate + EF 0002). */
  readonly bytesNeeded: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Each exchange's command and response size, in order (card-links.ts). */
  readonly sizes: readonly ApduSize[];
}

function counting(session: CardSession): {
  session: CardSession;
  tally: { apdus: number; reads: number; readBytes: number; sent: number; received: number; needed: number; sizes: ApduSize[] };
} {
  const tally = { apdus: 0, reads: 0, readBytes: 0, sent: 0, received: 0, needed: 0, sizes: [] as ApduSize[] };
  return {
    tally,
    session: {
      atr: session.atr,
      features: session.features,
      disconnect: (d) => session.disconnect(d),
      async transmit(command, options) {
        const r = await session.transmit(command, options);
        tally.apdus++;
        tally.sizes.push({ command: command.length, response: r.length });
        tally.sent += command.length;
        tally.received += r.length;
        if (command[1] === 0xb0) {
          tally.reads++;
          tally.readBytes += Math.max(0, r.length - 2);
          if (command[2] === 0 && command[3] === 0) tally.needed += neededFor(r.subarray(0, r.length - 2));
        }
        return r;
      },
    },
  };
}

/** The bytes a file's first read says must be read: its DER/BER total length, or the label read. */
function neededFor(first: Uint8Array): number {
  if (first[0] !== 0x30 && first[0] !== 0x7f && first[0] !== 0xff) return first.length;
  try {
    const h = readHeader(first, 0, 'bench', { maxDepth: 1, maxNodes: 1, maxLength: 65535 });
    return h.headerLength + h.valueLength;
  } catch (err) {
    if (err instanceof MalformedResponseError) return first.length; // not a structure: count what was read
    throw err;
  }
}

export interface PhaseInput {
  readonly trust: MyNumberCardTrust;
  readonly terminalAuthenticator: TerminalAuthenticator;
  readonly pin: Uint8Array;
  readonly verificationNumberB: Uint8Array;
  readonly extended: boolean;
}

export async function facePhase(raw: CardSession, input: PhaseInput): Promise<PhaseResult> {
  const { session, tally } = counting(raw);
  const t0 = performance.now();
  const client = await MyNumberCardClient.open(session, {
    clock: systemClock,
    trust: input.trust,
    extended: input.extended,
    terminalAuthenticator: input.terminalAuthenticator,
  });
  // As the visit does (adapters/myna-card.ts): the VERIFY reads the tries left itself.
  await client.verifyVerificationNumberB(input.verificationNumberB, { confirmLastTry: false });
  const face = await client.readCardFace();
  const cert = await client.readCheckedCertificate();
  await client.authenticateTerminal();
  await client.signChallenge(cert);
  const ms = performance.now() - t0;
  face.photo.fill(0);
  return result(ms, tally);
}

function result(ms: number, t: ReturnType<typeof counting>['tally']): PhaseResult {
  return {
    ms,
    apdus: t.apdus,
    readBinaries: t.reads,
    bytesRead: t.readBytes,
    bytesNeeded: t.needed,
    bytesSent: t.sent,
    bytesReceived: t.received,
    sizes: t.sizes,
  };
}

export async function pinPhase(raw: CardSession, input: PhaseInput): Promise<PhaseResult> {
  const { session, tally } = counting(raw);
  const t0 = performance.now();
  const client = await MyNumberCardClient.open(session, { clock: systemClock, trust: input.trust, extended: input.extended });
  const cert = await client.readCheckedCertificate();
  await client.pinTriesLeft();
  await client.verifyPin(input.pin);
  await client.signChallenge(cert);
  return result(performance.now() - t0, tally);
}
