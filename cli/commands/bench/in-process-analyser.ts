/**
 * The face pipeline in this thread behind the verifier's FaceAnalyser contract, for offline runs
 * on virtual time (bench face-liveness, liveness tests): the same pipeline and decode the worker
 * runs, without the worker's thread hop, so a run's outcome depends on the frames alone.
 */
import { decodeJpeg2000 } from '../../../firmware/face/enrol/jp2-decode.ts';
import type { FacePipeline, FrameAnalysis } from '../../../firmware/face/pipeline/pipeline.ts';
import type { FaceAnalyser } from '../../../firmware/face/verifier.ts';

export function inProcessAnalyser(pipeline: FacePipeline): FaceAnalyser {
  return {
    async analyse(frame, opts) {
      try {
        return await pipeline.analyse(
          { width: frame.width, height: frame.height, channels: frame.format === 'gray8' ? 1 : 3, data: frame.data },
          { embed: opts.embed, follow: opts.follow === true, prior: opts.prior },
        );
      } finally {
        frame.data.fill(0);
      }
    },
    // No deadline: an offline run's time is virtual (the worker enforces the budget in the product).
    async enrol(photo): Promise<FrameAnalysis> {
      const bytes = photo.slice();
      photo.fill(0);
      try {
        const t0 = performance.now();
        const raster = await decodeJpeg2000(bytes);
        const decode = performance.now() - t0;
        const a = await pipeline.analyse(raster, { embed: true });
        raster.data.fill(0);
        a.timings.decode = decode;
        return a;
      } finally {
        bytes.fill(0);
      }
    },
    close: () => Promise.resolve(),
  };
}
