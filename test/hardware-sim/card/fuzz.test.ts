/**
 * Bounded fuzz slice (the 100k-case run is `kaoreader bench card --fuzz 100000`): mutated card
 * responses and structurally wrong, re-signed cards end only in typed errors or in the unmutated
 * output for a reason the oracle names; no finding. A deliberately broken client (the card face
 * read without its signatures checked) must make the same oracle report findings. Random command
 * bytes never crash the virtual card.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { StatusWordError } from '../../../firmware/apdu/errors.ts';
import { ApduSession } from '../../../firmware/apdu/session.ts';
import { parseCardFace } from '../../../firmware/apdu/myna/card-face.ts';
import { AID } from '../../../firmware/apdu/myna/constants.ts';
import { CardFiles } from '../../../firmware/apdu/myna/files.ts';
import { VERIFICATION_NUMBER_B, verifySecret } from '../../../firmware/apdu/myna/pin.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { fuzzCardResponses, type FuzzInput } from '../../../hardware-sim/card/card-fuzzer.ts';
import { digest, READER_PHASES, type FuzzPhases } from '../../../hardware-sim/card/fuzz-phases.ts';
import { VARIANTS } from '../../../hardware-sim/card/fuzz-variants.ts';
import { issueCardContents } from '../../../hardware-sim/card/issue.ts';
import { MemoryStore } from '../../../hardware-sim/card/memory-store.ts';
import { Rng } from '../../../hardware-sim/card/response-mutator.ts';
import { ascii, makeTestCard } from '../../helpers/sim-card.ts';

async function input(cases: number, phases?: FuzzPhases): Promise<FuzzInput> {
  const tc = await makeTestCard({ id: 'fuzz-slice', counters: new MemoryStore() });
  const issued = await issueCardContents(tc.profile, { pki: tc.pki });
  return {
    issued,
    pki: tc.pki,
    spareKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    trust: tc.trust,
    pin: ascii(tc.profile.pin),
    verificationNumberB: ascii(tc.verificationNumberB),
    cases,
    seed: 20261124,
    caseLimitMs: 3000,
    ...(phases ? { phases } : {}),
  };
}

test('3000 cases (mutated responses + re-signed structural variants): typed errors or the unmutated output, no finding', async () => {
  const report = await fuzzCardResponses(await input(3000));
  assert.equal(report.findings, [], JSON.stringify(report.findings.slice(0, 3), null, 1));
  assert.ok(report.variantCases > 400 && report.responseCases > 2000);
  for (const v of VARIANTS) assert.ok((report.variants[v]?.cases ?? 0) > 0, `variant ${v} ran`);
  assert.ok((report.typedErrors['APDU_MALFORMED'] ?? 0) > 100, 'malformed input is detected');
  assert.ok((report.typedErrors['SIGNATURE_INVALID'] ?? 0) > 50, 'tampered signed data is detected');
  assert.ok((report.typedErrors['CARD_FACE_ISSUER_UNKNOWN'] ?? 0) > 0, 'an unknown issuer is its own outcome');
  assert.ok(
    report.harmless.identical > 0 && report.harmless.resent > 0 && report.harmless['counter-only'] > 0,
    JSON.stringify(report.harmless),
  );
});

/**
 * A broken client: reads EF 0002 after 照合番号B and takes the photo from it without checking
 * EF 0004, DF28 or the chip. Everything else is the reader's own code.
 */
const BROKEN: FuzzPhases = {
  ...READER_PHASES,
  async face(c) {
    const session = new ApduSession(c.session, { clock: systemClock, timeoutMs: 500 });
    const files = new CardFiles(session, c.session.features.extendedApdu);
    const sw = await files.selectApplet('card-face', AID.cardFace, true);
    if (sw !== 0x9000) throw new StatusWordError(sw, 'SELECT');
    await files.selectEf(0x0012);
    await verifySecret(session, VERIFICATION_NUMBER_B, c.verificationNumberB);
    await files.selectEf(0x0002);
    const head = new Uint8Array(5);
    await files.read(0, 5, head);
    const ef = new Uint8Array(5 + (((head[3] ?? 0) << 8) | (head[4] ?? 0)));
    await files.read(0, ef.length, ef);
    return `${digest(parseCardFace(ef).photo)}|9000023/001`;
  },
};

test('the oracle catches a client that does not check the card-face signatures', async () => {
  const report = await fuzzCardResponses(await input(1500, BROKEN));
  assert.ok((report.findingKinds['accepted-corrupted-data'] ?? 0) > 0, JSON.stringify(report.findingKinds));
  assert.ok((report.findingKinds['variant-accepted'] ?? 0) > 0, JSON.stringify(report.findingKinds));
});

test('random command bytes: the virtual card always answers a status word', async () => {
  const tc = await makeTestCard({ id: 'fuzz-slice', counters: new MemoryStore() });
  const rng = new Rng(7);
  const prefixes = ['00a4', '00b0', '0020', '0084', '802a', '80a2', '00c0'];
  for (let i = 0; i < 3000; i++) {
    const head = Buffer.from(prefixes[rng.int(prefixes.length)] ?? '00a4', 'hex');
    const cmd = new Uint8Array([...head, ...rng.bytes(rng.int(80))]);
    const r = await tc.card.transmit(cmd);
    assert.ok(r.length >= 2);
  }
});

test.run();
