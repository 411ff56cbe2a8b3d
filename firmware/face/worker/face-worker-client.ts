/**
 * Main-thread handle on the face worker: spawns it at the entry the composition root gives
 * (cli/face-worker/entry.ts: the thread's own composition root), sends one request at a time with a per-request deadline from the injected clock,
 * transfers frame buffers instead of copying them, and turns worker failures into typed errors.
 * A request still running at its deadline is answered with TimeoutError; its late reply is
 * dropped.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError, KaoreaderError, TimeoutError, type ErrorCode } from '../../core/errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Frame } from '../../ports/frame-source.ts';
import { PhotoDecodeError } from '../enrol/jp2-decode.ts';
import type { Point } from '../pipeline/geometry.ts';
import type { ModelSet } from '../pipeline/model-set.ts';
import type { FrameAnalysis } from '../pipeline/pipeline.ts';
import type { WorkerReply, WorkerRequest, WorkerStats } from './protocol.ts';
import { fromWire, packPoints } from './wire-analysis.ts';

/** A failure inside the worker that has no more specific type (code as sent by the worker). */
export class FaceWorkerError extends KaoreaderError {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Slack over the request budget before the client gives up on a reply. */
const GRACE_MS = 200;
const INIT_BUDGET_MS = 60_000;
/** Waiting for the worker to release its sessions (behind a request still running) before terminating it. */
const CLOSE_BUDGET_MS = 30_000;

export class FaceWorkerClient {
  readonly #worker: Worker;
  readonly #clock: Clock;
  readonly #pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #closed = false;

  private constructor(worker: Worker, clock: Clock) {
    this.#worker = worker;
    this.#clock = clock;
    worker.on('message', (reply: WorkerReply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return; // answered after its deadline: dropped
      this.#pending.delete(reply.id);
      p.resolve(reply);
    });
    worker.on('error', (err) => this.#failAll(new FaceWorkerError('FACE_WORKER_CRASHED', err.message)));
    worker.on('exit', (code) => this.#failAll(new FaceWorkerError('FACE_WORKER_EXITED', `face worker exited (${code})`)));
  }

  /** Starts the worker thread at `entry` and loads (and checksums) the model set. */
  static async start(modelSet: ModelSet, clock: Clock, entry: URL): Promise<FaceWorkerClient> {
    // The worker inherits the process's flags: given as execArgv, V8 flags (--max-old-space-size) are refused.
    const worker = new Worker(entry);
    worker.unref();
    const client = new FaceWorkerClient(worker, clock);
    try {
      await client.#request({ type: 'init', id: 0, modelSet }, INIT_BUDGET_MS);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  /**
   * Analyses one frame; its pixel buffer is transferred (the caller's view becomes empty).
   * `follow`: a frame of a stream whose face is followed; `prior`: the subject's landmarks in the
   * previous frame (FacePipeline.analyse).
   */
  async analyse(
    frame: Frame,
    opts: { embed: boolean; budgetMs: number; signal?: AbortSignal; follow?: boolean; prior?: readonly Point[] | undefined },
  ): Promise<FrameAnalysis> {
    const channels = frame.format === 'gray8' ? 1 : 3;
    const copy = frame.data.byteOffset === 0 && frame.data.byteLength === frame.data.buffer.byteLength ? frame.data : frame.data.slice();
    if (copy !== frame.data) frame.data.fill(0);
    const wire = {
      width: frame.width,
      height: frame.height,
      channels,
      buffer: copy.buffer as ArrayBuffer,
      byteOffset: 0,
      byteLength: copy.byteLength,
    } as const;
    const reply = await this.#request(
      {
        type: 'analyse',
        id: 0,
        frame: wire,
        embed: opts.embed,
        budgetMs: opts.budgetMs,
        ...(opts.follow ? { follow: true } : {}),
        ...(opts.prior ? { prior: packPoints(opts.prior) } : {}),
      },
      opts.budgetMs,
      [wire.buffer],
      opts.signal,
    );
    return this.#analysis(reply);
  }

  /** Decodes the chip photo (JPEG 2000) and embeds its face; the bytes are transferred. */
  async enrol(photo: Uint8Array, budgetMs: number): Promise<FrameAnalysis> {
    const own = photo.slice();
    photo.fill(0);
    const reply = await this.#request({ type: 'enrol', id: 0, photo: own.buffer, budgetMs }, budgetMs, [own.buffer]);
    return this.#analysis(reply);
  }

  async stats(): Promise<WorkerStats> {
    const reply = await this.#request({ type: 'stats', id: 0 }, 5_000);
    if (reply.type !== 'ok' || !reply.stats) throw new FaceWorkerError('FACE_WORKER_PROTOCOL', 'no stats in reply');
    return reply.stats;
  }

  #analysis(reply: WorkerReply): FrameAnalysis {
    if (reply.type === 'ok' && reply.analysis) return fromWire(reply.analysis);
    throw new FaceWorkerError('FACE_WORKER_PROTOCOL', 'reply without analysis');
  }

  #request(req: WorkerRequest, budgetMs: number, transfer: ArrayBuffer[] = [], signal?: AbortSignal): Promise<WorkerReply> {
    if (this.#closed) return Promise.reject(new FaceWorkerError('FACE_WORKER_CLOSED', 'face worker is closed'));
    if (signal?.aborted) return Promise.reject(new CancelledError('face analysis', { cause: signal.reason }));
    const id = this.#nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        signal?.removeEventListener('abort', onAbort);
        reject(new TimeoutError(`face ${req.type}`, budgetMs));
      }, budgetMs + GRACE_MS);
      const onAbort = (): void => {
        if (!this.#pending.delete(id)) return;
        timer.cancel();
        reject(new CancelledError(`face ${req.type}`, { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.set(id, {
        resolve: (reply) => {
          done();
          if (reply.type === 'ok') resolve(reply);
          else reject(remoteError(reply.code, reply.message, req.type, budgetMs));
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.#worker.postMessage({ ...req, id }, transfer);
    });
  }

  #failAll(err: Error): void {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  /** Releases the sessions in the worker (within CLOSE_BUDGET_MS), then terminates it; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    // A worker that cannot release in time (or already died) is terminated all the same.
    const released = await this.#request({ type: 'close', id: 0 }, CLOSE_BUDGET_MS).then(
      () => true,
      () => false,
    );
    this.#closed = true;
    this.#failAll(new FaceWorkerError('FACE_WORKER_CLOSED', released ? 'face worker closed' : 'face worker terminated'));
    await this.#worker.terminate();
  }
}

function remoteError(code: ErrorCode, message: string, what: string, budgetMs: number): Error {
  switch (code) {
    case 'TIMEOUT':
      return new TimeoutError(`face ${what}`, budgetMs);
    case 'PHOTO_DECODE_FAILED':
      return new PhotoDecodeError(message);
    default:
      return new FaceWorkerError(code, message);
  }
}
