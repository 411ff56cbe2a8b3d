/** The zero-setup demo wiring: sim mode, unpaired → own mosquitto + facility simulator + link. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateConfig } from '../../firmware/config/load.ts';
import { PairingError } from '../../firmware/facility/pairing/facility-ca.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { composeFacility } from '../../cli/facility-compose.ts';
import { sampleResult } from '../firmware/facility/fixtures.ts';
import { quietLog, RecordingSettings, tmp, until } from '../firmware/facility/link/helpers.ts';

test('sim mode without pairing: demo broker + facility; the link delivers and qualifies', async () => {
  const config = validateConfig({ reader: { stateDir: tmp('kao-compose-') } });
  const c = await composeFacility({ config, clock: systemClock, log: quietLog().log, firmwareVersion: '0.1.0', settings: new RecordingSettings() });
  const ac = new AbortController();
  for (const s of c.services) await s.start(ac.signal);
  try {
    assert.ok(c.link.connected);
    await c.link.submitResult(sampleResult({ readerId: 'demo-reader' }));
    await until(() => c.simulator()?.db.results.size === 1, 5000, 'stored by the demo facility');
    const answer = await c.link.qualify('0a1b2c', { timeoutMs: 2000 });
    assert.ok(answer.consentItems.length > 0);
  } finally {
    for (const s of [...c.services].reverse()) await s.stop();
  }
});

test('real mode without pairing: a clear NOT_PAIRED error', async () => {
  const config = validateConfig({ reader: { stateDir: tmp('kao-compose-') }, hardware: { mode: 'real' } });
  try {
    await composeFacility({ config, clock: systemClock, log: quietLog().log, firmwareVersion: '0.1.0', settings: new RecordingSettings() });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, PairingError);
    assert.is((err as PairingError).code, 'NOT_PAIRED');
  }
});

test.run();
