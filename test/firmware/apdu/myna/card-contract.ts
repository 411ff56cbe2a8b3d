/**
 * The card contract: one suite that runs against the in-process SimCardReader
 * (card.test.ts) and over pcscd + vpcd with the PC/SC reader (card-pcsc.itest.ts).
 * Each test inserts a freshly issued virtual card with fresh retry counters.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { StatusWordError } from '../../../../firmware/apdu/errors.ts';
import { MyNumberCardClient, type MyNumberCardClientOptions } from '../../../../firmware/apdu/myna/client.ts';
import { PRODUCTION_CARD_FACE_ISSUERS } from '../../../../firmware/apdu/myna/card-face-issuers.ts';
import {
  CardFaceIssuerUnknownError,
  CertificateExpiredError,
  CertificateUntrustedError,
  LastTryNotConfirmedError,
  NotMyNumberCardError,
  PinBlockedError,
  SignatureInvalidError,
  WrongPinError,
  InvalidPinFormatError,
} from '../../../../firmware/apdu/myna/errors.ts';
import { SimulatedTerminalAuthenticator } from '../../../../firmware/apdu/myna/terminal-auth.ts';
import type { CardReader, CardSession } from '../../../../firmware/ports/card-reader.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';
import { isJp2 } from '../../../../hardware-sim/card/jp2.ts';
import type { VirtualMyNumberCard } from '../../../../hardware-sim/card/virtual-card.ts';
import { ascii, makeTestCard, type TestCard } from '../../../helpers/sim-card.ts';

export interface CardHarness {
  readonly reader: CardReader;
  /** Puts `card` in the reader and resolves once the reader reports it. */
  insert(card: VirtualMyNumberCard): Promise<void>;
  remove(): Promise<void>;
  close(): Promise<void>;
}

const rejects = async (p: Promise<unknown>, check: (e: unknown) => boolean, what: string): Promise<unknown> => {
  try {
    await p;
  } catch (e) {
    assert.ok(check(e), `${what}: got ${String(e)}`);
    return e;
  }
  assert.unreachable(`${what}: did not reject`);
  return undefined;
};

export function cardContract(name: string, makeHarness: () => Promise<CardHarness>): ReturnType<typeof suite> {
  const t = suite<{ h?: CardHarness; tc?: TestCard; session?: CardSession }>(name);
  let h: CardHarness | undefined;
  t.before(async () => {
    h = await makeHarness();
  });
  t.after(async () => {
    await h?.close();
  });
  const hh = (): CardHarness => {
    if (!h) throw new Error('harness did not start');
    return h;
  };

  const open = async (tc: TestCard, extra: Partial<MyNumberCardClientOptions> = {}): Promise<MyNumberCardClient> => {
    await hh().insert(tc.card);
    const session = await hh().reader.connect();
    return MyNumberCardClient.open(session, { clock: systemClock, trust: tc.trust, ...extra });
  };

  t('detects a My Number Card and reads the user-auth certificate exactly', async () => {
    const tc = await makeTestCard();
    const c = await open(tc);
    const der = await c.readUserAuthCertificate();
    const { readFile } = await import('node:fs/promises');
    const issued = new Uint8Array(await readFile(`var/sim-card/cards/${tc.profile.id}/auth.crt.der`));
    assert.equal(Buffer.from(der).toString('hex'), Buffer.from(issued).toString('hex'));
    const cert = await c.readCheckedCertificate();
    assert.match(cert.serialNumber, /^[0-9a-f]+$/);
    assert.is(cert.notAfter.getUTCFullYear(), 2035);
  });

  t('a card with another token label is not a My Number Card', async () => {
    const tc = await makeTestCard({ id: 'foreign-token', tokenLabel: 'SOMEOTHERTOKEN' });
    await rejects(open(tc), (e) => e instanceof NotMyNumberCardError, 'foreign label');
  });

  t('expired and untrusted certificates are typed errors', async () => {
    const tc = await makeTestCard();
    const later = { ...systemClock, now: () => Date.parse('2036-01-01T00:00:00Z') };
    const c = await open(tc, { clock: later });
    await rejects(c.readCheckedCertificate(), (e) => e instanceof CertificateExpiredError, 'expired');
    const c2 = await open(tc, { trust: { ...tc.trust, jpkiCaCertificates: [tc.pki.signCa.certificate] } });
    await rejects(c2.readCheckedCertificate(), (e) => e instanceof CertificateUntrustedError, 'untrusted');
  });

  t('PIN: tries left without spending, wrong PIN counts down, last try needs confirmation, blocks', async () => {
    const tc = await makeTestCard();
    const c = await open(tc);
    assert.is((await c.pinTriesLeft()).triesLeft, 3);
    assert.is((await c.pinTriesLeft()).triesLeft, 3);
    await rejects(c.verifyPin(ascii('12a4')), (e) => e instanceof InvalidPinFormatError, 'format');
    assert.is((await c.pinTriesLeft()).triesLeft, 3);
    const e1 = await rejects(c.verifyPin(ascii('0000')), (e) => e instanceof WrongPinError, 'wrong 1');
    assert.is((e1 as WrongPinError).triesLeft, 2);
    await rejects(c.verifyPin(ascii('0000')), (e) => e instanceof WrongPinError && e.triesLeft === 1, 'wrong 2');
    await rejects(c.verifyPin(ascii('1234')), (e) => e instanceof LastTryNotConfirmedError, 'last try');
    assert.is((await c.pinTriesLeft()).triesLeft, 1);
    await rejects(c.verifyPin(ascii('0000'), { confirmLastTry: true }), (e) => e instanceof PinBlockedError, 'blocks');
    assert.is((await c.pinTriesLeft()).triesLeft, 0);
    await rejects(c.verifyPin(ascii('1234'), { confirmLastTry: true }), (e) => e instanceof PinBlockedError, 'stays blocked');
    // The counter persists: the same card re-issued from its store is still blocked.
    const again = await makeTestCard({ counters: tc.counters });
    const c2 = await open(again);
    assert.is((await c2.pinTriesLeft()).triesLeft, 0);
  });

  t('PIN-mode: sign refused before VERIFY; after VERIFY the signature verifies; counter resets', async () => {
    const tc = await makeTestCard();
    const c = await open(tc);
    const cert = await c.readCheckedCertificate();
    await rejects(c.signChallenge(cert), (e) => e instanceof StatusWordError && e.sw === 0x6982, 'unverified');
    await rejects(c.verifyPin(ascii('9999')), (e) => e instanceof WrongPinError, 'wrong');
    await c.verifyPin(ascii('1234'));
    assert.is((await c.pinTriesLeft()).verified, true);
    const sig = await c.signChallenge(cert);
    assert.is(sig.signature.length, 256);
    const c2 = await open(tc);
    assert.is((await c2.pinTriesLeft()).triesLeft, 3);
  });

  t('face mode: 照合番号B (10 tries), EF 0004 + EF 0002 → JP2 photo with DF28 and the chip proof checked', async () => {
    const tc = await makeTestCard();
    const c = await open(tc);
    await rejects(c.readCardFace(), (e) => e instanceof StatusWordError && e.sw === 0x6982, 'before 照合番号B');
    assert.is((await c.verificationNumberBTriesLeft()).triesLeft, 10);
    await rejects(
      c.verifyVerificationNumberB(ascii('55021720350000')),
      (e) => e instanceof WrongPinError && e.kind === 'verification-number-b' && e.triesLeft === 9,
      'wrong B',
    );
    await c.verifyVerificationNumberB(ascii(tc.verificationNumberB));
    const face = await c.readCardFace();
    assert.ok(isJp2(face.photo));
    assert.equal(Buffer.from(face.photo).toString('hex'), Buffer.from(tc.profile.photoJp2).toString('hex'));
    assert.is(face.issuerKeyId, '9000023/001');
    // Switching applets drops verified state on the card.
    await c.readUserAuthCertificate();
    await rejects(c.readCardFace(), (e) => e instanceof StatusWordError && e.sw === 0x6982, 'after switch');
  });

  t('disconnect dispositions: leave keeps a verified PIN for the next session; reset and unpower clear it', async () => {
    const tc = await makeTestCard();
    await hh().insert(tc.card);
    for (const disposition of ['leave', 'reset', 'unpower'] as const) {
      const s1 = await hh().reader.connect();
      const c1 = await MyNumberCardClient.open(s1, { clock: systemClock, trust: tc.trust });
      await c1.verifyPin(ascii('1234'));
      await s1.disconnect(disposition);
      const s2 = await hh().reader.connect();
      const c2 = await MyNumberCardClient.open(s2, { clock: systemClock, trust: tc.trust });
      assert.is((await c2.pinTriesLeft()).verified, disposition === 'leave', disposition);
      await s2.disconnect('reset');
    }
  });

  t("a card left verified in the reader: the next session's wrong PIN is refused and nothing is signed", async () => {
    const tc = await makeTestCard();
    await hh().insert(tc.card);
    const s1 = await hh().reader.connect();
    const c1 = await MyNumberCardClient.open(s1, { clock: systemClock, trust: tc.trust });
    await c1.verifyPin(ascii('1234'));
    await s1.disconnect('leave');
    const s2 = await hh().reader.connect();
    const c2 = await MyNumberCardClient.open(s2, { clock: systemClock, trust: tc.trust });
    assert.is((await c2.pinTriesLeft()).verified, true, "the card still holds the last session's verification");
    await rejects(c2.verifyPin(ascii('9999')), (e) => e instanceof WrongPinError && e.triesLeft === 2, 'wrong PIN on a verified card');
    const cert = await c2.readCheckedCertificate();
    await rejects(c2.signChallenge(cert), (e) => e instanceof StatusWordError && e.sw === 0x6982, 'no signature');
    await c2.verifyPin(ascii('1234'));
    assert.is((await c2.signChallenge(cert)).signature.length, 256, 'the right PIN still works');
    await s2.disconnect('reset');
  });

  t('EF 0004 is checked with the CA key its 16-byte issuer id names; an unknown id is its own outcome', async () => {
    const tc = await makeTestCard();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const c = await open(tc, {
      trust: { ...tc.trust, cardFaceIssuers: [{ keyId: tc.pki.cardFaceCa.keyId, publicKey: other, source: 'test' }] },
    });
    await c.verifyVerificationNumberB(ascii(tc.verificationNumberB));
    await rejects(c.readCardFace(), (e) => e instanceof SignatureInvalidError && e.check === 'cv-certificate', 'wrong CA key');
    // Production trust (the production J-LIS key only): the simulator's 9000023/001 is unknown, not "bad".
    const prod = await open(tc, { trust: { ...tc.trust, cardFaceIssuers: PRODUCTION_CARD_FACE_ISSUERS } });
    await prod.verifyVerificationNumberB(ascii(tc.verificationNumberB));
    await rejects(prod.readCardFace(), (e) => e instanceof CardFaceIssuerUnknownError && e.keyId === '9000023/001', 'unknown issuer');
  });

  t('simulated terminal authentication: right key accepted, wrong key refused', async () => {
    const tc = await makeTestCard();
    const ok = await open(tc, { terminalAuthenticator: new SimulatedTerminalAuthenticator(tc.pki.terminal.privateKey) });
    await ok.authenticateTerminal();
    const wrong = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const bad = await open(tc, { terminalAuthenticator: new SimulatedTerminalAuthenticator(wrong) });
    await rejects(bad.authenticateTerminal(), (e) => e instanceof SignatureInvalidError && e.check === 'terminal', 'wrong key');
  });

  t('anything outside the spec answers like a card, never 9000', async () => {
    const tc = await makeTestCard();
    await hh().insert(tc.card);
    const s = await hh().reader.connect();
    const sw = async (hex: string): Promise<string> => {
      const r = await s.transmit(new Uint8Array(Buffer.from(hex, 'hex')), { timeoutMs: 3000 });
      return Buffer.from(r.subarray(r.length - 2)).toString('hex');
    };
    assert.is(await sw('00ca000000'), '6d00'); // GET DATA: not on this card
    assert.is(await sw('a0a4040c0ad392f000260100000001'), '6e00'); // foreign CLA
    assert.is(await sw('00a4040c05a000000001'), '6a82'); // unknown AID
    assert.is(await sw('00a4040c0ad392100031000101040' + '8'), '9000'); // text applet exists…
    assert.is(await sw('00a4020c020001'), '6a82'); // …but the reader cannot reach its files
    assert.is(await sw('00a4040c0ad392f000260100000001'), '9000');
    assert.is(await sw('00a4010c020001'), '6a86'); // SELECT by unsupported P1
    assert.is(await sw('00b0000004'), '6986'); // no current EF
    assert.is(await sw('00a4020c02000a'), '9000');
    assert.is(await sw('00b0000004'), '9000');
    assert.is(await sw('00b0080004'), '6b00'); // beyond the EF
    assert.is(await sw('00a4020c020017'), '9000');
    assert.is(await sw('00b0000004'), '6981'); // a key is not readable
    assert.is(await sw('802a00802a' + '00'.repeat(42) + '00'), '6982'); // sign without PIN
  });

  return t;
}
