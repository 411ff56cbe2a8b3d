/**
 * `kaoreader bench face [--frames N] [--json]`: speed of the face hot path on this machine.
 * Camera-like 640×480 frames are cut from face-api's bundled demo photos. Our pipeline runs in
 * the face worker (as in the visit): per-stage p50/p95, frames/s, ONNX time vs whole pipeline,
 * worker round trip, RSS. In the same run @vladmandic/face-api on tfjs-backend-wasm does the
 * same detect + landmarks + describe on the same frames. Finally a FaceVerifier decides on a
 * paced 30 fps blinking sequence (decision time from the first face, main-loop stalls).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parse } from '../../args.ts';
import type { Command } from '../../command.ts';
import { faceApiModelDir } from '../../../firmware/face/models/build-models.ts';
import { defaultModelSet } from '../../../firmware/face/pipeline/model-set.ts';
import { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import { createFaceVerifier } from '../../../firmware/face/verifier.ts';
import { FaceWorkerClient } from '../../../firmware/face/worker/face-worker-client.ts';
import { silentLogger } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { ArrayFrameSource } from '../../../hardware-sim/face/array-frame-source.ts';
import { cameraFrame, chipPhoto, decodeRgb } from '../../../hardware-sim/face/face-material.ts';
import { blinkSequence, eyesFromLandmarks, type Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import { loadFaceApiReference } from './face-api-reference.ts';

export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
}
const r2 = (v: number): number => Math.round(v * 100) / 100;
const summary = (v: readonly number[]) => ({ p50: r2(percentile(v, 0.5)), p95: r2(percentile(v, 0.95)) });

async function demoFrames(): Promise<Rgb[]> {
  const base = defaultModelSet('var/models');
  const finder = await FacePipeline.create({ ...base, detector: { ...base.detector, inputSize: 608 } });
  const frames: Rgb[] = [];
  for (let n = 1; n <= 6; n++) {
    const image = await decodeRgb(`${faceApiModelDir()}/../demo/sample${n}.jpg`);
    const a = await finder.analyse({ ...image, channels: 3 }, { embed: false });
    for (const face of a.faces.slice(0, 2)) frames.push(await cameraFrame(image, face));
  }
  await finder.close();
  return frames;
}

export const faceBench: Command = {
  name: 'face',
  summary: 'face pipeline speed (worker, per stage) side by side with face-api on tfjs-wasm',
  usage: `kaoreader bench face [--frames N] [--reference-frames N] [--threads N] [--json]

Runs N frames (default 200) through the face worker, then face-api/tfjs-wasm on the same frames
(default 24), then one paced 30 fps verification with liveness. Prints JSON.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { frames: { type: 'string' }, 'reference-frames': { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } });
    const count = Number(values.frames ?? '200');
    const refCount = Number(values['reference-frames'] ?? '24');
    const threads = Number(values.threads ?? '2');
    const models = defaultModelSet('var/models', { threads });
    const frames = await demoFrames();
    const rssBefore = process.memoryUsage().rss;

    const worker = await FaceWorkerClient.start(models, systemClock);
    const stages: Record<string, number[]> = { detect: [], landmarks: [], align: [], embed: [], model: [], pipeline: [], roundTrip: [] };
    for (let i = 0; i < 10; i++) await worker.analyse(toFrame(frames[i % frames.length]!, i), { embed: true, budgetMs: 5000 });
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const a = await worker.analyse(toFrame(frames[i % frames.length]!, i), { embed: true, budgetMs: 5000 });
      stages.roundTrip!.push(performance.now() - t0);
      stages.detect!.push(a.timings.detect);
      stages.landmarks!.push(a.timings.landmarks);
      stages.align!.push(a.timings.align);
      stages.embed!.push(a.timings.embed);
      stages.model!.push(a.timings.model);
      stages.pipeline!.push(a.timings.total);
    }
    const fps = count / ((performance.now() - started) / 1000);
    const stats = await worker.stats();
    await worker.close();

    const ref = await loadFaceApiReference(faceApiModelDir());
    const options = new ref.faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.35 });
    const refTimes: number[] = [];
    for (let i = 0; i < refCount + 3; i++) {
      const f = frames[i % frames.length]!;
      const t = ref.image(f.data, f.width, f.height);
      const t0 = performance.now();
      await ref.faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();
      if (i >= 3) refTimes.push(performance.now() - t0);
      t.dispose();
    }

    const decision = await paced(models);
    const ours = percentile(stages.pipeline!, 0.5);
    const result = {
      machine: { cpus: (await import('node:os')).cpus().length, arch: process.arch, node: process.version },
      frames: count,
      threads,
      detectorInput: models.detector.inputSize,
      stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, summary(v)])),
      fps: r2(fps),
      pipelineOverModel: r2(ours / percentile(stages.model!, 0.5)),
      rssMb: { before: r2(rssBefore / 2 ** 20), withWorker: r2(stats.rss / 2 ** 20), workerHeap: r2(stats.heapUsed / 2 ** 20) },
      faceApiTfjsWasm: { frames: refCount, ...summary(refTimes) },
      speedup: r2(percentile(refTimes, 0.5) / ours),
      decision,
    };
    ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
    return 0;
  },
};

function toFrame(f: Rgb, sequence: number) {
  return { width: f.width, height: f.height, format: 'rgb24' as const, data: f.data.slice(), capturedAt: performance.now(), sequence };
}

/**
 * One verification at 30 fps on a blinking face enrolled from its own chip photo: the face of
 * sample6 that the liveness test uses (the drawn-in blink is not detected on every demo face).
 */
async function paced(models: ReturnType<typeof defaultModelSet>) {
  const base = defaultModelSet('var/models');
  const finder = await FacePipeline.create({ ...base, detector: { ...base.detector, inputSize: 608 } });
  const image = await decodeRgb(`${faceApiModelDir()}/../demo/sample6.jpg`);
  const found = await finder.analyse({ ...image, channels: 3 }, { embed: false });
  await finder.close();
  const face = [...found.faces].sort((x, y) => y.width - x.width)[0];
  if (!face) return { error: 'no face in sample6' };
  const still = await cameraFrame(image, face);
  const p = await FacePipeline.create(models);
  const a = await p.analyse({ ...still, channels: 3 }, { embed: false });
  await p.close();
  if (!a.primary) return { error: 'no face in the paced sequence' };
  const verifier = await createFaceVerifier({ models, clock: systemClock, log: silentLogger });
  const chip = await chipPhoto(still, a.primary.box);
  const enrol = await verifier.enrol(chip);
  const source = new ArrayFrameSource(blinkSequence(still, eyesFromLandmarks(a.primary.landmarks), 90, 8), { clock: systemClock, fps: 30 });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const d = await verifier.verify(source);
  loop.disable();
  await verifier.close();
  return {
    outcome: d.outcome, reason: d.reason, score: r2(d.score), elapsedMs: d.elapsedMs === undefined ? null : Math.round(d.elapsedMs), frames: d.frames,
    droppedBySource: source.status().dropped, enrolMs: r2(enrol.totalMs), jp2DecodeMs: r2(enrol.decodeMs),
    mainLoopDelayMs: { p99: r2(loop.percentile(99) / 1e6), max: r2(loop.max / 1e6) },
  };
}
