/** The composition root picks the simulated card reader in sim mode, with the test PKI as trust. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeCardReader } from '../../cli/compose.ts';
import { defaultConfig } from '../../firmware/config/load.ts';
import { createLogger, MemorySink } from '../../firmware/core/logger.ts';
import { MyNumberCardClient } from '../../firmware/apdu/myna/client.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { makeTestCard } from '../helpers/sim-card.ts';

test('sim mode: SimCardReader + test PKI trust; a simulated card reads and checks out', async () => {
  const wiring = await composeCardReader(defaultConfig(), createLogger({ sink: new MemorySink(), level: 'error' }));
  assert.ok(wiring.sim);
  const { card } = await makeTestCard();
  wiring.sim.reader.insert(card);
  const client = await MyNumberCardClient.open(await wiring.reader.connect(), { clock: systemClock, trust: wiring.trust });
  const cert = await client.readCheckedCertificate();
  assert.match(cert.issuer, /Test JPKI/);
  await wiring.reader.close();
});

test.run();
