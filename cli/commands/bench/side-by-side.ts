/**
 * `bench face`'s comparison, made robust to a shared machine: our pipeline (in the face worker)
 * and face-api (tfjs-wasm, this thread) take turns stream by stream, the side that goes first
 * alternating, so that load coming and going over the run falls on both sides alike instead of on
 * whichever ran during it (ours ran ≈ 3 s, then face-api ≈ 20 s: one face-api p50 moved 36 %
 * between two runs of the same code, ours 0.4 %). Each side is warmed up first, unmeasured, on
 * the same frames. Besides wall time, each frame's process CPU time (getrusage: all threads, so
 * the worker and onnxruntime for ours) is recorded: it does not count time spent waiting for a
 * core, which is what other processes' load adds.
 */
import { faceApiModelDir } from '../../../tools/models/build-models.ts';
import type { ModelSet } from '../../../firmware/face/pipeline/model-set.ts';
import type { Point } from '../../../firmware/face/pipeline/geometry.ts';
import { FaceWorkerClient } from '../../../firmware/face/worker/face-worker-client.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import type { WorkerStats } from '../../../firmware/face/worker/protocol.ts';
import type { Rgb } from '../../../hardware-sim/face/synthetic-sequences.ts';
import { loadFaceApiReference, type FaceApiReference } from './face-api-reference.ts';
import { FACE_WORKER_ENTRY } from '../../face-worker/entry.ts';

/** Our stages per measured frame (ms), as the worker reports them, plus the main thread's round trip. */
export type OurStages = Record<'detect' | 'landmarks' | 'align' | 'embed' | 'model' | 'pipeline' | 'roundTrip', number[]>;

export interface SideBySide {
  /**
   * `worker`: the process's memory once the worker has followed a whole stream `rounds` times (after
   * its warm-up, which runs every input size), before face-api is loaded into this process;
   * `workerAtEnd`: the worker's own heap and the process's memory, face-api's included, at the end.
   */
  readonly ours: { stages: OurStages; cpu: number[]; frames: number; embedded: number; worker: WorkerStats; workerAtEnd: WorkerStats };
  readonly faceApi: { times: number[]; cpu: number[]; threads: number };
  /** Per stream, in stream order: each side's wall p50 (ms), and our pipeline's time over its model time (sums). */
  readonly byStream: { ours: number[]; faceApi: number[]; overModel: number[] };
}

/** Frames of face-api's warm-up (unmeasured): its first runs compile the wasm kernels. */
const FACE_API_WARM_UP = 3;

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const toFrame = (f: Rgb, sequence: number) => ({
  width: f.width,
  height: f.height,
  format: 'rgb24' as const,
  data: f.data.slice(),
  capturedAt: performance.now(),
  sequence,
});

/** The order of the two sides for stream `i`: ours first on even streams, face-api first on odd ones. */
export function turnOrder(i: number): readonly ['ours', 'faceApi'] | readonly ['faceApi', 'ours'] {
  return i % 2 === 0 ? (['ours', 'faceApi'] as const) : (['faceApi', 'ours'] as const);
}

export async function sideBySide(models: ModelSet, streams: readonly Rgb[][], rounds: number): Promise<SideBySide> {
  const worker = await FaceWorkerClient.start(models, systemClock, FACE_WORKER_ENTRY);
  const stages: OurStages = { detect: [], landmarks: [], align: [], embed: [], model: [], pipeline: [], roundTrip: [] };
  const ours = { cpu: [] as number[], frames: 0, embedded: 0 };
  const faceApi = { times: [] as number[], cpu: [] as number[] };
  const byStream = { ours: [] as number[], faceApi: [] as number[], overModel: [] as number[] };
  let sequence = 0;

  /** Our worker follows `stream` from its first frame, `rounds` times; returns the round trips and the pipeline's times measured. */
  const runOurs = async (stream: readonly Rgb[], measure: boolean): Promise<{ times: number[]; pipeline: number[]; model: number[] }> => {
    const times: number[] = [];
    const pipeline: number[] = [];
    const model: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let prior: readonly Point[] | undefined;
      for (const f of stream) {
        const frame = toFrame(f, sequence++);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const a = await worker.analyse(frame, { embed: true, budgetMs: 5000, follow: true, prior });
        const rt = performance.now() - t0;
        const cpu = cpuMs(c0);
        prior = a.primary?.landmarks;
        a.embedding?.fill(0);
        if (!measure) continue;
        ours.frames++;
        if (a.embedding) ours.embedded++;
        times.push(rt);
        pipeline.push(a.timings.total);
        model.push(a.timings.model);
        ours.cpu.push(cpu);
        stages.roundTrip.push(rt);
        stages.detect.push(a.timings.detect);
        stages.landmarks.push(a.timings.landmarks);
        stages.align.push(a.timings.align);
        stages.embed.push(a.timings.embed);
        stages.model.push(a.timings.model);
        stages.pipeline.push(a.timings.total);
      }
    }
    return { times, pipeline, model };
  };
  /** face-api's detect + landmarks + descriptor on every frame of `stream` (the first `skip` unmeasured). */
  const runFaceApi = async (r: FaceApiReference, options: unknown, stream: readonly Rgb[], skip: number): Promise<number[]> => {
    const times: number[] = [];
    for (const [n, f] of stream.entries()) {
      const t = r.image(f.data, f.width, f.height);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await r.faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();
      const wall = performance.now() - t0;
      const cpu = cpuMs(c0);
      t.dispose();
      if (n < skip) continue;
      times.push(wall);
      faceApi.times.push(wall);
      faceApi.cpu.push(cpu);
    }
    return times;
  };

  try {
    const first = streams[0] ?? [];
    await runOurs(first, false);
    const afterWarmUp = await worker.stats();
    const ref = await loadFaceApiReference(faceApiModelDir());
    const options = new ref.faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.35 });
    await runFaceApi(ref, options, first.slice(0, FACE_API_WARM_UP), FACE_API_WARM_UP);
    for (const [i, stream] of streams.entries()) {
      for (const side of turnOrder(i)) {
        if (side === 'ours') {
          const o = await runOurs(stream, true);
          byStream.ours.push(median(o.times));
          byStream.overModel.push(overModel(o.pipeline, o.model));
        } else byStream.faceApi.push(median(await runFaceApi(ref, options, stream, 0)));
      }
    }
    return {
      ours: { stages, ...ours, worker: afterWarmUp, workerAtEnd: await worker.stats() },
      faceApi: { ...faceApi, threads: ref.threads() },
      byStream,
    };
  } finally {
    await worker.close();
  }
}

/**
 * Total pipeline time over total model time: every frame weighs by its time, none by its rank (a
 * ratio of p50s divides two different frames' times where frames with and without the detector mix).
 */
export function overModel(pipeline: readonly number[], model: readonly number[]): number {
  let p = 0;
  let m = 0;
  for (const v of pipeline) p += v;
  for (const v of model) m += v;
  return p / m;
}
