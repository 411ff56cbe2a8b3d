/**
 * A simulated reader as its own process (for kill -9 tests and benches): opens its outbox,
 * connects the MQTT facility link, submits `count` results at `rate`/s and keeps delivering.
 * stdout protocol, one line each: `stored <id>` once a result is durably in the outbox,
 * `depth <n>` every 200 ms. Args: <outboxDir> <brokerUrl> <readerId> <count> <ratePerSec>.
 * Env KAOREADER_KEEPALIVE: MQTT keepalive seconds (default 15).
 */
import { createLogger, stderrSink } from '../../firmware/core/logger.ts';
import { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import { Outbox } from '../../firmware/facility/outbox/outbox.ts';
import { newResultId } from '../../firmware/core/uuidv7.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';

const [dir = '', url = '', readerId = 'reader-01', countArg = '0', rateArg = '100'] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg);
const log = createLogger({ sink: stderrSink, level: process.env['KAOREADER_LOG'] === 'debug' ? 'debug' : 'error' });
const outbox = await Outbox.open({ dir, log });
const noop = (): Promise<void> => Promise.resolve();
const link = new MqttFacilityLink({
  readerId, facilityId: 'clinic-a', brokerUrl: url, outbox, clock: systemClock, log, firmwareVersion: '0.1.0', bootCounter: 1,
  hardware: { model: 'sim', arch: process.arch }, settings: { setFacilityName: noop, setConsentItems: noop, setStaffPasswordHash: noop },
  ackTimeoutMs: 1500, backoffMinMs: 100, backoffMaxMs: 2000, reconnectMs: 250, connectWaitMs: 2000, healthIntervalMs: 5000,
  keepaliveS: Number(process.env['KAOREADER_KEEPALIVE'] ?? 15),
});
await link.start();
const depth = setInterval(() => process.stdout.write(`depth ${outbox.depth} ${JSON.stringify({ ...link.delivery.stats, inFlight: link.delivery.inFlight, connected: link.connected, facility: link.facilityOnline })}\n`), 200);
const started = Date.now();
for (let i = 0; i < count; i++) {
  const due = started + (i * 1000) / rate;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  const id = newResultId();
  const now = new Date().toISOString();
  await link.submitResult({
    schema: 'kaoreader.result/1', id, readerId, visitId: `visit-${i}`, startedAt: now, finishedAt: now,
    method: 'face', outcome: 'accepted', segment: 1, certificateSerial: (i + 1).toString(16), processingMs: 1000,
  });
  process.stdout.write(`stored ${id}\n`);
}
process.stdout.write('submitted\n');
// Keep delivering until killed (or told to stop on stdin closing).
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(depth);
  void link.close().then(() => process.exit(0));
});
