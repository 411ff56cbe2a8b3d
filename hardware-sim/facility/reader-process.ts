/**
 * A simulated reader as its own process (for kill -9 tests and benches): opens its outbox,
 * connects the MQTT facility link, prepares `count` proofs with bench cards (qualify, sign,
 * prove: proofs.ts), then submits `count` accepted results at `rate`/s and keeps delivering.
 * stdout protocol, one line each: `stored <id>` once a result is durably in the outbox,
 * `depth <n>` every 200 ms, `prepared` when the proofs are ready, `refused <id> <code>` when the
 * facility refused a result for good.
 * Args: <outboxDir> <brokerUrl> <readerId> <count> <ratePerSec>.
 * Env KAOREADER_KEEPALIVE: MQTT keepalive seconds (default 15).
 */
import { createLogger, stderrSink } from '../../firmware/core/logger.ts';
import { MqttFacilityLink } from '../../firmware/facility/link/mqtt-facility-link.ts';
import { Outbox } from '../../firmware/facility/outbox/outbox.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { loadBenchCards } from '../card/bench-cards.ts';
import { loadTestPki } from '../card/test-pki.ts';
import { ProofSource } from './proofs.ts';

const [dir = '', url = '', readerId = 'reader-01', countArg = '0', rateArg = '100'] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg);
const log = createLogger({ sink: stderrSink, level: process.env['KAOREADER_LOG'] === 'debug' ? 'debug' : 'error' });
const outbox = await Outbox.open({ dir, log });
const noop = (): Promise<void> => Promise.resolve();
const link = new MqttFacilityLink({
  readerId,
  facilityId: 'clinic-a',
  brokerUrl: url,
  outbox,
  clock: systemClock,
  log,
  firmwareVersion: '0.1.0',
  bootCounter: 1,
  hardware: { model: 'sim', arch: process.arch },
  settings: { setFacilityName: noop, setStaffPasswordHash: noop },
  ackTimeoutMs: 1500,
  backoffMinMs: 100,
  backoffMaxMs: 2000,
  reconnectMs: 250,
  connectWaitMs: 2000,
  healthIntervalMs: 5000,
  keepaliveS: Number(process.env['KAOREADER_KEEPALIVE'] ?? 15),
  onRefused: (id, code) => process.stdout.write(`refused ${id} ${code}\n`),
});
await link.start();
const depth = setInterval(
  () =>
    process.stdout.write(
      `depth ${outbox.depth} ${JSON.stringify({ ...link.delivery.stats, inFlight: link.delivery.inFlight, connected: link.connected, facility: link.facilityOnline })}\n`,
    ),
  200,
);
const proofs = new ProofSource(link, await loadBenchCards(await loadTestPki(), 4), readerId);
for (let i = 0; !link.facilityOnline && i < 600; i++) await new Promise((r) => setTimeout(r, 100));
await proofs.prefetch(count);
process.stdout.write('prepared\n');
const started = Date.now();
for (let i = 0; i < count; i++) {
  const due = started + (i * 1000) / rate;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  const result = proofs.result(1000);
  if (!result) break;
  await link.submitResult(result);
  process.stdout.write(`stored ${result.id}\n`);
}
process.stdout.write('submitted\n');
// Keep delivering until killed (or told to stop on stdin closing).
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(depth);
  void link.close().then(() => process.exit(0));
});
