/** `kaoreader bench camera`: the streaming capture and the simulated cameras; prints JSON. */
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { runCameraBench } from '../../bench/camera-bench.ts';
import { loadPatient } from '../../../hardware-sim/patients/load-patient.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

export const cameraBench: Command = {
  name: 'camera',
  summary: 'streaming ffmpeg capture (fps, drops, CPU) and simulated camera cost per frame',
  usage: `kaoreader bench camera [--seconds S] [--work-ms MS] [--json]

Streams an ffmpeg test source at 640x480, 30 fps, in real time through the same capture class
as a V4L2 camera while a consumer spends --work-ms on each frame (default 0; try 100 to see
newest-frame dropping), then times the simulated live/spoof cameras per frame.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      seconds: { type: 'string', default: '5' },
      'work-ms': { type: 'string', default: '0' },
      json: { type: 'boolean' },
    });
    const seconds = Number(values.seconds);
    const workMs = Number(values['work-ms']);
    if (!(seconds > 0 && seconds <= 600)) throw new UsageError('--seconds must be in (0, 600]');
    if (!(workMs >= 0 && workMs <= 5000)) throw new UsageError('--work-ms must be in [0, 5000]');
    const p = await loadPatient('sato-hanako');
    const result = await runCameraBench({ seconds, workMs, clock: systemClock, face: p.faceImage, eyes: p.face.eyes, signal: ctx.signal });
    p.faceImage.data.fill(0);
    const out = { area: 'camera', machine: { arch: process.arch, node: process.version }, ...result };
    ctx.stdout.write(
      values.json
        ? `${JSON.stringify(out, null, 2)}\n`
        : `capture ${result.capture.fps} fps, ${result.capture.dropped} dropped, parent CPU ${result.capture.parentCpuPct} %; sim ms/frame ${JSON.stringify(result.simRenderMs)}\n`,
    );
    return 0;
  },
};
