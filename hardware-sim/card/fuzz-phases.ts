/**
 * The card phases the fuzzer drives, each returning what it would hand to the visit as one
 * comparable string (the oracle compares a mutated run's string with the unmutated one's):
 * - certificate: detect + the checked user-auth certificate (serial, validity, DER digest);
 * - pin: detect + tries + VERIFY PIN + certificate + the signature over a fixed challenge;
 * - face: detect + 照合番号B tries + VERIFY + EF 0004/0002 (DF28, chip proof over a fixed nonce)
 *   → the photo's digest and the CA key id.
 * Tries-left answers are shown to the patient, never decided on (VERIFY re-reads the counter),
 * so they are not part of the output.
 */
import { createHash } from 'node:crypto';
import { MyNumberCardClient, type MyNumberCardTrust } from '../../firmware/apdu/myna/client.ts';
import type { CardSession } from '../../firmware/ports/card-reader.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';

export const FUZZ_PHASES = ['certificate', 'pin', 'face'] as const;
export type FuzzPhase = (typeof FUZZ_PHASES)[number];

export interface PhaseContext {
  readonly session: CardSession;
  readonly trust: MyNumberCardTrust;
  readonly pin: Uint8Array;
  readonly verificationNumberB: Uint8Array;
}

export type PhaseRunner = (c: PhaseContext) => Promise<string>;
export type FuzzPhases = Readonly<Record<FuzzPhase, PhaseRunner>>;

/** The challenge and nonce every run uses, so that unmutated runs give identical outputs. */
export const FUZZ_CHALLENGE = new Uint8Array(32).fill(7);
export const FUZZ_NONCE = new Uint8Array(32).fill(9);

export const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').slice(0, 24);

const open = (c: PhaseContext): Promise<MyNumberCardClient> =>
  MyNumberCardClient.open(c.session, { clock: systemClock, trust: c.trust, timeoutMs: 500 });

/** The reader's own phases, through MyNumberCardClient. */
export const READER_PHASES: FuzzPhases = {
  async certificate(c) {
    const cert = await (await open(c)).readCheckedCertificate();
    return `${cert.serialNumber}|${cert.notBefore.toISOString()}|${cert.notAfter.toISOString()}|${digest(cert.der)}`;
  },
  async pin(c) {
    const client = await open(c);
    await client.pinTriesLeft();
    await client.verifyPin(c.pin);
    const cert = await client.readCheckedCertificate();
    const { signature } = await client.signChallenge(cert, FUZZ_CHALLENGE);
    return `${digest(cert.der)}|${digest(signature)}`;
  },
  async face(c) {
    const client = await open(c);
    await client.verificationNumberBTriesLeft();
    await client.verifyVerificationNumberB(c.verificationNumberB);
    const face = await client.readCardFace(FUZZ_NONCE);
    const out = `${digest(face.photo)}|${face.issuerKeyId}`;
    face.photo.fill(0);
    return out;
  },
};
