import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, DeviceUnavailableError } from '../../../firmware/core/errors.ts';
import { CardFrontReader } from '../../../firmware/card-front/card-front-reader.ts';
import { UnreadableCardFrontError } from '../../../firmware/card-front/errors.ts';
import { scanAndRead } from '../../../firmware/card-front/scan-and-read.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { SimCardFrontScanner } from '../../../hardware-sim/card-front/sim-card-front-scanner.ts';
import { loadPatient } from '../../../hardware-sim/patients/load-patient.ts';

/** The read 照合番号B as text, to compare with the test's own ground truth. */
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

test('the patient card is read back as their 照合番号B; every scan differs', async () => {
  const reader = await CardFrontReader.create({ clock: systemClock });
  for (const id of ['sato-hanako', 'suzuki-aiko', 'watanabe-emi']) {
    const p = await loadPatient(id);
    const scanner = await SimCardFrontScanner.forPatient(p, { seed: 3 });
    const a = await scanner.scan();
    const b = await scanner.scan();
    assert.is(a.data.length, a.width * a.height);
    assert.ok(a.data.some((v, i) => v !== b.data[i]));
    assert.is(text(reader.read(a).verificationNumberB), p.verificationNumberB, id);
    await scanner.close();
  }
});

test('empty tray, unplugged, cancelled, closed', async () => {
  const reader = await CardFrontReader.create({ clock: systemClock });
  const scanner = new SimCardFrontScanner();
  try {
    reader.read(await scanner.scan());
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UnreadableCardFrontError);
  }
  scanner.unplug();
  try {
    await scanner.scan();
    assert.unreachable();
  } catch (err) {
    assert.instance(err, DeviceUnavailableError);
  }
  scanner.replug();
  const ac = new AbortController();
  ac.abort();
  try {
    await scanner.scan(ac.signal);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, CancelledError);
  }
  await scanner.close();
  try {
    await scanner.scan();
    assert.unreachable();
  } catch (err) {
    assert.instance(err, DeviceUnavailableError);
  }
});

test('scanAndRead: re-scans an unreadable front, gives up with a typed error after the attempts', async () => {
  const reader = await CardFrontReader.create({ clock: systemClock });
  const p = await loadPatient('tanaka-yuki');
  const scanner = await SimCardFrontScanner.forPatient(p, { seed: 9 });
  const r = await scanAndRead(scanner, reader);
  assert.is(text(r.verificationNumberB), p.verificationNumberB);
  assert.ok(r.scans >= 1);
  scanner.place(undefined);
  const before = scanner.scans;
  try {
    await scanAndRead(scanner, reader, { attempts: 2 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UnreadableCardFrontError);
    assert.is((err as UnreadableCardFrontError).reason, 'no-card');
  }
  assert.is(scanner.scans - before, 2);
  await scanner.close();
});

test.run();
