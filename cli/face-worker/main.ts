/**
 * The face worker thread's entry, a composition root of its own: it gives the worker's service
 * (firmware/face/worker/face-worker.ts) ONNX Runtime as its inference runtime.
 */
import { parentPort } from 'node:worker_threads';
import { serveFaceWorker } from '../../firmware/face/worker/face-worker.ts';
import { onnxInference } from '../../firmware/platform/onnx-runtime.ts';

if (!parentPort) throw new Error('cli/face-worker/main.ts must run inside a worker thread');
serveFaceWorker(parentPort, onnxInference);
