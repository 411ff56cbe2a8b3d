/**
 * A CA key rollover: two trusted JPKI user-auth CAs with the same subject name, each with its
 * own CRL. A card of the second CA that its CRL revokes is refused (CERTIFICATE_REVOKED) and
 * counted; a card of the first CA with the same serial is not (it is another certificate).
 * Real parts: mosquitto, the production service on an SQLite file, a reader's MQTT link.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FacilityRefusedError } from '../../../firmware/ports/facility-link.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { validateFacilityConfig } from '../../../facility/config/load.ts';
import { startFacility, type RunningFacility } from '../../../facility/compose.ts';
import { makeCrl } from '../../../hardware-sim/card/test-crl.ts';
import { makeCertificate, newRsaKey } from '../../../hardware-sim/card/keys.ts';
import { CA_NAME } from '../../../hardware-sim/card/test-pki.ts';
import { startMosquitto, type RunningMosquitto } from '../../../hardware-sim/facility/mosquitto.ts';
import type { MqttFacilityLink } from '../../../firmware/facility/link/mqtt-facility-link.ts';
import { makeLink, tmp } from '../../firmware/facility/link/helpers.ts';
import { silent } from '../helpers.ts';

const DAY = 86_400_000;
let broker: RunningMosquitto;
let facility: RunningFacility;
let link: MqttFacilityLink;
const certs = new Map<string, Uint8Array>();

test.before(async () => {
  const dir = tmp('kao-rollover-');
  broker = await startMosquitto({ dir: join(dir, 'broker') });
  const now = Date.now();
  const validity = { notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) };
  const caFiles: string[] = [];
  const crlFiles: { file: string }[] = [];
  for (const [name, revoked] of [
    ['old', [] as string[]],
    ['new', ['5e1a1']],
  ] as const) {
    const key = await newRsaKey();
    const caFile = join(dir, `${name}-ca.der`);
    await writeFile(
      caFile,
      await makeCertificate({ subject: CA_NAME, serial: name === 'old' ? '01' : '02', ca: true, ...validity }, key, { name: CA_NAME, key }),
    );
    caFiles.push(caFile);
    const crlFile = join(dir, `${name}.crl`);
    await writeFile(
      crlFile,
      await makeCrl({ issuer: CA_NAME, key, revoked, thisUpdate: new Date(now - 60_000), nextUpdate: new Date(now + 7 * DAY) }),
    );
    crlFiles.push({ file: crlFile });
    const card = await newRsaKey();
    certs.set(
      name,
      await makeCertificate({ subject: 'C=JP, CN=card', serial: '5e1a1', ca: false, ...validity }, card, { name: CA_NAME, key }),
    );
  }
  const config = validateFacilityConfig(
    {
      facilityId: 'clinic-a',
      broker: { url: broker.url },
      store: { kind: 'sqlite', path: join(dir, 'facility.db') },
      trust: { jpkiUserAuthCa: caFiles, crl: crlFiles },
      metrics: { enabled: false },
    },
    'rollover test',
  );
  facility = await startFacility(config, { clock: systemClock, log: silent, auditSink: { write: () => undefined } });
  ({ link } = await makeLink({ brokerUrl: broker.url }));
  await link.start();
  for (let i = 0; !link.facilityOnline && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
});

test.after(async () => {
  await link?.close();
  await facility?.close({ endSession: true });
  await broker?.stop();
});

const qualify = (name: string, visitId: string): Promise<unknown> =>
  link.qualify({ visitId, certificateSerial: '5e1a1', certificate: certs.get(name) ?? new Uint8Array() }, { timeoutMs: 5000 });

test('both CRLs are loaded, each for the CA that signed it', () => {
  const held = facility.revocation.summary();
  assert.is(held.length, 2);
  assert.equal(held.map((c) => c.revoked).sort(), [0, 1]);
});

test("a card of the second CA revoked by that CA's CRL is refused and counted", async () => {
  const err = await qualify('new', 'v-new').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, FacilityRefusedError);
  assert.is((err as FacilityRefusedError).facilityCode, 'CERTIFICATE_REVOKED');
  const text = await facility.service.metrics.text();
  assert.match(text, /kaoreader_facility_refusals_total\{reason="certificate-revoked",kind="qualify"\} 1/);
});

test('a card of the first CA with the same serial is not revoked', async () => {
  const answer = await qualify('old', 'v-old');
  assert.ok(answer);
});

test.run();
