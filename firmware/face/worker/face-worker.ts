/**
 * The face worker's service (worker_threads): owns the model sessions and runs the pipeline off the
 * main thread so touch and screen never stall. The thread's entry (cli/face-worker/main.ts) starts
 * it with the inference runtime the composition root picks (ONNX Runtime). Pixels it receives, and
 * the pipeline's model inputs made from them, are zeroed as soon as the reply is posted (in the same
 * turn: the wipe is not on the main thread's round trip, and nothing runs in between); errors go
 * back as {code, message}, never as pixel data.
 */
import type { MessagePort } from 'node:worker_threads';
import { KaoreaderError } from '../../core/errors.ts';
import type { InferenceRuntime } from '../../ports/inference.ts';
import { decodeJpeg2000 } from '../enrol/jp2-decode.ts';
import { FacePipeline } from '../pipeline/pipeline.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';
import { toWire, unpackPoints } from './wire-analysis.ts';

let pipeline: FacePipeline | undefined;
// One request at a time, in order: the client never sends a second before the first answers,
// and a queue here would only hold stale frames.
let chain: Promise<void> = Promise.resolve();

/** `wipe`: zeroing of what holds pixels (the frame, the pipeline's model inputs), run once the reply is posted (or the request failed). */
async function handle(req: WorkerRequest, wipe: (() => void)[], runtime: InferenceRuntime): Promise<WorkerReply> {
  switch (req.type) {
    case 'init':
      pipeline ??= await FacePipeline.create(req.modelSet, runtime);
      return { type: 'ok', id: req.id };
    case 'close':
      await pipeline?.close();
      pipeline = undefined;
      return { type: 'ok', id: req.id };
    case 'stats': {
      const m = process.memoryUsage();
      return { type: 'ok', id: req.id, stats: { rss: m.rss, heapUsed: m.heapUsed, external: m.external } };
    }
    case 'analyse': {
      const deadline = performance.now() + req.budgetMs;
      const data = new Uint8Array(req.frame.buffer, req.frame.byteOffset, req.frame.byteLength);
      wipe.push(() => data.fill(0));
      const analysis = await ready().analyse(
        { width: req.frame.width, height: req.frame.height, channels: req.frame.channels, data },
        {
          embed: req.embed,
          deadline,
          follow: req.follow === true,
          prior: req.prior && unpackPoints(req.prior),
          deferWipe: (w) => wipe.push(w),
        },
      );
      return { type: 'ok', id: req.id, analysis: toWire(analysis) };
    }
    case 'enrol': {
      const deadline = performance.now() + req.budgetMs;
      const bytes = new Uint8Array(req.photo);
      try {
        const t0 = performance.now();
        const photo = await decodeJpeg2000(bytes);
        const decode = performance.now() - t0;
        const analysis = await ready().analyse(photo, { embed: true, deadline });
        photo.data.fill(0);
        analysis.timings.decode = decode;
        return { type: 'ok', id: req.id, analysis: toWire(analysis) };
      } finally {
        bytes.fill(0);
      }
    }
  }
}

function ready(): FacePipeline {
  if (!pipeline) throw new Error('face worker used before init');
  return pipeline;
}

function transferables(reply: WorkerReply): ArrayBuffer[] {
  const e = reply.type === 'ok' ? reply.analysis?.embedding : undefined;
  return e ? [e.buffer as ArrayBuffer] : [];
}

/** Answers the client's requests on `port` (the thread's parentPort) in order, running the models on `runtime`. */
export function serveFaceWorker(port: MessagePort, runtime: InferenceRuntime): void {
  port.on('message', (req: WorkerRequest) => {
    chain = chain.then(async () => {
      const wipe: (() => void)[] = [];
      try {
        let reply: WorkerReply;
        try {
          reply = await handle(req, wipe, runtime);
        } catch (err) {
          const code = err instanceof KaoreaderError ? err.code : 'FACE_WORKER_FAILED';
          reply = { type: 'error', id: req.id, code, message: err instanceof Error ? err.message : String(err) };
        }
        port.postMessage(reply, transferables(reply));
      } finally {
        for (const w of wipe) w();
      }
    });
  });
}
