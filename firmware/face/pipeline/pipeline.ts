/**
 * The per-frame face pipeline (runs inside the face worker): letterbox → detector → NMS →
 * square crop → 68 landmarks → 5-point similarity alignment → recognizer → L2-normalised
 * embedding, plus the image statistics guidance and passive liveness need. Every stage is
 * timed; `deadline` (a performance.now() instant) is checked between stages.
 */
import { readModelManifest, readVerifiedModel } from '../models/model-manifest.ts';
import { createSession, loadOnnxRuntime, type InferenceSession, type OrtModule } from '../../platform/onnx-runtime.ts';
import { TimeoutError } from '../../core/errors.ts';
import { decodeYoloGrid, nonMaxSuppression, type Box } from './detector-decode.ts';
import { fitSimilarity, fivePoints, headPose, inverseSimilarity, meanEar, type Point } from './geometry.ts';
import { scaleTranslate, warpToFloat, type Raster } from './image.ts';
import { modelPath, type ModelSet } from './model-set.ts';
import { measureFace, type FaceStats } from './face-stats.ts';

export interface StageTimings {
  decode?: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  /** Time inside onnxruntime only. */
  model: number;
  total: number;
}

export interface FaceObservation {
  readonly box: Box;
  /** 68 points in frame pixels. */
  readonly landmarks: Point[];
  readonly pose: { yaw: number; pitch: number; roll: number };
  readonly ear: number;
  readonly stats: FaceStats;
}

export interface FrameAnalysis {
  readonly width: number;
  readonly height: number;
  /** Every face found, best first. */
  readonly faces: Box[];
  /** The subject (largest face, weighted towards the centre), measured. */
  readonly primary?: FaceObservation;
  /** L2-normalised; only when asked for and a face was found. */
  readonly embedding?: Float32Array;
  readonly timings: StageTimings;
}

interface Sessions { detector: InferenceSession; landmarks: InferenceSession; recognizer: InferenceSession }

export class FacePipeline {
  readonly #ort: OrtModule;
  readonly #sessions: Sessions;
  readonly #set: ModelSet;
  readonly #detIn: Float32Array;
  readonly #lmIn: Float32Array;
  readonly #recIn: Float32Array;

  private constructor(ort: OrtModule, set: ModelSet, sessions: Sessions) {
    this.#ort = ort;
    this.#set = set;
    this.#sessions = sessions;
    this.#detIn = new Float32Array(set.detector.inputSize ** 2 * 3);
    this.#lmIn = new Float32Array(set.landmarks.inputSize ** 2 * 3);
    this.#recIn = new Float32Array(set.recognizer.inputSize ** 2 * 3);
  }

  /** Loads the three models after checking each against the set's manifest.json. */
  static async create(set: ModelSet): Promise<FacePipeline> {
    const ort = await loadOnnxRuntime();
    const manifest = readModelManifest(modelPath(set, 'manifest.json'));
    const load = (file: string): Promise<InferenceSession> => createSession(readVerifiedModel(modelPath(set, file), manifest), set.threads);
    const [detector, landmarks, recognizer] = await Promise.all([load(set.detector.file), load(set.landmarks.file), load(set.recognizer.file)]);
    return new FacePipeline(ort, set, { detector, landmarks, recognizer });
  }

  async #run(session: InferenceSession, input: Float32Array, size: number, t: { model: number }): Promise<Float32Array> {
    const started = performance.now();
    const feeds = { [session.inputNames[0]!]: new this.#ort.Tensor('float32', input, [1, size, size, 3]) };
    const out = await session.run(feeds);
    t.model += performance.now() - started;
    return out[session.outputNames[0]!]!.data as Float32Array;
  }

  async analyse(frame: Raster, opts: { embed: boolean; deadline?: number }): Promise<FrameAnalysis> {
    const t0 = performance.now();
    const timings: StageTimings = { detect: 0, landmarks: 0, align: 0, embed: 0, model: 0, total: 0 };
    const check = (stage: string): void => {
      if (opts.deadline !== undefined && performance.now() > opts.deadline) throw new TimeoutError(`face ${stage}`, Math.round(performance.now() - t0));
    };
    // Detection on the frame letterboxed into the top-left of the square input.
    const d = this.#set.detector;
    const scale = d.inputSize / Math.max(frame.width, frame.height);
    warpToFloat(frame, scaleTranslate(scale), d.inputSize, d.inputSize, this.#detIn);
    const grid = await this.#run(this.#sessions.detector, this.#detIn, d.inputSize, timings);
    const faces = nonMaxSuppression(decodeYoloGrid(grid, d.inputSize / 32, d.inputSize, d.anchors, d.minScore), d.maxIou)
      .map((b) => ({ x: b.x / scale, y: b.y / scale, width: b.width / scale, height: b.height / scale, score: b.score }))
      .filter((b) => b.width >= 16 && b.x + b.width > 0 && b.y + b.height > 0 && b.x < frame.width && b.y < frame.height);
    timings.detect = performance.now() - t0;
    // The subject: big and near the centre (a neighbour cut by the frame edge is not).
    const weight = (b: Box): number => (b.width * b.height) / (1 + 4 * (((b.x + b.width / 2) / frame.width - 0.5) ** 2 + ((b.y + b.height / 2) / frame.height - 0.5) ** 2));
    const biggest = faces.reduce<Box | undefined>((m, b) => (!m || weight(b) > weight(m) ? b : m), undefined);
    if (!biggest) return this.#done({ width: frame.width, height: frame.height, faces, timings }, t0);
    check('landmarks');

    const t1 = performance.now();
    const landmarks = await this.#landmarks(frame, biggest, timings);
    timings.landmarks = performance.now() - t1;

    const t2 = performance.now();
    const r = this.#set.recognizer;
    const align = fitSimilarity(fivePoints(landmarks), r.template);
    warpToFloat(frame, inverseSimilarity(align), r.inputSize, r.inputSize, this.#recIn);
    const stats = measureFace(frame, biggest, this.#recIn, r.inputSize, r.template);
    timings.align = performance.now() - t2;
    const primary: FaceObservation = { box: biggest, landmarks, pose: headPose(landmarks), ear: meanEar(landmarks), stats };
    if (!opts.embed) return this.#done({ width: frame.width, height: frame.height, faces, primary, timings }, t0);
    check('embedding');

    const t3 = performance.now();
    const raw = await this.#run(this.#sessions.recognizer, this.#recIn, r.inputSize, timings);
    const embedding = normalise(raw);
    timings.embed = performance.now() - t3;
    return this.#done({ width: frame.width, height: frame.height, faces, primary, embedding, timings }, t0);
  }

  async #landmarks(frame: Raster, box: Box, timings: { model: number }): Promise<Point[]> {
    const size = this.#set.landmarks.inputSize;
    const side = Math.max(box.width, box.height);
    const x0 = box.x + box.width / 2 - side / 2;
    const y0 = box.y + box.height / 2 - side / 2;
    const s = size / side;
    warpToFloat(frame, scaleTranslate(s, -x0 * s, -y0 * s), size, size, this.#lmIn);
    const out = await this.#run(this.#sessions.landmarks, this.#lmIn, size, timings);
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) points.push([x0 + out[i * 2]! * side, y0 + out[i * 2 + 1]! * side]);
    return points;
  }

  #done(a: FrameAnalysis, t0: number): FrameAnalysis {
    a.timings.total = performance.now() - t0;
    // Model inputs held face pixels: zero them between frames.
    this.#detIn.fill(0);
    this.#lmIn.fill(0);
    this.#recIn.fill(0);
    return a;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#sessions).map((s) => s.release()));
  }
}

export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return Float32Array.from(v, (x) => x / n);
}

/** Cosine similarity of two L2-normalised embeddings. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
