/**
 * `kaoreader sim card --vpcd HOST:PORT`: a virtual My Number Card in a real PC/SC reader, by
 * connecting to pcscd's vsmartcard-vpcd driver as its virtual card. Runs until interrupted.
 */
import { FileStore } from '../../../firmware/platform/file-store.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { loadCardSim } from '../../compose.ts';

export const cardCommand: Command = {
  name: 'card',
  summary: 'a virtual My Number Card in pcscd through vsmartcard-vpcd',
  usage: `kaoreader sim card [--vpcd HOST:PORT] [--patient NAME] [--photo FILE] [--fast-path] [--state DIR]

  --vpcd HOST:PORT  vpcd's socket (default 127.0.0.1:35963, /etc/reader.conf.d/vpcd)
  --patient NAME    card id: names its keys (var/sim-card/cards/NAME) and retry counters
  --photo FILE      face image for the chip photo (cropped to 4:5, greyscale, JPEG 2000);
                    default: a face from the face-api sample photo
  --fast-path       (root) route 127.0.0.2 with quickack and connect there: ~0.2 ms per APDU
                    instead of ~50 ms (vpcd's Nagle + our delayed ACK)
  --state DIR       where PIN / 照合番号B counters persist (default var/sim-card/counters)

The test PKI (JPKI CA, card-face issuer) is generated on first use under var/sim-card/pki.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      vpcd: { type: 'string' },
      patient: { type: 'string' },
      photo: { type: 'string' },
      'fast-path': { type: 'boolean' },
      state: { type: 'string' },
    });
    const m = /^([^:]+):(\d{1,5})$/.exec(values.vpcd ?? '127.0.0.1:35963');
    if (!m?.[1] || !m[2]) throw new UsageError('--vpcd must be HOST:PORT');
    const sim = await loadCardSim();
    let host = m[1];
    if (values['fast-path']) {
      await sim.ensureQuickAckRoute();
      host = sim.FAST_PATH_HOST;
    }
    const pki = await sim.loadTestPki();
    const profile = await sim.defaultPatient(values.patient ?? 'test-patient', values.photo ? { path: values.photo } : sim.SAMPLE_FACE);
    const card = await sim.issueVirtualCard(profile, { pki, counters: new FileStore(values.state ?? 'var/sim-card/counters') });
    const bridge = new sim.VpcdBridge({ host, port: Number(m[2]), log: ctx.log.child('vpcd') });
    bridge.attach(card);
    const numberB = Buffer.from(sim.numberBOf(profile)).toString('latin1');
    // Simulator test data, printed for QA (a real card's secrets are never printed).
    ctx.stdout.write(
      `virtual My Number Card "${profile.id}" → vpcd ${host}:${m[2]} (PIN ${profile.pin}, 照合番号B ${numberB}). Ctrl-C to remove it.\n`,
    );
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    bridge.close();
    return 0;
  },
};
