/**
 * `kaoreader bench face-liveness [--seeds N] [--fps F] [--no-follow] [--spoof DIR] [--json]`:
 * liveness of the simulated patients, as the sim world shows them (`cameraSubject`), through the
 * real pipeline and LivenessTracker, frame by frame, independent of machine load. Per patient and
 * seed (3.2 s each, every frame the worker would take at F analysed frames/s, default 15):
 * - live, waiting for a natural blink (one per 3 s slot at a seeded offset);
 * - live, asked to blink: a deliberate 0.3 s blink 300–600 ms (seeded) after the first face;
 * - spoofs: the photo held still, and moved by hand bare, on paper and on a phone.
 * A run passes when the tracker says `live`; spoofs must never be `live`. `--no-follow` turns
 * off following the face between frames (the pipeline as it was before tracking.ts), for a
 * before/after. `--spoof DIR` also replays the spoof samples (F = spoof, T = real).
 */
import { readdirSync } from 'node:fs';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { LivenessTracker, type LivenessVerdict } from '../../../firmware/face/liveness/liveness.ts';
import type { Point } from '../../../firmware/face/pipeline/geometry.ts';
import { defaultModelSet } from '../../../firmware/face/pipeline/model-set.ts';
import { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import type { FrameRenderer } from '../../../hardware-sim/camera/clocked-frame-source.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';
import { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { MovedPhotoRenderer, StillPhotoRenderer, type Presentation } from '../../../hardware-sim/camera/spoof.ts';
import { loadPatient, patientIds } from '../../../hardware-sim/patients/load-patient.ts';
import { cameraSubject } from '../../simulator/camera-subject.ts';
import { runSpoofSamples } from './face-spoof.ts';

const FRAMES = 96; // 3.2 s at 30 fps
const SPOOFS: readonly (Presentation | 'still')[] = ['still', 'bare', 'paper', 'phone'];

interface Run { readonly verdict: LivenessVerdict; readonly liveAtMs: number | undefined; readonly missed: number }

/** Frames of `r` at the analysis rate, through the pipeline and a fresh tracker. */
async function replay(r: FrameRenderer, pipeline: FacePipeline, o: { step: number; follow: boolean; onFirstFace?: (index: number) => void }): Promise<Run> {
  const tracker = new LivenessTracker();
  const data = new Uint8Array(r.width * r.height * 3);
  let verdict = tracker.verdict();
  let prior: readonly Point[] | undefined;
  let firstAt: number | undefined;
  let missed = 0;
  for (let i = 0; i < FRAMES; i += o.step) {
    r.render(i, data);
    const a = await pipeline.analyse({ width: r.width, height: r.height, channels: 3, data }, { embed: false, follow: o.follow, prior });
    if (!a.primary) { missed++; continue; }
    prior = a.primary.landmarks;
    if (firstAt === undefined) { firstAt = i; o.onFirstFace?.(i); }
    verdict = tracker.add({ at: (i * 1000) / 30, face: a.primary });
    if (verdict.state !== 'pending') return { verdict, liveAtMs: verdict.state === 'live' ? ((i - firstAt) * 1000) / 30 : undefined, missed };
  }
  data.fill(0);
  return { verdict, liveAtMs: undefined, missed };
}

export const faceLivenessBench: Command = {
  name: 'face-liveness',
  summary: 'liveness of the simulated patients (live, asked to blink, spoofs) through the real pipeline',
  usage: `kaoreader bench face-liveness [--seeds N] [--fps F] [--patients a,b] [--no-follow] [--spoof DIR] [--json]

Per patient and seed 1..N (default 10): natural-blink live run, asked-to-blink live run, and four
spoof runs (still photo, moved bare/paper/phone), 3.2 s each at F analysed frames/s (default 15).`,
  async run(argv, ctx) {
    const { values } = parse(argv, { seeds: { type: 'string' }, fps: { type: 'string' }, patients: { type: 'string' }, 'no-follow': { type: 'boolean' }, spoof: { type: 'string' }, json: { type: 'boolean' } });
    const seeds = Number(values.seeds ?? '10');
    const fps = Number(values.fps ?? '15');
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1000) throw new UsageError('--seeds must be an integer from 1 to 1000');
    if (!(fps > 0 && fps <= 30)) throw new UsageError('--fps must be in (0, 30]');
    const step = Math.max(1, Math.round(30 / fps));
    const follow = !values['no-follow'];
    const ids = values.patients ? values.patients.split(',') : patientIds();
    const pipeline = await FacePipeline.create(defaultModelSet('var/models'));
    const patients = [];
    try {
      for (const id of ids) {
        const p = await loadPatient(id);
        const s = await cameraSubject(p);
        const natural = { pass: 0, msToLive: [] as number[], failedSeeds: [] as number[], outcomes: {} as Record<string, number> };
        const asked = { pass: 0, msToLive: [] as number[], failedSeeds: [] as number[], outcomes: {} as Record<string, number> };
        const count = (m: Record<string, number>, v: LivenessVerdict): void => { const k = `${v.state}${v.reason ? `:${v.reason}` : ''}`; m[k] = (m[k] ?? 0) + 1; };
        const spoofs: Partial<Record<string, Record<string, number>>> = {};
        let missed = 0;
        for (let seed = 1; seed <= seeds; seed++) {
          const live = await replay(new LiveFaceRenderer({ face: s.faceImage, eyes: s.face.eyes, seed }), pipeline, { step, follow });
          missed += live.missed;
          count(natural.outcomes, live.verdict);
          if (live.verdict.state === 'live') { natural.pass++; natural.msToLive.push(Math.round(live.liveAtMs ?? 0)); } else natural.failedSeeds.push(seed);
          // Asked to blink: no natural blink in the window (a long period), one deliberate blink.
          const r = new LiveFaceRenderer({ face: s.faceImage, eyes: s.face.eyes, seed, blinkPeriodSec: 60 });
          const reaction = 0.3 + 0.3 * seededRandom(seed)();
          const prompted = await replay(r, pipeline, { step, follow, onFirstFace: (i) => r.scheduleBlink(i / 30 + 0.1 + reaction, 0.3) });
          count(asked.outcomes, prompted.verdict);
          if (prompted.verdict.state === 'live') { asked.pass++; asked.msToLive.push(Math.round(prompted.liveAtMs ?? 0)); } else asked.failedSeeds.push(seed);
          for (const kind of SPOOFS) {
            const o = { photo: s.faceImage, seed };
            const spoof = await replay(kind === 'still' ? new StillPhotoRenderer(o) : new MovedPhotoRenderer({ ...o, presentation: kind }), pipeline, { step, follow });
            count(spoofs[kind] ??= {}, spoof.verdict);
          }
        }
        const spoofLive = Object.values(spoofs).reduce((n, m) => n + Object.entries(m ?? {}).filter(([k]) => k.startsWith('live')).reduce((a, [, v]) => a + v, 0), 0);
        patients.push({ id, seeds, natural, asked, spoofs, spoofLive, framesWithoutFace: missed });
        p.faceImage.data.fill(0);
        s.faceImage.data.fill(0);
        if (!values.json) ctx.stderr.write(`${id}: natural ${natural.pass}/${seeds}, asked ${asked.pass}/${seeds}, spoof live ${spoofLive}\n`);
      }
      const samples = values.spoof ? await runSpoofSamples(values.spoof, readdirSync(values.spoof), pipeline) : undefined;
      ctx.stdout.write(`${JSON.stringify({ follow, analysedFps: 30 / step, framesPerRun: Math.ceil(FRAMES / step), patients, ...(samples ? { spoofSamples: samples } : {}) }, null, values.json ? 0 : 2)}\n`);
      return 0;
    } finally {
      await pipeline.close();
    }
  },
};
