/**
 * The per-frame face pipeline (runs inside the face worker): detector (letterbox → NMS) →
 * square crop → 68 landmarks → 5-point similarity alignment → recognizer → L2-normalised
 * embedding, plus the image statistics guidance and passive liveness need. Every stage is
 * timed; `deadline` (a performance.now() instant) is checked between stages.
 * - A still (chip photo, single frame) with no face in the letterbox is looked at every other way
 *   (detection-view.ts: padded, enlarged centre, turned ±25°, exposure evened out).
 * - In a stream (`follow`), given the previous frame's landmarks (`prior`), it follows that face
 *   (tracking.ts): the landmark crop comes from them, turned upright by the face's roll; the
 *   detector only confirms the face in a small crop around them, on every CONFIRM_EVERY-th frame
 *   (the whole frame every FULL_EVERY frames, or when the crop lost it). In between, the landmarks
 *   alone follow it, as long as they stay near the face last confirmed (`stillAnchored`), and its
 *   box is the last confirmed one carried along by them (`anchoredBox`).
 */
import { readModelManifest, readVerifiedModel } from './model-manifest.ts';
import { TimeoutError } from '../../core/errors.ts';
import type { InferenceRuntime, ModelSession } from '../../ports/inference.ts';
import { decodeYoloGrid, iou, nonMaxSuppression, type Box } from './detector-decode.ts';
import { fitSimilarity, fivePoints, headPose, inverseSimilarity, meanEar, type Point } from './geometry.ts';
import { warpToFloat } from './image.ts';
import type { Raster } from './raster.ts';
import { WarpKernels } from './warp-kernels.ts';
import { modelPath, type ModelSet } from './model-set.ts';
import { measureFace, type FaceStats } from './face-stats.ts';
import {
  anchoredBox,
  boxSquare,
  followingBox,
  follows,
  followStep,
  GUIDE_SIDE,
  landmarkSquare,
  rollOf,
  SEARCH_CROPS,
  SEARCH_INPUT,
  SEARCH_MIN_SCORE,
  stillAnchored,
  type Anchor,
  type Square,
} from './tracking.ts';
import {
  boxToFrame,
  letterbox,
  STILL_VIEWS,
  STREAM_FALLBACK_VIEWS,
  viewOf,
  viewToFrame,
  type Detection,
  type View,
} from './detection-view.ts';
import { equalisingCurve, poorlyExposed, withCurve } from './exposure.ts';

/** Following a face, its crop is this many times its landmark square, on a detector input this small… */
const TRACK_CROP = 2;
export const TRACK_INPUT = 160;
/**
 * The followed face's crop shrinks ≈ 2.4× onto that input: sampled plainly, not averaged (a
 * third of the time; the detector confirmed the face in 81 of 84 streamed frames either way).
 */
const TRACK_AVERAGE_ABOVE = 3;
/** …and the whole frame is looked at every this many frames (other faces come and go slowly). */
export const FULL_EVERY = 8;
/**
 * The detector confirms a followed face on every this many frames; the landmarks follow it alone
 * in between. A face that leaves is then noticed one or two frames later (≤ 67 ms at 30 fps), when
 * its landmarks stray (`follows`) or at the next confirmation.
 */
export const CONFIRM_EVERY = 3;

/** Roll difference (radians) between the landmark crop and the landmarks found in it that calls for an upright crop. */
const RECROP_ROLL = (10 * Math.PI) / 180;

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

export interface AnalyseOptions {
  readonly embed: boolean;
  /** performance.now() instant checked between stages. */
  readonly deadline?: number;
  /** A frame of a stream whose face is followed (see analyse). */
  readonly follow?: boolean;
  /** The subject's landmarks in the previous frame of the stream. */
  readonly prior?: readonly Point[] | undefined;
  /**
   * The model inputs (face pixels) are zeroed before analyse settles, unless this is given: it is
   * then handed the wipe, once, as analyse settles, and must run it before the next analyse (the
   * worker runs it right after posting its reply, in the same turn, so the zeroing — ≈ 0.8 MB a
   * frame, 2.8 MB with the whole-frame detector input — is not on the main thread's round trip).
   */
  readonly deferWipe?: (wipe: () => void) => void;
}

interface Sessions {
  detector: ModelSession;
  landmarks: ModelSession;
  recognizer: ModelSession;
}

export class FacePipeline {
  readonly #sessions: Sessions;
  readonly #set: ModelSet;
  /** Detector inputs by side; those used for a frame are wiped after it. */
  readonly #detInputs = new Map<number, Float32Array>();
  readonly #usedInputs = new Set<Float32Array>();
  readonly #lmIn: Float32Array;
  readonly #recIn: Float32Array;
  /** The aligned crop in grey, for the face statistics (wiped with the inputs). */
  readonly #grey: Float32Array;
  /** The warps' WebAssembly kernels; their memory holds the frame and crops until #wipe. */
  readonly #kernels = new WarpKernels();
  /** Exposure-evened copies of this frame (wiped in #done). */
  readonly #scratch: Uint8Array[] = [];
  /** Which fallback view a stream's next faceless frame tries. */
  #fallbackTurn = 0;
  /** While following a face: frames since the last whole-frame look, and the other faces it saw. */
  #sinceFull = 0;
  #others: Detection[] = [];
  /** Frames since the detector last confirmed the followed face, and its box then (tracking.ts `Anchor`). */
  #sinceConfirm = 0;
  #anchor: Anchor | undefined;
  /** The previous frame's subject's landmarks: the anchor only serves a stream whose prior they are. */
  #last: readonly Point[] | undefined;

  private constructor(set: ModelSet, sessions: Sessions) {
    this.#set = set;
    this.#sessions = sessions;
    this.#lmIn = new Float32Array(set.landmarks.inputSize ** 2 * 3);
    this.#recIn = new Float32Array(set.recognizer.inputSize ** 2 * 3);
    this.#grey = new Float32Array(set.recognizer.inputSize ** 2);
  }

  /** Loads the three models on `runtime` after checking each against the set's manifest.json. */
  static async create(set: ModelSet, runtime: InferenceRuntime): Promise<FacePipeline> {
    const manifest = readModelManifest(modelPath(set, 'manifest.json'));
    const load = (file: string): Promise<ModelSession> => runtime.open(readVerifiedModel(modelPath(set, file), manifest), set.threads);
    const [detector, landmarks, recognizer] = await Promise.all([
      load(set.detector.file),
      load(set.landmarks.file),
      load(set.recognizer.file),
    ]);
    const pipeline = new FacePipeline(set, { detector, landmarks, recognizer });
    await pipeline.#warmUp();
    return pipeline;
  }

  /**
   * Runs every model once at every input size the pipeline uses (on zeros): onnxruntime plans
   * its memory per input shape on the first run, which would otherwise land on the first visit's
   * enrolment and first frames.
   */
  async #warmUp(): Promise<void> {
    const t = { model: 0 };
    const sizes = new Set([
      this.#set.detector.inputSize,
      SEARCH_INPUT,
      TRACK_INPUT,
      ...STILL_VIEWS.map((v) => v.size),
      ...STREAM_FALLBACK_VIEWS.map((v) => v.size),
    ]);
    for (const size of sizes) await this.#run(this.#sessions.detector, new Float32Array(size * size * 3), size, t);
    await this.#run(this.#sessions.landmarks, this.#lmIn, this.#set.landmarks.inputSize, t);
    await this.#run(this.#sessions.recognizer, this.#recIn, this.#set.recognizer.inputSize, t);
  }

  async #run(session: ModelSession, input: Float32Array, size: number, t: { model: number }): Promise<Float32Array> {
    const started = performance.now();
    const out = await session.run(input, [1, size, size, 3]);
    t.model += performance.now() - started;
    return out;
  }

  /**
   * `follow`: this frame is part of a stream whose face is followed from frame to frame. Its
   * landmarks then always come from a landmark-derived crop (`prior`, the previous frame's
   * landmarks, or — for a face met without one — a second pass on the crop its first landmarks
   * give), so every frame's landmarks are measured the same way.
   */
  async analyse(frame: Raster, opts: AnalyseOptions): Promise<FrameAnalysis> {
    try {
      return await this.#analyse(frame, opts);
    } finally {
      if (opts.deferWipe) opts.deferWipe(() => this.#wipe());
      else this.#wipe();
    }
  }

  async #analyse(frame: Raster, opts: AnalyseOptions): Promise<FrameAnalysis> {
    const t0 = performance.now();
    const timings: StageTimings = { detect: 0, landmarks: 0, align: 0, embed: 0, model: 0, total: 0 };
    const check = (stage: string): void => {
      if (opts.deadline !== undefined && performance.now() > opts.deadline)
        throw new TimeoutError(`face ${stage}`, Math.round(performance.now() - t0));
    };
    const d = this.#set.detector;
    const priorPoints = opts.follow && opts.prior?.length === 68 ? opts.prior : undefined;
    const prior = priorPoints ? landmarkSquare(priorPoints) : undefined;
    const last = this.#last;
    this.#last = undefined;
    if (!priorPoints || !last || !samePoints(last, priorPoints)) this.#anchor = undefined;
    let faces: Detection[] = [];
    let subject: Detection | undefined;
    // Landmarks found before the subject was settled (a frame the detector skips), and their time.
    let glanced: Point[] | undefined;
    let glanceMs = 0;
    if (prior && this.#anchor && followStep(this.#sinceConfirm, this.#sinceFull, CONFIRM_EVERY, FULL_EVERY) === 'glance') {
      const tg = performance.now();
      const l = await this.#landmarks(frame, prior, timings);
      const square = landmarkSquare(l);
      const box = anchoredBox(this.#anchor, square);
      glanceMs = performance.now() - tg;
      if (stillAnchored(this.#anchor, square) && follows(box, prior)) {
        glanced = l;
        subject = box;
        this.#sinceConfirm++;
        this.#sinceFull++;
        faces = [subject, ...this.#others];
      }
    }
    if (prior && !subject) {
      // Following a face: confirm it in a small crop around where it was; the whole frame only
      // every FULL_EVERY frames (who else is there), or when the crop lost it.
      this.#sinceConfirm = 0;
      subject = followingBox(
        await this.#detect(frame, { ...prior, side: prior.side * TRACK_CROP }, TRACK_INPUT, SEARCH_MIN_SCORE, timings, TRACK_AVERAGE_ABOVE),
        prior,
      );
      if (!subject || ++this.#sinceFull >= FULL_EVERY) {
        this.#sinceFull = 0;
        const all = await this.#detect(frame, letterbox(frame.width, frame.height), d.inputSize, d.minScore, timings);
        subject ??= followingBox(all, prior);
        for (const k of SEARCH_CROPS) {
          if (subject) break;
          check('search');
          subject = followingBox(
            await this.#detect(frame, { ...prior, side: prior.side * k }, SEARCH_INPUT, SEARCH_MIN_SCORE, timings),
            prior,
          );
        }
        this.#others = all.filter((b) => !subject || iou(b, subject) < 0.3);
      }
      faces = subject ? [subject, ...this.#others] : [...this.#others];
    } else if (!prior) {
      this.#others = [];
      this.#sinceFull = 0;
      this.#sinceConfirm = 0;
      faces = await this.#detect(frame, letterbox(frame.width, frame.height), d.inputSize, d.minScore, timings);
    }
    // The view a face was found in decides what the landmark net is shown (an equalised copy for a badly exposed frame).
    let source = frame;
    if (!prior && faces.length === 0) {
      const found = await this.#fallback(frame, opts.follow === true, timings, check);
      faces = found.faces;
      source = found.source;
    }
    const tracked = subject !== undefined;
    // Without a face to follow, the subject is big and near the centre (a neighbour cut by the frame edge is not).
    const weight = (b: Box): number =>
      (b.width * b.height) / (1 + 12 * (((b.x + b.width / 2) / frame.width - 0.5) ** 2 + ((b.y + b.height / 2) / frame.height - 0.5) ** 2));
    subject ??= faces.reduce<Detection | undefined>((m, b) => (!m || weight(b) > weight(m) ? b : m), undefined);
    timings.detect = performance.now() - t0 - glanceMs;
    if (!subject) return this.#done({ width: frame.width, height: frame.height, faces, timings }, t0);
    check('landmarks');

    const t1 = performance.now();
    const crop = tracked && prior ? prior : boxSquare(subject, subject.angle);
    let landmarks = glanced ?? (await this.#landmarks(source, crop, timings));
    // A face met without a prior (every frame of a stream is measured the same way), or one
    // whose roll differs from the crop's, is measured again on its own upright landmark square.
    if ((opts.follow && !tracked) || Math.abs(rollOf(landmarks) - crop.angle) > RECROP_ROLL) {
      check('landmarks');
      landmarks = await this.#landmarks(source, landmarkSquare(landmarks), timings);
    }
    timings.landmarks = performance.now() - t1 + glanceMs;
    // A face the detector confirmed anchors the boxes of the frames it skips.
    if (!glanced) this.#anchor = tracked || opts.follow ? { box: subject, square: landmarkSquare(landmarks) } : undefined;
    this.#last = opts.follow ? landmarks : undefined;
    const box: Box = { x: subject.x, y: subject.y, width: subject.width, height: subject.height, score: subject.score };

    const t2 = performance.now();
    const r = this.#set.recognizer;
    const align = fitSimilarity(fivePoints(landmarks), r.template);
    warpToFloat(frame, inverseSimilarity(align), r.inputSize, r.inputSize, this.#recIn, undefined, this.#kernels);
    const stats = measureFace(frame, box, this.#recIn, r.inputSize, r.template, this.#grey);
    timings.align = performance.now() - t2;
    const primary: FaceObservation = { box, landmarks, pose: headPose(landmarks), ear: meanEar(landmarks), stats };
    const found = faces.map(({ x, y, width, height, score }) => ({ x, y, width, height, score }));
    if (!opts.embed) return this.#done({ width: frame.width, height: frame.height, faces: found, primary, timings }, t0);
    check('embedding');

    const t3 = performance.now();
    const raw = await this.#run(this.#sessions.recognizer, this.#recIn, r.inputSize, timings);
    const embedding = normalise(raw);
    timings.embed = performance.now() - t3;
    return this.#done({ width: frame.width, height: frame.height, faces: found, primary, embedding, timings }, t0);
  }

  /**
   * Nothing in the letterbox and no face followed: look again (detection-view.ts). A still (a chip
   * photo, a single frame) is looked at every way and the best face of all views is taken; a
   * stream, which has more frames coming, gets the centre search and one more view per frame in
   * turn. The landmark net is shown the equalised copy only when the frame is badly exposed.
   */
  async #fallback(
    frame: Raster,
    stream: boolean,
    timings: { model: number },
    check: (stage: string) => void,
  ): Promise<{ faces: Detection[]; source: Raster }> {
    const d = this.#set.detector;
    if (stream) {
      check('search');
      // Where a patient stands at the reader: the centre square at the search input size.
      const guide = await this.#detect(
        frame,
        { cx: frame.width / 2, cy: frame.height / 2, side: GUIDE_SIDE * frame.height, angle: 0 },
        SEARCH_INPUT,
        d.minScore,
        timings,
      );
      if (guide.length > 0) return { faces: guide, source: frame };
    }
    const curve = equalisingCurve(frame);
    let equalised: Raster | undefined;
    const specs = stream ? [STREAM_FALLBACK_VIEWS[this.#fallbackTurn++ % STREAM_FALLBACK_VIEWS.length]!] : STILL_VIEWS;
    let found: Detection[] = [];
    for (const v of specs) {
      check('search');
      const source = v.equalised ? (equalised ??= this.#scratchCopy(withCurve(frame, curve))) : frame;
      found = found.concat(await this.#detect(source, viewOf(v.kind, frame.width, frame.height), v.size, d.minScore, timings));
    }
    const faces = nonMaxSuppression(found, d.maxIou);
    return { faces, source: equalised && poorlyExposed(curve) ? equalised : frame };
  }

  /** Keeps a copy of frame pixels to be zeroed with the model inputs. */
  #scratchCopy(r: Raster): Raster {
    this.#scratch.push(r.data);
    return r;
  }

  /** Faces seen through `view` (a square of the frame on the detector's input), in frame pixels, best first. */
  async #detect(
    frame: Raster,
    view: View,
    size: number,
    minScore: number,
    timings: { model: number },
    averageAbove?: number,
  ): Promise<Detection[]> {
    const d = this.#set.detector;
    const input = this.#detectorInput(size);
    warpToFloat(frame, viewToFrame(view, size), size, size, input, averageAbove, this.#kernels);
    const grid = await this.#run(this.#sessions.detector, input, size, timings);
    return nonMaxSuppression(decodeYoloGrid(grid, size / 32, size, d.anchors, minScore), d.maxIou)
      .map((b) => boxToFrame(b, view, size))
      .filter((b) => b.width >= 16 && b.x + b.width > 0 && b.y + b.height > 0 && b.x < frame.width && b.y < frame.height);
  }

  /** The detector's input buffer for a side (one per size used; all wiped after each frame). */
  #detectorInput(size: number): Float32Array {
    let input = this.#detInputs.get(size);
    if (!input) {
      input = new Float32Array(size * size * 3);
      this.#detInputs.set(size, input);
    }
    this.#usedInputs.add(input);
    return input;
  }

  /** 68 points of the face in `crop` (turned upright by the crop's angle), in frame pixels. */
  async #landmarks(frame: Raster, crop: Square, timings: { model: number }): Promise<Point[]> {
    const size = this.#set.landmarks.inputSize;
    const map = viewToFrame(crop, size);
    warpToFloat(frame, map, size, size, this.#lmIn, undefined, this.#kernels);
    const out = await this.#run(this.#sessions.landmarks, this.#lmIn, size, timings);
    const [a, b, c, d, e, f] = map;
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) {
      const u = out[i * 2]! * size;
      const v = out[i * 2 + 1]! * size;
      points.push([a * u + b * v + c, d * u + e * v + f]);
    }
    return points;
  }

  #done(a: FrameAnalysis, t0: number): FrameAnalysis {
    a.timings.total = performance.now() - t0;
    return a;
  }

  /** Model inputs and copies held face pixels: zeroed after every frame, whatever the outcome. */
  #wipe(): void {
    for (const s of this.#scratch.splice(0)) s.fill(0);
    for (const input of this.#usedInputs) input.fill(0);
    this.#usedInputs.clear();
    this.#lmIn.fill(0);
    this.#recIn.fill(0);
    this.#grey.fill(0);
    this.#kernels.wipe();
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#sessions).map((s) => s.release()));
  }
}

function samePoints(a: readonly Point[], b: readonly Point[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  // A plain loop: Float32Array.from with a mapping function is several times slower.
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

/** Cosine similarity of two L2-normalised embeddings. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
