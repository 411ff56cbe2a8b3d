/**
 * The one door to onnxruntime-node (a native module): loaded lazily on first use so unit
 * tests and the CLI never load the .node binary unless they run a model.
 */
import type * as Ort from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { DeviceUnavailableError } from '../core/errors.ts';
import type { InferenceRuntime } from '../ports/inference.ts';

export type OrtModule = typeof Ort;
export type { InferenceSession, Tensor };

let loaded: Promise<OrtModule> | undefined;

export function loadOnnxRuntime(): Promise<OrtModule> {
  loaded ??= import('onnxruntime-node').catch((cause: unknown) => {
    loaded = undefined;
    throw new DeviceUnavailableError('onnxruntime-node', 'run "npm ci" (the native binding did not load)', { cause });
  });
  return loaded;
}

/** A CPU session from verified model bytes; `threads` intra-op threads, no spinning. */
export async function createSession(bytes: Uint8Array, threads: number): Promise<InferenceSession> {
  const ort = await loadOnnxRuntime();
  return ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** The Inference port on ONNX Runtime: what the composition root hands the face pipeline. */
export const onnxInference: InferenceRuntime = {
  async open(model, threads) {
    const ort = await loadOnnxRuntime();
    const session = await createSession(model, threads);
    return {
      async run(data, dims) {
        const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) });
        return out[session.outputNames[0]!]!.data as Float32Array;
      },
      release: () => session.release(),
    };
  },
};
