/** `kaoreader sim facility`: the facility simulator, optionally with its own mosquitto. */
import { join } from 'node:path';
import { caFiles, facilityCommandKey, facilityTls } from '../../../firmware/facility/pairing/facility-ca.ts';
import { startMosquitto, type RunningMosquitto } from '../../../hardware-sim/facility/mosquitto.ts';
import { startFacilitySimulator } from '../../../hardware-sim/facility/simulator.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

export const facility: Command = {
  name: 'facility',
  summary: 'facility simulator: stores results, answers qualification, sends commands',
  usage: `kaoreader sim facility [--broker URL | --start-broker] [--ca DIR] [--facility-id ID]
                            [--data DIR] [--xml DIR --institution CODE] [--mqtt 4|5]

Serves every reader on the broker: stores results (deduped, fsync'd before the ack), answers
qualify/register with insured data and the consent given here before, tracks reader status.
  --broker URL        broker to use (mqtts:// with --ca for the facility's TLS broker)
  --start-broker      start a mosquitto on a free loopback port (TLS when --ca is given)
  --ca DIR            facility CA directory ("kaoreader facility init-ca"): TLS as CN=facility,
                      commands signed with its facility command key
  --data DIR          keep results in DIR/results.jsonl (default: var/facility-sim)
  --xml DIR           also write each result as an XML file (needs --institution, 10 digits)
Prints one JSON line with the broker URL when ready, and a JSON summary on exit.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      broker: { type: 'string' }, 'start-broker': { type: 'boolean' }, ca: { type: 'string' }, 'facility-id': { type: 'string' },
      data: { type: 'string' }, xml: { type: 'string' }, institution: { type: 'string' }, mqtt: { type: 'string' },
    });
    if (!values.broker && !values['start-broker']) throw new UsageError('give --broker URL or --start-broker');
    if (values.xml && !values.institution) throw new UsageError('--xml needs --institution (the 10-digit medical institution code)');
    let broker: RunningMosquitto | undefined;
    if (values['start-broker']) {
      const f = values.ca ? caFiles(values.ca) : undefined;
      broker = await startMosquitto({ dir: join(values.data ?? 'var/facility-sim', 'broker'), ...(f ? { tls: { caFile: f.caFile, certFile: f.certFile, keyFile: f.keyFile, crlFile: f.crlFile } } : {}) });
    }
    const url = values.broker ?? broker?.url ?? '';
    const sim = await startFacilitySimulator({
      brokerUrl: url, facilityId: values['facility-id'] ?? 'facility', log: ctx.log.child('facility-sim'),
      dataDir: values.data ?? 'var/facility-sim', protocolVersion: values.mqtt === '4' ? 4 : 5,
      ...(values.ca ? { tls: await facilityTls(values.ca), commandKey: await facilityCommandKey(values.ca) } : {}),
      ...(values.xml && values.institution ? { xml: { dir: values.xml, institutionCode: values.institution } } : {}),
    });
    ctx.stdout.write(`${JSON.stringify({ ready: true, brokerUrl: url })}\n`);
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise<void>((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true })));
    clearInterval(keepAlive);
    const readers = Object.fromEntries([...sim.db.counters].map(([id, c]) => [id, { received: c.received, duplicates: c.duplicates, outOfOrder: c.outOfOrder, state: sim.readers.get(id)?.status?.state }]));
    await sim.close();
    await broker?.stop();
    ctx.stdout.write(`${JSON.stringify({ results: sim.db.results.size, readers, invalid: sim.invalid })}\n`);
    return 0;
  },
};
