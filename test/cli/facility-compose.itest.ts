/** The zero-setup demo wiring: sim mode, unpaired → own mosquitto + facility simulator + link. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateConfig } from '../../firmware/config/load.ts';
import { join } from 'node:path';
import { Outbox } from '../../firmware/facility/outbox/outbox.ts';
import { FacilityUnreachableError } from '../../firmware/ports/facility-link.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { composeFacility } from '../../cli/facility-compose.ts';
import { sampleResult } from '../firmware/facility/fixtures.ts';
import { loadBenchCards } from '../../hardware-sim/card/bench-cards.ts';
import { loadTestPki } from '../../hardware-sim/card/test-pki.ts';
import { quietLog, RecordingSettings, tmp, until } from '../firmware/facility/link/helpers.ts';

test('sim mode without pairing: demo broker + facility; the link delivers and qualifies', async () => {
  const config = validateConfig({ reader: { stateDir: tmp('kao-compose-') } });
  const c = await composeFacility({
    config,
    clock: systemClock,
    log: quietLog().log,
    firmwareVersion: '0.1.0',
    settings: new RecordingSettings(),
  });
  const ac = new AbortController();
  for (const s of c.services) await s.start(ac.signal);
  try {
    assert.ok((await c.link.health?.())?.[0]?.ok, 'connected to the demo broker');
    await c.link.submitResult(sampleResult({ readerId: 'demo-reader', outcome: 'cancelled', segment: 9 }));
    await until(async () => (await c.simulator()?.stored()) === 1, 5000, 'stored by the demo facility');
    const [card] = await loadBenchCards(await loadTestPki(), 1);
    const answer = await c.link.qualify(
      { visitId: 'v1', certificateSerial: card?.serial ?? '', certificate: card?.certificate ?? new Uint8Array() },
      { timeoutMs: 2000 },
    );
    assert.ok(answer.consentItems.length > 0);
  } finally {
    for (const s of [...c.services].reverse()) await s.stop();
  }
});

test('real mode without pairing: requests fail fast, results wait in the outbox, the pairing code is there to show, never in a log', async () => {
  const stateDir = tmp('kao-compose-');
  const config = validateConfig({ reader: { stateDir }, hardware: { mode: 'real' } });
  const { log, sink } = quietLog();
  const c = await composeFacility({ config, clock: systemClock, log, firmwareVersion: '0.1.0', settings: new RecordingSettings() });
  assert.match(c.pairing?.code ?? '', /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  assert.match(c.readerId, /^kr-[0-9a-f]{12}$/);
  const err = await c.link
    .qualify({ visitId: 'v1', certificateSerial: 'ab', certificate: new Uint8Array([0x30, 0x00]) }, { timeoutMs: 1000 })
    .catch((e: unknown) => e);
  assert.instance(err, FacilityUnreachableError);
  await c.link.submitResult(sampleResult({ readerId: c.readerId }));
  const checks = (await c.link.health?.()) ?? [];
  assert.match(checks[0]?.detail ?? '', 'not paired');
  assert.not.match(JSON.stringify(checks), c.pairing?.code ?? '?', 'health (which the daemon may log) has no pairing code');
  assert.ok(sink.lines.length > 0);
  assert.not.match(sink.lines.join('\n'), c.pairing?.code ?? '?', 'the pairing code never reaches the journal');
  await c.link.stop();
  const outbox = await Outbox.open({ dir: join(stateDir, 'outbox') });
  assert.is(outbox.depth, 1, 'kept for delivery after pairing');
  await outbox.close();
});

test.run();
