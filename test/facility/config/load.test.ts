/** The facility service's configuration: every problem at once, defaults, paths from the file's folder, secrets from the environment. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../../firmware/core/errors.ts';
import { loadFacilityConfig, validateFacilityConfig } from '../../../facility/config/load.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';

const minimal = {
  facilityId: 'clinic-a',
  broker: { url: 'mqtts://broker:8883', caDir: 'ca' },
  store: { kind: 'sqlite', path: 'facility.db' },
  trust: { jpkiUserAuthCa: ['jpki.pem'], crl: [{ url: 'http://crl.example/jpki.crl' }] },
};

test('defaults: 5 min challenges, simulated provider with a 4 s timeout, metrics on loopback, CRL hourly', () => {
  const c = validateFacilityConfig(structuredClone(minimal), 'x');
  assert.is(c.challengeTtlSeconds, 300);
  assert.equal(c.qualification, { provider: 'simulated', timeoutMs: 4000 });
  assert.equal(c.metrics, { host: '127.0.0.1', port: 9464, enabled: true });
  assert.is(c.trust.crlRefreshSeconds, 3600);
  assert.equal(c.visit.consentItems, ['surgery', 'treatment', 'medication', 'checkups']);
});

test('every problem is reported at once, with its path', () => {
  const bad = {
    ...structuredClone(minimal),
    facilityId: 'Clinic A',
    store: { kind: 'mysql' },
    trust: { jpkiUserAuthCa: [], crl: [] },
    challengeTtlSeconds: 1,
    surprise: true,
  };
  try {
    validateFacilityConfig(bad, 'facility.yaml');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ConfigError);
    const text = (err as ConfigError).problems.join('\n');
    for (const where of [
      '/facilityId',
      '/store',
      '/trust/jpkiUserAuthCa',
      '/trust/crl',
      '/challengeTtlSeconds',
      'unknown setting "surprise"',
    ])
      assert.match(text, where);
  }
});

test("relative paths are taken from the file's folder; ${VAR} in the PostgreSQL URL comes from the environment, URL-encoded", async () => {
  const dir = tmp('kao-fconf-');
  const file = join(dir, 'facility.yaml');
  writeFileSync(
    file,
    'facilityId: clinic-a\nbroker: { url: "mqtt://127.0.0.1:1883", caDir: ca }\nstore: { kind: postgres, url: "postgres://kao:${PGPASS}@db/facility" }\ntrust: { jpkiUserAuthCa: [jpki.pem], crl: [ { file: jpki.crl } ] }\nxml: { dir: inbox, institutionCode: "1312345678" }\n',
  );
  const c = await loadFacilityConfig(file, { PGPASS: 'p@ss/word' });
  assert.is(c.broker.caDir, join(dir, 'ca'));
  assert.equal(c.trust.jpkiUserAuthCa, [join(dir, 'jpki.pem')]);
  assert.equal(c.trust.crl, [{ file: join(dir, 'jpki.crl') }]);
  assert.is(c.xml?.dir, join(dir, 'inbox'));
  assert.equal(c.store, { kind: 'postgres', url: 'postgres://kao:p%40ss%2Fword@db/facility' });
  const missing = await loadFacilityConfig(file, {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(missing, ConfigError);
  assert.match((missing as ConfigError).problems.join(), 'PGPASS is not set');
});

test.run();
