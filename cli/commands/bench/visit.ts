/** `kaoreader bench visit`: the patient's visit end to end on the simulator, with a soak. */
import { MemorySink, createLogger } from '../../../firmware/core/logger.ts';
import { UsageError, parse } from '../../args.ts';
import type { Command } from '../../command.ts';
import { datasetPatients } from '../../simulator/dataset-patients.ts';
import { runVisitBench } from '../../bench/visit-bench.ts';

export const visit: Command = {
  name: 'visit',
  summary:
    'visit on the product wiring (pcscd + vpcd, durable facility): card in → method drawn, face → decision, result → facility ack; soak',
  usage: `kaoreader bench visit [--visits 30] [--card pcscd|in-process] [--dataset DIR] [--json] [--samples]

Runs the reader daemon as the product is wired (the card through the PC/SC driver, a private
pcscd and vpcd on the quick-ACK loopback route; the durable facility, results fsync'd before the
ack), on a simulated live camera at 30 fps, real face models and rendered screens, with a
scripted patient who acts on what the panel shows after a human delay, doing face visits one
after another (root: pcscd in its own mount namespace). --card in-process: the old in-process
reader, for comparison. Prints JSON: wiring, failed (visits without a decision or without their
result stored at the facility: the exit code is 1 when any), p50/p95/max of card in → method
screen drawn (its frame written to the display; cardInPhasesMs splits it where the reader's card
reader reports the card: pcscd polls the vpcd reader every 400 ms, a simulator cost, then the
reader's own work), face chosen → decision, result handed to the
link → facility ack, the whole visit; RSS, heap,
open fds, threads and the broker's RSS after every visit. Soak verdict: soak.rssSlopeMbPer100
(least-squares RSS slope over the second half) ≤ 5 MB / 100 visits = soak.flat. --visits 1000 is
the full soak (about 30 min on a 2-core machine); run it on the daemon's malloc:
LD_PRELOAD=libjemalloc.so.2 MALLOC_ARENA_MAX=2 MALLOC_CONF=narenas:2 (soak.allocator says which one ran).
--samples includes every per-visit sample in the JSON. --dataset DIR takes the patients from a
labelled face set (identities.json): each person with two photos gets a reader whose card carries
one photograph while the camera shows the other; visits go round them, one reader per person in
turn. genuineScores is the
aggregate of the genuine similarity scores (never per patient).`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      visits: { type: 'string' },
      card: { type: 'string' },
      dataset: { type: 'string' },
      json: { type: 'boolean' },
      samples: { type: 'boolean' },
    });
    const card = values.card ?? 'pcscd';
    if (card !== 'pcscd' && card !== 'in-process') throw new UsageError('--card must be pcscd or in-process');
    const visits = values.visits === undefined ? 30 : Number(values.visits);
    if (!Number.isInteger(visits) || visits < 1 || visits > 100_000) throw new UsageError('--visits must be an integer from 1 to 100000');
    const sink = new MemorySink(1_000);
    const patients = values.dataset ? await datasetPatients(values.dataset) : undefined;
    const report = await runVisitBench({
      visits,
      card,
      log: createLogger({ sink, level: 'warn' }),
      auditSink: { write: () => undefined },
      ...(patients ? { patients, source: `dataset ${values.dataset} (${patients.length} people with two photos)` } : {}),
      onProgress: (n) => {
        if (!values.json && n % 10 === 0) ctx.stderr.write(`${n}/${visits} visits\n`);
      },
    });
    for (const p of patients ?? []) {
      p.faceImage.data.fill(0);
      p.chipImage?.data.fill(0);
    }
    const out = values.samples ? report : { ...report, soak: { ...report.soak, samples: undefined } };
    ctx.stdout.write(`${JSON.stringify(out, null, values.json ? 0 : 2)}\n`);
    return report.failed > 0 ? 1 : 0;
  },
};
