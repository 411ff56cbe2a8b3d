/**
 * `kaoreader bench face-accuracy --dataset DIR [--spoof DIR] [--json]`: verification accuracy
 * the way the reader meets faces. Every photo of the dev set (identities.json: lists of file
 * names per person) is turned into (a) a chip photo — greyscale 240×300 portrait, JPEG 2000
 * round trip, decoded by our OpenJPEG-wasm path — and (b) a colour 640×480 camera frame. Each
 * chip photo is scored against every other photo's camera frame: same person = genuine,
 * different = impostor. Reports FAR/FRR over thresholds, the threshold for FAR ≤ 0.1 % and
 * the FRR there, and the EER. Spoof samples (file names with F = spoof, T = real) are run
 * through the passive cues and a replayed-still sequence. Never writes the photos anywhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { decodeJpeg2000 } from '../../../firmware/face/enrol/jp2-decode.ts';
import { defaultModelSet } from '../../../firmware/face/pipeline/model-set.ts';
import { cosine, FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import { cameraFrame, chipPhoto, decodeRgb } from '../../../hardware-sim/face/face-material.ts';
import { runSpoofSamples } from './face-spoof.ts';

interface Scores { genuine: number[]; impostor: number[] }

export function rates(s: Scores, t: number): { far: number; frr: number } {
  return {
    far: s.impostor.filter((x) => x >= t).length / Math.max(1, s.impostor.length),
    frr: s.genuine.filter((x) => x < t).length / Math.max(1, s.genuine.length),
  };
}

/** Smallest threshold with FAR ≤ maxFar, and the EER point. */
export function calibrate(s: Scores, maxFar: number): { threshold: number; far: number; frr: number; eer: number; eerThreshold: number } {
  const candidates = [...new Set([...s.genuine, ...s.impostor])].sort((a, b) => a - b).map((x) => x + 1e-6);
  let best = { threshold: 1, far: 0, frr: 1 };
  for (const t of candidates) {
    const r = rates(s, t);
    if (r.far <= maxFar) { best = { threshold: t, ...r }; break; }
  }
  let eer = { eer: 1, eerThreshold: 1 };
  let gap = Number.POSITIVE_INFINITY;
  for (const t of candidates) {
    const r = rates(s, t);
    if (Math.abs(r.far - r.frr) < gap) { gap = Math.abs(r.far - r.frr); eer = { eer: (r.far + r.frr) / 2, eerThreshold: t }; }
  }
  return { ...best, ...eer };
}

export const faceAccuracyBench: Command = {
  name: 'face-accuracy',
  summary: 'FAR/FRR of chip photo vs camera frame on a labelled face set, and spoof samples',
  usage: `kaoreader bench face-accuracy --dataset DIR [--spoof DIR] [--max-far 0.001] [--json]

DIR holds identities.json (an array of arrays of file names, one array per person) and the
photos. --spoof DIR holds liveness samples named *_F*.jpg (spoof) and *_T*.jpg (real); by default
the "spoof-samples" directory next to DIR when it exists.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { dataset: { type: 'string' }, spoof: { type: 'string' }, 'max-far': { type: 'string' }, json: { type: 'boolean' } });
    if (!values.dataset) throw new UsageError('--dataset DIR is required');
    const dir = values.dataset;
    const maxFar = Number(values['max-far'] ?? '0.001');
    const identities = JSON.parse(readFileSync(join(dir, 'identities.json'), 'utf8')) as unknown;
    if (!Array.isArray(identities) || !identities.every((g) => Array.isArray(g) && g.every((f) => typeof f === 'string'))) throw new UsageError('identities.json must be an array of arrays of file names');
    const people = identities as string[][];

    const cache = 'var/models';
    const finder = await FacePipeline.create({ ...defaultModelSet(cache), detector: { ...defaultModelSet(cache).detector, inputSize: 608 } });
    const pipeline = await FacePipeline.create(defaultModelSet(cache));
    const probes: { person: number; file: string; emb: Float32Array }[] = [];
    const enrolled: { person: number; file: string; emb: Float32Array }[] = [];
    const failures: { file: string; stage: string }[] = [];
    for (const [person, files] of people.entries()) {
      for (const file of files) {
        const image = await decodeRgb(join(dir, file));
        const found = await finder.analyse({ ...image, channels: 3 }, { embed: false });
        const face = found.primary?.box;
        if (!face) { failures.push({ file, stage: 'find' }); continue; }
        const frame = await cameraFrame(image, face);
        const probe = await pipeline.analyse({ ...frame, channels: 3 }, { embed: true });
        if (probe.embedding) probes.push({ person, file, emb: probe.embedding });
        else failures.push({ file, stage: 'probe' });
        const chip = await decodeJpeg2000(await chipPhoto(image, face));
        const enrol = await pipeline.analyse(chip, { embed: true });
        if (enrol.embedding) enrolled.push({ person, file, emb: enrol.embedding });
        else failures.push({ file, stage: 'enrol' });
        image.data.fill(0);
        frame.data.fill(0);
        chip.data.fill(0);
      }
    }
    const scores: Scores = { genuine: [], impostor: [] };
    const hardest = { genuine: { score: 1, pair: '' }, impostor: { score: -1, pair: '' } };
    for (const e of enrolled) {
      for (const p of probes) {
        if (p.file === e.file) continue;
        const s = cosine(e.emb, p.emb);
        if (p.person === e.person) {
          scores.genuine.push(s);
          if (s < hardest.genuine.score) hardest.genuine = { score: s, pair: `${e.file}→${p.file}` };
        } else {
          scores.impostor.push(s);
          if (s > hardest.impostor.score) hardest.impostor = { score: s, pair: `${e.file}→${p.file}` };
        }
      }
    }
    const cal = calibrate(scores, maxFar);
    const table = [0.9, 0.91, 0.92, 0.93, 0.94, 0.945, 0.95, 0.955, 0.96].map((t) => ({ threshold: t, ...rates(scores, t) }));
    const spoofDir = values.spoof ?? join(dirname(dir.replace(/\/$/, '')), 'spoof-samples');
    const spoof = existsSync(spoofDir) && statSync(spoofDir).isDirectory() ? await runSpoofSamples(spoofDir, readdirSync(spoofDir), pipeline) : undefined;
    await finder.close();
    await pipeline.close();
    const result = {
      people: people.length,
      photos: people.flat().length,
      enrolled: enrolled.length,
      probes: probes.length,
      failures,
      pairs: { genuine: scores.genuine.length, impostor: scores.impostor.length },
      calibration: { maxFar, ...cal },
      hardest,
      table,
      spoof,
    };
    ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
    return 0;
  },
};
