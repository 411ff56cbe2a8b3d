import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromEraDate } from '../../../firmware/face/card-front/era.ts';
import { loadPatient, patientIds, UnknownPatientError } from '../../../hardware-sim/patients/load-patient.ts';

test('at least four distinct patients with consistent 照合番号B', async () => {
  const ids = patientIds();
  assert.ok(ids.length >= 4);
  assert.ok(ids.includes('sato-hanako'));
  const numbers = new Set<string>();
  for (const id of ids) {
    const p = await loadPatient(id);
    assert.match(p.collationNumberB, /^\d{14}$/);
    numbers.add(p.collationNumberB);
    assert.equal(fromEraDate(p.birthEra), p.birthDate);
    assert.is(p.collationNumberB.slice(6, 10), String(p.cardExpiry.year));
    assert.is(p.collationNumberB.slice(10), p.securityCode);
    assert.match(p.pin, /^\d{4}$/);
    const { width, height, data } = p.faceImage;
    assert.is(data.length, width * height * 3);
    const [[lx, ly]] = p.face.eyes;
    assert.ok(lx > 0 && lx < width && ly > 0 && ly < height);
    // a real photo: plenty of distinct values, not a flat fill
    assert.ok(new Set(data.subarray(0, 30_000)).size > 100);
  }
  assert.is(numbers.size, ids.length);
  assert.is((await loadPatient('sato-hanako')).collationNumberB, '55021720352285');
  assert.is((await loadPatient('watanabe-emi')).birthEra.era, 'reiwa');
});

test('unknown patient is a typed error', async () => {
  try {
    await loadPatient('nobody');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UnknownPatientError);
  }
});

test.run();
