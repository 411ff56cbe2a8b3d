/**
 * An estimate — not a measurement — of face frames per second on Raspberry-Pi-class cores, from
 * the models' multiply-accumulates per frame and an assumed sustained fp32 rate per core:
 * - Raspberry Pi 4 (Cortex-A72, 1.8 GHz): HPL on its four cores is reported at ≈ 8 GFLOPS double
 *   precision (feiereisen.net, 2022), ≈ 2 GFLOPS per core; single precision doubles the NEON width
 *   (≈ 4 GFLOPS, 2 GMAC/s); convolutions of small feature maps reach perhaps three quarters of a
 *   dense solver's rate: 1.5 GMAC/s.
 * - Raspberry Pi 5 (Cortex-A76, 2.4 GHz): single-core throughput ≈ 1.85× a Pi 4's in sysbench
 *   (leoncode.co.uk) and wider FP issue; assumed 2.5× the Pi 4 figure: 3.75 GMAC/s.
 * The pipeline's own work outside the models (crops, warps, decoding) is carried over as the
 * pipeline ÷ model ratio measured here.
 */
export const ASSUMED_GMAC_PER_CORE = { pi4: 1.5, pi5: 3.75 } as const;

export interface PiEstimate {
  readonly estimate: true;
  readonly macsPerFrameM: number;
  readonly pipelineOverModel: number;
  readonly assumedGmacPerCore: typeof ASSUMED_GMAC_PER_CORE;
  readonly framesPerSecondOneCore: { readonly pi4: number; readonly pi5: number };
}

export function piEstimate(macsPerFrame: number, pipelineOverModel: number): PiEstimate {
  const fps = (gmac: number): number => Math.round(((gmac * 1e9) / macsPerFrame / pipelineOverModel) * 10) / 10;
  return {
    estimate: true,
    macsPerFrameM: Math.round(macsPerFrame / 1e5) / 10,
    pipelineOverModel,
    assumedGmacPerCore: ASSUMED_GMAC_PER_CORE,
    framesPerSecondOneCore: { pi4: fps(ASSUMED_GMAC_PER_CORE.pi4), pi5: fps(ASSUMED_GMAC_PER_CORE.pi5) },
  };
}
