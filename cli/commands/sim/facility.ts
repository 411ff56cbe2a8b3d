/**
 * `kaoreader sim facility`: the facility service with the simulated qualification provider and
 * the test PKI's trust material (hardware-sim/facility/simulator.ts), optionally with its own
 * mosquitto.
 */
import { join } from 'node:path';
import { caFiles } from '../../../firmware/facility/pairing/facility-ca.ts';
import { startMosquitto, type RunningMosquitto } from '../../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator } from '../../../hardware-sim/facility/simulator.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

export const facility: Command = {
  name: 'facility',
  summary: 'the facility service with a simulated qualification provider',
  usage: `kaoreader sim facility [--broker URL | --start-broker] [--ca DIR] [--facility-id ID]
                            [--data DIR] [--xml DIR --institution CODE] [--mqtt 4|5]
                            [--metrics-port N] [--revoke SERIAL…]

The production facility service (kaoreader facility serve) with the simulated qualification
provider, trusting the simulator's test JPKI CA: verifies every proof, stores results in
SQLite (DIR/facility.db), answers qualify/prove/register, tracks reader status.
  --broker URL        broker to use (mqtts:// with --ca for the facility's TLS broker)
  --start-broker      start a mosquitto on a free loopback port (TLS when --ca is given)
  --ca DIR            facility CA directory ("kaoreader facility init-ca"): TLS as CN=facility,
                      commands signed with its facility command key
  --data DIR          database, CA and CRL files (default: var/facility-sim)
  --xml DIR           also write each accepted result as an XML file (needs --institution, 10 digits)
  --metrics-port N    serve /metrics on 127.0.0.1:N (0: any free port)
  --revoke SERIAL     put a card's certificate serial on the simulated CRL
Prints one JSON line with the broker URL when ready, and a JSON summary on exit.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      broker: { type: 'string' },
      'start-broker': { type: 'boolean' },
      ca: { type: 'string' },
      'facility-id': { type: 'string' },
      data: { type: 'string' },
      xml: { type: 'string' },
      institution: { type: 'string' },
      mqtt: { type: 'string' },
      'metrics-port': { type: 'string' },
      revoke: { type: 'string', multiple: true },
    });
    if (!values.broker && !values['start-broker']) throw new UsageError('give --broker URL or --start-broker');
    if (values.xml && !values.institution) throw new UsageError('--xml needs --institution (the 10-digit medical institution code)');
    const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
    if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535))
      throw new UsageError('--metrics-port must be a port number');
    const data = values.data ?? 'var/facility-sim';
    let broker: RunningMosquitto | undefined;
    if (values['start-broker']) {
      const f = values.ca ? caFiles(values.ca) : undefined;
      broker = await startMosquitto({
        dir: join(data, 'broker'),
        ...(f ? { tls: { caFile: f.caFile, certFile: f.certFile, keyFile: f.keyFile, crlFile: f.crlFile } } : {}),
      });
    }
    const url = values.broker ?? broker?.url ?? '';
    const facilityId = values['facility-id'] ?? 'facility';
    const sim = await startFacilitySimulator({
      brokerUrl: url,
      facilityId,
      log: ctx.log.child('facility-sim'),
      dataDir: data,
      protocolVersion: values.mqtt === '4' ? 4 : 5,
      ...(values.ca ? { caDir: values.ca } : {}),
      ...(metricsPort !== undefined ? { metricsPort } : {}),
      ...(values.revoke ? { revoked: values.revoke } : {}),
      ...(values.xml && values.institution ? { xml: { dir: values.xml, institutionCode: values.institution } } : {}),
    });
    ctx.stdout.write(
      `${JSON.stringify({ ready: true, brokerUrl: url, ...(sim.metrics ? { metrics: `http://127.0.0.1:${sim.metrics.port}/metrics` } : {}) })}\n`,
    );
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise<void>((resolve) =>
      ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    clearInterval(keepAlive);
    const readers = Object.fromEntries(
      [...sim.readers].map(([id, v]) => [
        id,
        { stored: v.stored, duplicates: v.duplicates, refused: v.refused, outOfOrder: v.outOfOrder, state: v.status?.state },
      ]),
    );
    const results = await sim.stored();
    await sim.close();
    await broker?.stop();
    ctx.stdout.write(`${JSON.stringify({ results, readers, invalid: sim.invalid })}\n`);
    return 0;
  },
};
