/**
 * `kaoreader bench face [--threads 1] [--frames N] [--rounds R] [--json]`: speed of the face hot
 * path. Material: twelve short streams of faces at the reader (face-streams.ts). Our pipeline runs
 * in the face worker, as in the visit, following each stream's face from frame to frame (landmarks,
 * align, embed on every frame; the detector on a crop around the face on the frames it confirms it,
 * CONFIRM_EVERY, and on the whole frame every FULL_EVERY); the headline is the main thread's round
 * trip per frame. In the same run @vladmandic/face-api on tfjs-backend-wasm does detect (whole
 * frame) + landmarks + descriptor on every one of the same frames, the two sides taking turns
 * stream by stream (side-by-side.ts); both on `--threads` threads (face-api's wasm build in Node has
 * one; `speedupSingleThread` is only given when ours has one too). Also: per-stage times, the
 * pipeline over its model time (sums over all measured frames), CPU time per frame on each side
 * and each stream's speed-up (which side moved), the worker's RSS, the models' multiply-accumulates per frame with
 * an estimate for Raspberry Pi cores (pi-estimate.ts), and one paced 30 fps verification of a
 * live patient answering the liveness challenge on real time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { defaultModelMacs } from '../../../tools/models/model-macs.ts';
import { type ModelSet } from '../../../firmware/face/pipeline/model-set.ts';
import { defaultModelSet } from '../../face-models.ts';
import { CONFIRM_EVERY, FULL_EVERY, TRACK_INPUT } from '../../../firmware/face/pipeline/pipeline.ts';
import { followShares } from '../../../firmware/face/pipeline/tracking.ts';
import { asChallengeCue } from '../../../firmware/face/liveness/challenge.ts';
import { createFaceVerifier } from '../../../firmware/face/verifier.ts';
import { silentLogger } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { liveFaceCamera } from '../../../hardware-sim/camera/sim-cameras.ts';
import { loadPatient } from '../../../hardware-sim/patients/load-patient.ts';
import { PromptReaction, type Prompt } from '../../../hardware-sim/patients/prompt-reaction.ts';
import { cameraSubject } from '../../simulator/camera-subject.ts';
import { chipPhotoOf } from '../../simulator/sim-card.ts';
import { faceStreams } from './face-streams.ts';
import { piEstimate } from './pi-estimate.ts';
import { median, overModel, sideBySide } from './side-by-side.ts';
import { FACE_WORKER_ENTRY } from '../../face-worker/entry.ts';

export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
}
const r2 = (v: number): number => Math.round(v * 100) / 100;
const summary = (v: readonly number[]) => ({ p50: r2(percentile(v, 0.5)), p95: r2(percentile(v, 0.95)) });
const spread = (v: readonly number[]) => ({ min: r2(Math.min(...v)), p50: r2(percentile(v, 0.5)), max: r2(Math.max(...v)) });

/**
 * One verification on real time at 30 fps: a simulated patient live in front of the camera,
 * enrolled from their card's photo, reading the screen and doing what the challenge asks.
 */
async function paced(models: ModelSet) {
  const p = await loadPatient('suzuki-aiko');
  const subject = await cameraSubject(p);
  const verifier = await createFaceVerifier({ models, worker: FACE_WORKER_ENTRY, clock: systemClock, log: silentLogger });
  try {
    const enrolled = await verifier.enrol((await chipPhotoOf(p)).slice());
    const camera = liveFaceCamera(subject, { clock: systemClock, seed: 3 });
    let shown: Prompt | undefined;
    const actions: number[] = [];
    const patient = new PromptReaction({
      clock: systemClock,
      seed: 3,
      look: () => shown,
      body: {
        blink: (d, inSec = 0) => {
          actions.push(performance.now() + inSec * 1000);
          camera.blink(d, inSec);
        },
        turnHead: (deg, d) => {
          actions.push(performance.now());
          camera.turnHead(deg, d);
        },
      },
    });
    patient.start();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const d = await verifier.verify(camera, {
      onGuidance: (e) => {
        shown = asChallengeCue(e.kind);
        return undefined; // no screen reports drawing: the window counts from the cue (GuidanceSink)
      },
    });
    const decidedAt = performance.now();
    loop.disable();
    patient.stop();
    await camera.close();
    return {
      outcome: d.outcome,
      reason: d.reason,
      elapsedMs: d.elapsedMs === undefined ? null : Math.round(d.elapsedMs),
      frames: d.frames,
      scoredFrames: d.scoredFrames,
      droppedByCamera: camera.status().dropped,
      enrolMs: r2(enrolled.totalMs),
      jp2DecodeMs: r2(enrolled.decodeMs),
      // The machine's share: from the patient's last action (a 0.3 s blink or a turn) to the decision.
      lastActionToDecisionMs: actions.length ? Math.round(decidedAt - actions.at(-1)!) : null,
      mainLoopDelayMs: { p99: r2(loop.percentile(99) / 1e6), max: r2(loop.max / 1e6) },
    };
  } finally {
    await verifier.close();
    p.faceImage.data.fill(0);
    subject.faceImage.data.fill(0);
  }
}

export const faceBench: Command = {
  name: 'face',
  summary: 'face pipeline speed (worker round trip, per stage) beside face-api on tfjs-wasm, same frames, same threads',
  usage: `kaoreader bench face [--threads 1] [--frames 16] [--rounds 2] [--json]

Twelve streams of --frames frames (faces at the reader, moving, blinking) through the face worker
--rounds times, then face-api/tfjs-wasm on the same frames, then one paced 30 fps verification of
a live patient answering the challenge. Prints JSON.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      frames: { type: 'string' },
      rounds: { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
    });
    const perStream = Number(values.frames ?? '16');
    const rounds = Number(values.rounds ?? '2');
    const threads = Number(values.threads ?? '1');
    if (!Number.isInteger(perStream) || perStream < 2 || perStream > 300) throw new UsageError('--frames must be an integer from 2 to 300');
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new UsageError('--rounds must be an integer from 1 to 100');
    if (!Number.isInteger(threads) || threads < 1 || threads > 8) throw new UsageError('--threads must be an integer from 1 to 8');
    const models = defaultModelSet('var/models', { threads });
    const streams = await faceStreams(perStream);
    const rssBefore = process.memoryUsage().rss;
    const { ours: o, faceApi: ref, byStream } = await sideBySide(models, streams, rounds);
    for (const s of streams) for (const f of s) f.data.fill(0);
    const decision = await paced(models);

    const roundTrip = percentile(o.stages.roundTrip, 0.5);
    const model = percentile(o.stages.model, 0.5);
    const pipeline = percentile(o.stages.pipeline, 0.5);
    const faceApiP50 = percentile(ref.times, 0.5);
    // The median over the streams of each stream's sums: a frame's time counts as much as its length, and
    // a stream that load struck is outvoted.
    const pipelineOverModel = median(byStream.overModel);
    const cpuOurs = percentile(o.cpu, 0.5);
    const cpuFaceApi = percentile(ref.cpu, 0.5);
    const streamSpeedups = byStream.faceApi.map((f, i) => f / byStream.ours[i]!);
    const macs = defaultModelMacs([TRACK_INPUT, models.detector.inputSize]);
    // A followed face: the detector on its small crop on the frames it confirms the face, on the whole frame every FULL_EVERY.
    const shares = followShares(CONFIRM_EVERY, FULL_EVERY);
    const macsPerFrame =
      macs.detector[TRACK_INPUT]! * shares.confirm +
      macs.detector[models.detector.inputSize]! * shares.full +
      macs.landmarks +
      macs.recognizer;
    const result = {
      machine: { cpus: cpus().length, model: cpus()[0]?.model, arch: process.arch, node: process.version },
      threads,
      frames: {
        streams: streams.length,
        perStream,
        rounds,
        measured: o.stages.roundTrip.length,
        embedded: o.embedded,
        order: 'stream by stream, taking turns with face-api (the first side alternating), after an unmeasured warm-up',
      },
      roundTrip: summary(o.stages.roundTrip),
      stagesMs: Object.fromEntries(Object.entries(o.stages).map(([k, v]) => [k, summary(v)])),
      pipelineOverModel: r2(pipelineOverModel),
      pipelineOverModelAllFrames: r2(overModel(o.stages.pipeline, o.stages.model)),
      pipelineOverModelP50s: r2(pipeline / model),
      roundTripOverModel: r2(roundTrip / model),
      faceApiTfjsWasm: { threads: ref.threads, frames: ref.times.length, ...summary(ref.times) },
      speedupSingleThread: threads === 1 && ref.threads === 1 ? r2(faceApiP50 / roundTrip) : null,
      speedup: r2(faceApiP50 / roundTrip),
      // Process CPU time per frame (all threads): what the machine's other load does not inflate.
      cpuMsPerFrame: { ours: summary(o.cpu), faceApi: summary(ref.cpu) },
      speedupCpu: r2(cpuFaceApi / cpuOurs),
      // Each stream's p50 on each side and their ratio: which side moved, and how much.
      byStream: {
        oursP50: spread(byStream.ours),
        faceApiP50: spread(byStream.faceApi),
        speedup: spread(streamSpeedups),
        pipelineOverModel: spread(byStream.overModel),
      },
      macs: {
        perModelM: {
          detectorTracked: r2(macs.detector[TRACK_INPUT]! / 1e6),
          detectorWholeFrame: r2(macs.detector[models.detector.inputSize]! / 1e6),
          landmarks: r2(macs.landmarks / 1e6),
          recognizer: r2(macs.recognizer / 1e6),
        },
        detectorShares: { crop: r2(shares.confirm), wholeFrame: r2(shares.full) },
        perFrameM: r2(macsPerFrame / 1e6),
        measuredGmacPerSecond: r2(macsPerFrame / (model / 1000) / 1e9),
      },
      piEstimate: piEstimate(macsPerFrame, r2(pipelineOverModel)),
      rssMb: {
        before: r2(rssBefore / 2 ** 20),
        withWorker: r2(o.worker.rss / 2 ** 20),
        workerPart: r2((o.worker.rss - rssBefore) / 2 ** 20),
        workerHeap: r2(o.worker.heapUsed / 2 ** 20),
        // At the end: face-api (tfjs-wasm) shares this process by then; the worker's own JS heap is apart.
        processAtEnd: r2(o.workerAtEnd.rss / 2 ** 20),
        workerHeapAtEnd: r2(o.workerAtEnd.heapUsed / 2 ** 20),
      },
      decision,
    };
    ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
    return 0;
  },
};
