/**
 * A card issued from a patient's profile carries it in the card's own encodings (spec
 * card-apdu.md: DF22 birth date YYYYMMDD, DF23 sex as one JIS X 0303 digit, DF29 expiry
 * YYYYMMDD), and its 照合番号B is the one the card-front reader computes from the printed
 * era date (firmware/card-front, written apart from the card's verificationNumberB).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { issueCardContents } from '../../../hardware-sim/card/issue.ts';
import { numberBOf, type CardProfile } from '../../../hardware-sim/card/patient.ts';
import { loadTestPki } from '../../../hardware-sim/card/test-pki.ts';
import { describePatient, findPatient, patientIds } from '../../../hardware-sim/patients/load-patient.ts';
import { testPhoto } from '../../helpers/sim-card.ts';

const value = (tlv: Uint8Array): string => Buffer.from(tlv.subarray(3)).toString('latin1');

test('DF22, DF23 and DF29 hold the birth date, the sex code and the expiry as the card writes them', async () => {
  const photoJp2 = await testPhoto();
  const pki = await loadTestPki();
  const cardsDir = await mkdtemp(join(tmpdir(), 'kao-issue-'));
  const man: CardProfile = {
    id: 'issue-man',
    birthDate: { year: 1967, month: 7, day: 9 },
    sex: '男',
    cardExpiry: { year: 2029, month: 7, day: 9 },
    securityCode: '5196',
    pin: '9130',
    photoJp2,
  };
  const m = (await issueCardContents(man, { pki, cardsDir })).cardFace.fields;
  assert.equal([m.df22[1], m.df23[1], m.df29[1]], [0x22, 0x23, 0x29]);
  assert.equal([value(m.df22), value(m.df23), value(m.df29)], ['19670709', '1', '20290709']);
  const w = (await issueCardContents({ ...man, id: 'issue-woman', sex: '女' }, { pki, cardsDir })).cardFace.fields;
  assert.is(value(w.df23), '2');
});

test("every simulated patient's card has the 照合番号B the card-front reader computes from their printed dates", () => {
  for (const id of patientIds()) {
    const p = findPatient(id);
    const card = Buffer.from(numberBOf({ ...p, photoJp2: new Uint8Array() })).toString('latin1');
    assert.is(card, describePatient(p).collationNumberB, id);
  }
  assert.is(Buffer.from(numberBOf({ ...findPatient('takahashi-mei'), photoJp2: new Uint8Array() })).toString(), '12110320337730');
});

test.run();
