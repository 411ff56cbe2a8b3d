/**
 * The per-frame face pipeline (runs inside the face worker): letterbox → detector → NMS →
 * square crop → 68 landmarks → 5-point similarity alignment → recognizer → L2-normalised
 * embedding, plus the image statistics guidance and passive liveness need. Every stage is
 * timed; `deadline` (a performance.now() instant) is checked between stages. In a stream
 * (`follow`), given the previous frame's landmarks (`prior`), it follows that face (tracking.ts):
 * landmark crop from them, and a second look in a crop around them when the full-frame
 * detection missed it.
 */
import { readModelManifest, readVerifiedModel } from '../models/model-manifest.ts';
import { createSession, loadOnnxRuntime, type InferenceSession, type OrtModule } from '../../platform/onnx-runtime.ts';
import { TimeoutError } from '../../core/errors.ts';
import { decodeYoloGrid, nonMaxSuppression, type Box } from './detector-decode.ts';
import { fitSimilarity, fivePoints, headPose, inverseSimilarity, meanEar, type Point } from './geometry.ts';
import { scaleTranslate, warpToFloat, type Raster } from './image.ts';
import { modelPath, type ModelSet } from './model-set.ts';
import { measureFace, type FaceStats } from './face-stats.ts';
import { boxSquare, followingBox, GUIDE_SIDE, landmarkSquare, SEARCH_CROPS, SEARCH_INPUT, SEARCH_MIN_SCORE, type Square } from './tracking.ts';

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
  readonly #searchIn = new Float32Array(SEARCH_INPUT ** 2 * 3);
  /** The search input holds pixels of this frame (wiped with the others, only when used). */
  #searched = false;

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

  /**
   * `follow`: this frame is part of a stream whose face is followed from frame to frame. Its
   * landmarks then always come from a landmark-derived crop (`prior`, the previous frame's
   * landmarks, or — for a face met without one — a second pass on the crop its first landmarks
   * give), so every frame's landmarks are measured the same way.
   */
  async analyse(frame: Raster, opts: { embed: boolean; deadline?: number; follow?: boolean; prior?: readonly Point[] | undefined }): Promise<FrameAnalysis> {
    const t0 = performance.now();
    const timings: StageTimings = { detect: 0, landmarks: 0, align: 0, embed: 0, model: 0, total: 0 };
    const check = (stage: string): void => {
      if (opts.deadline !== undefined && performance.now() > opts.deadline) throw new TimeoutError(`face ${stage}`, Math.round(performance.now() - t0));
    };
    const d = this.#set.detector;
    let faces = await this.#detect(frame, undefined, d.inputSize, d.minScore, timings);
    const prior = opts.follow && opts.prior?.length === 68 ? landmarkSquare(opts.prior) : undefined;
    let subject = prior ? followingBox(faces, prior) : undefined;
    if (prior && !subject) {
      for (const k of SEARCH_CROPS) {
        check('search');
        subject = followingBox(await this.#detect(frame, { ...prior, side: prior.side * k }, SEARCH_INPUT, SEARCH_MIN_SCORE, timings), prior);
        if (subject) { faces = [subject, ...faces]; break; }
      }
    }
    if (opts.follow && !prior && faces.length === 0) {
      // Nobody followed yet and nothing found: look again where a patient stands at the reader.
      check('search');
      faces = await this.#detect(frame, { cx: frame.width / 2, cy: frame.height / 2, side: GUIDE_SIDE * frame.height }, SEARCH_INPUT, d.minScore, timings);
    }
    const tracked = subject !== undefined;
    // Without a face to follow, the subject is big and near the centre (a neighbour cut by the frame edge is not).
    const weight = (b: Box): number => (b.width * b.height) / (1 + 4 * (((b.x + b.width / 2) / frame.width - 0.5) ** 2 + ((b.y + b.height / 2) / frame.height - 0.5) ** 2));
    subject ??= faces.reduce<Box | undefined>((m, b) => (!m || weight(b) > weight(m) ? b : m), undefined);
    timings.detect = performance.now() - t0;
    if (!subject) return this.#done({ width: frame.width, height: frame.height, faces, timings }, t0);
    check('landmarks');

    const t1 = performance.now();
    let landmarks = await this.#landmarks(frame, tracked && prior ? prior : boxSquare(subject), timings);
    if (opts.follow && !tracked) {
      check('landmarks');
      landmarks = await this.#landmarks(frame, landmarkSquare(landmarks), timings);
    }
    timings.landmarks = performance.now() - t1;

    const t2 = performance.now();
    const r = this.#set.recognizer;
    const align = fitSimilarity(fivePoints(landmarks), r.template);
    warpToFloat(frame, inverseSimilarity(align), r.inputSize, r.inputSize, this.#recIn);
    const stats = measureFace(frame, subject, this.#recIn, r.inputSize, r.template);
    timings.align = performance.now() - t2;
    const primary: FaceObservation = { box: subject, landmarks, pose: headPose(landmarks), ear: meanEar(landmarks), stats };
    if (!opts.embed) return this.#done({ width: frame.width, height: frame.height, faces, primary, timings }, t0);
    check('embedding');

    const t3 = performance.now();
    const raw = await this.#run(this.#sessions.recognizer, this.#recIn, r.inputSize, timings);
    const embedding = normalise(raw);
    timings.embed = performance.now() - t3;
    return this.#done({ width: frame.width, height: frame.height, faces, primary, embedding, timings }, t0);
  }

  /**
   * Faces in the whole frame (letterboxed into the top-left of the square input) or in a square
   * region of it, in frame pixels, best first.
   */
  async #detect(frame: Raster, region: Square | undefined, size: number, minScore: number, timings: { model: number }): Promise<Box[]> {
    const d = this.#set.detector;
    const input = size === d.inputSize ? this.#detIn : this.#searchIn;
    if (input === this.#searchIn) this.#searched = true;
    const x0 = region ? region.cx - region.side / 2 : 0;
    const y0 = region ? region.cy - region.side / 2 : 0;
    const scale = size / (region ? region.side : Math.max(frame.width, frame.height));
    warpToFloat(frame, scaleTranslate(scale, -x0 * scale, -y0 * scale), size, size, input);
    const grid = await this.#run(this.#sessions.detector, input, size, timings);
    return nonMaxSuppression(decodeYoloGrid(grid, size / 32, size, d.anchors, minScore), d.maxIou)
      .map((b) => ({ x: x0 + b.x / scale, y: y0 + b.y / scale, width: b.width / scale, height: b.height / scale, score: b.score }))
      .filter((b) => b.width >= 16 && b.x + b.width > 0 && b.y + b.height > 0 && b.x < frame.width && b.y < frame.height);
  }

  async #landmarks(frame: Raster, crop: Square, timings: { model: number }): Promise<Point[]> {
    const size = this.#set.landmarks.inputSize;
    const { side } = crop;
    const x0 = crop.cx - side / 2;
    const y0 = crop.cy - side / 2;
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
    if (this.#searched) {
      this.#searchIn.fill(0);
      this.#searched = false;
    }
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
