import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromEraDate } from '../../../firmware/card-front/era.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { loadPatient, patientIds, UnknownPatientError } from '../../../hardware-sim/patients/load-patient.ts';
import { simulatedPatient } from '../../../hardware-sim/patients/sim-patient.ts';

test('at least four distinct patients with consistent 照合番号B', async () => {
  const ids = patientIds();
  assert.ok(ids.length >= 4);
  assert.ok(ids.includes('sato-hanako'));
  const numbers = new Set<string>();
  for (const id of ids) {
    const p = await loadPatient(id);
    assert.match(p.verificationNumberB, /^\d{14}$/);
    numbers.add(p.verificationNumberB);
    assert.equal(fromEraDate(p.birthEra), p.birthDate);
    assert.is(p.verificationNumberB.slice(6, 10), String(p.cardExpiry.year));
    assert.is(p.verificationNumberB.slice(10), p.securityCode);
    assert.match(p.pin, /^\d{4}$/);
    const { width, height, data } = p.faceImage;
    assert.is(data.length, width * height * 3);
    const [[lx, ly]] = p.face.eyes;
    assert.ok(lx > 0 && lx < width && ly > 0 && ly < height);
    // a real photo: plenty of distinct values, not a flat fill
    assert.ok(new Set(data.subarray(0, 30_000)).size > 100);
  }
  assert.is(numbers.size, ids.length);
  assert.is((await loadPatient('sato-hanako')).verificationNumberB, '55021720352285');
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

test('simulatedPatient wires a live camera, a spoof camera and the card scanner', async () => {
  const live = await simulatedPatient('takahashi-mei', { clock: systemClock, width: 160, height: 120 });
  assert.ok(live.live);
  live.live.blink();
  const spoof = await simulatedPatient('takahashi-mei', {
    clock: systemClock,
    atCamera: 'moved-photo',
    presentation: 'phone',
    width: 160,
    height: 120,
  });
  assert.is(spoof.live, undefined);
  for (const p of [live, spoof]) {
    for await (const f of p.camera.frames()) {
      assert.is(f.data.length, 160 * 120 * 3);
      break;
    }
  }
  const scan = await live.cardFront.scan();
  assert.ok(scan.width > 0 && scan.data.length === scan.width * scan.height);
  assert.is(live.profile.verificationNumberB, '12110320337730');
  await live.close();
  await spoof.close();
  assert.ok(live.profile.faceImage.data.every((b) => b === 0));
});

test.run();
