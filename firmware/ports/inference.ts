/**
 * Inference port: runs a neural network on the CPU. The face pipeline takes it as a parameter;
 * the composition root gives it ONNX Runtime (firmware/platform/onnx-runtime.ts), loaded in the
 * face worker's thread (cli/face-worker/), so nothing under firmware/face loads a native module.
 */
export interface ModelSession {
  /**
   * Runs the model once on one float32 input of shape `dims` (fed to its first input) and
   * resolves with its first output's data. Concurrent runs on one session are not supported.
   */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
  /** Frees the session's native memory; it must not be run again. */
  release(): Promise<void>;
}

export interface InferenceRuntime {
  /** A session on model bytes the caller has already verified, with `threads` intra-op threads. */
  open(model: Uint8Array, threads: number): Promise<ModelSession>;
}
