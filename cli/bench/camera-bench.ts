/**
 * The camera bench: (1) the real streaming capture (FfmpegFrameSource) on an ffmpeg test source
 * at 640×480, 30 fps, real time, for `seconds`: frames delivered, fps, drops while a consumer
 * spends `workMs` per frame, parent-process CPU; (2) what each simulated camera costs per frame.
 */
import { createLogger, MemorySink } from '../../firmware/core/logger.ts';
import { FfmpegFrameSource } from '../../firmware/platform/camera/ffmpeg-frame-source.ts';
import type { Clock } from '../../firmware/ports/clock.ts';
import type { RgbImage } from '../../hardware-sim/camera/image.ts';
import { LiveFaceRenderer } from '../../hardware-sim/camera/live-face.ts';
import { MovedPhotoRenderer, StillPhotoRenderer } from '../../hardware-sim/camera/spoof.ts';

export interface CameraBenchOptions {
  readonly seconds: number;
  readonly workMs: number;
  readonly clock: Clock;
  readonly face: RgbImage;
  readonly eyes: readonly [readonly [number, number], readonly [number, number]];
  readonly signal?: AbortSignal;
}

export interface CameraBenchResult {
  readonly capture: {
    readonly seconds: number;
    readonly frames: number;
    readonly fps: number;
    readonly dropped: number;
    readonly consumerWorkMs: number;
    readonly parentCpuPct: number;
    readonly frameLatencyMsP50: number;
  };
  readonly simRenderMs: Record<string, number>;
}

export async function runCameraBench(o: CameraBenchOptions): Promise<CameraBenchResult> {
  const src = new FfmpegFrameSource({
    input: { kind: 'args', args: ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=30'], label: 'testsrc2 640x480@30' },
    output: { width: 640, height: 480 },
    clock: o.clock,
    log: createLogger({ sink: new MemorySink(100), level: 'warn' }),
  });
  const cpu0 = process.cpuUsage();
  const t0 = o.clock.monotonic();
  let frames = 0;
  const latency: number[] = [];
  for await (const f of src.frames(o.signal)) {
    frames++;
    latency.push(o.clock.monotonic() - f.capturedAt);
    f.data.fill(0);
    if (o.workMs > 0) await o.clock.sleep(o.workMs, o.signal);
    if (o.clock.monotonic() - t0 >= o.seconds * 1000) break;
  }
  const elapsed = (o.clock.monotonic() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const st = src.stats();
  await src.close();
  latency.sort((a, b) => a - b);
  const simRenderMs: Record<string, number> = {};
  const renderers = {
    live: new LiveFaceRenderer({ face: o.face, eyes: o.eyes }),
    still: new StillPhotoRenderer({ photo: o.face }),
    movedPaper: new MovedPhotoRenderer({ photo: o.face, presentation: 'paper' }),
  };
  const out = new Uint8Array(640 * 480 * 3);
  for (const [name, r] of Object.entries(renderers)) {
    const s = performance.now();
    for (let i = 0; i < 60; i++) r.render(i, out);
    simRenderMs[name] = Math.round(((performance.now() - s) / 60) * 100) / 100;
  }
  return {
    capture: {
      seconds: Math.round(elapsed * 100) / 100,
      frames: st.frames,
      fps: Math.round((frames / elapsed) * 10) / 10,
      dropped: st.dropped,
      consumerWorkMs: o.workMs,
      parentCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 1000) / 10,
      frameLatencyMsP50: Math.round((latency[Math.floor(latency.length / 2)] ?? 0) * 100) / 100,
    },
    simRenderMs,
  };
}
