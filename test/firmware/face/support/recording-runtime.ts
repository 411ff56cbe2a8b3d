/** The real onnxruntime, keeping every input buffer it was given (to see them zeroed afterwards). */
import type { InferenceRuntime } from '../../../../firmware/ports/inference.ts';
import { onnxInference } from '../../../../firmware/platform/onnx-runtime.ts';

export function recordingRuntime(seen: Set<Float32Array>): InferenceRuntime {
  return {
    async open(model, threads) {
      const s = await onnxInference.open(model, threads);
      return {
        run: (input, dims) => {
          seen.add(input);
          return s.run(input, dims);
        },
        release: () => s.release(),
      };
    },
  };
}
