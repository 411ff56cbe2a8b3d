/**
 * `kaoreader bench face-liveness [--seeds N] [--fps F] [--patients a,b] [--attacks a,b|none] [challenge options] [--replay-draws D] [--spoof DIR] [--json]`:
 * the liveness challenge against live patients and presentation attacks, through the real
 * FaceVerifier and pipeline on virtual time (liveness-session.ts), so the result does not depend on
 * how busy the machine is. Per patient and seed: the patient live, reading the screen and doing what
 * it asks (PromptReaction: 300–600 ms to react); then every attack of liveness-attacks.ts, the
 * attacker reading the same screen and doing what their material allows. The replayed recording
 * is the patient's live session of the next seed (their natural blinks and their answers to that
 * session's challenge). A live run passes when the decision is a match; an attack passes when the
 * decision is a match or liveness judged it live. Analysed frames/s: `--fps` (default 15, what the
 * worker manages on a loaded 2-core board at 30 fps camera). `--spoof DIR` also replays the spoof
 * samples (file names with _F = spoof, _T = real). The challenge is the product's unless changed
 * (challenge-options.ts: steps, blinks, waits, window, re-cues, budget), so configurations can be
 * compared; each live session, recorded and replayed, is also judged against D fresh challenges
 * (replay-draws.ts), beside the analytic bound `replayChanceBound`.
 */
import { readdirSync } from 'node:fs';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { replayChanceBound, sequenceCount } from '../../../firmware/face/liveness/challenge.ts';
import { defaultModelSet } from '../../face-models.ts';
import { FacePipeline } from '../../../firmware/face/pipeline/pipeline.ts';
import { LiveFaceRenderer } from '../../../hardware-sim/camera/live-face.ts';
import { loadPatient, patientIds, type LoadedPatient } from '../../../hardware-sim/patients/load-patient.ts';
import { cameraSubject } from '../../simulator/camera-subject.ts';
import { chipPhotoOf } from '../../simulator/sim-card.ts';
import { percentile } from './face.ts';
import { runSpoofSamples } from './face-spoof.ts';
import { ATTACKS, makeAttack, type AttackName } from './liveness-attacks.ts';
import { liveBody, runSession, type Done, type SessionResult } from './liveness-session.ts';
import { onnxInference } from '../../../firmware/platform/onnx-runtime.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';
import { CHALLENGE_OPTIONS, CHALLENGE_USAGE, challengeOf } from './challenge-options.ts';
import { captureSamples, judgeDraws, timelineOf } from './replay-draws.ts';

/** A recorded session lasts this much longer than its decision (the attacker kept filming). */
const RECORDING_TAIL_SEC = 2;

const outcomeOf = (r: SessionResult): string => `${r.decision.outcome}:${r.decision.reason}`;

function attacksOf(list: string | undefined): readonly AttackName[] {
  if (list === undefined) return ATTACKS;
  if (list === 'none') return [];
  const isAttack = (n: string): n is AttackName => (ATTACKS as readonly string[]).includes(n);
  const names = list.split(',');
  const unknown = names.filter((n) => !isAttack(n));
  if (unknown.length) throw new UsageError(`--attacks: unknown ${unknown.join(', ')} (known: ${ATTACKS.join(', ')}, or none)`);
  return names.filter(isAttack);
}

export const faceLivenessBench: Command = {
  name: 'face-liveness',
  summary:
    'liveness challenge: live patients and presentation attacks (replay, bent photo, cut-out eyes, screen video…) through the verifier',
  usage: `kaoreader bench face-liveness [--seeds N] [--fps F] [--patients a,b] [--attacks a,b|none] [challenge options] [--replay-draws D] [--spoof DIR] [--json]

Per patient and seed 1..N (default 10): the patient live answering the challenge, then the attacks
${ATTACKS.join(', ')} (or those --attacks names; none: live only); the verifier's decision budget, virtual time at F analysed frames/s (default 15).
Each live session, recorded and replayed, is also judged against D fresh challenges (default 1000; 0: none).
${CHALLENGE_USAGE}`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      seeds: { type: 'string' },
      fps: { type: 'string' },
      patients: { type: 'string' },
      attacks: { type: 'string' },
      spoof: { type: 'string' },
      json: { type: 'boolean' },
      'replay-draws': { type: 'string' },
      ...CHALLENGE_OPTIONS,
    });
    const seeds = Number(values.seeds ?? '10');
    const fps = Number(values.fps ?? '15');
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1000) throw new UsageError('--seeds must be an integer from 1 to 1000');
    if (!(fps > 0 && fps <= 30)) throw new UsageError('--fps must be in (0, 30]');
    const analysisMs = 1000 / fps;
    const ids = values.patients ? values.patients.split(',') : patientIds();
    const attackNames = attacksOf(values.attacks);
    const { challenge, budgetMs } = challengeOf(values);
    const draws = Number(values['replay-draws'] ?? '1000');
    if (!Number.isInteger(draws) || draws < 0 || draws > 100_000)
      throw new UsageError('--replay-draws must be an integer from 0 to 100000');
    const replayDraws = {
      recordings: 0,
      draws: 0,
      passes: 0,
      outcomes: {} as Record<string, number>,
      mostSequencesPassedByOneRecording: 0,
    };
    const drawRandom = seededRandom(4242);
    const pipeline = await FacePipeline.create(defaultModelSet('var/models', { threads: 1 }), onnxInference);
    const live = {
      runs: 0,
      passes: 0,
      msToDecision: [] as number[],
      outcomes: {} as Record<string, number>,
      cues: {} as Record<string, number>,
      misses: [] as { patient: string; seed: number; outcome: string; cues: readonly string[] }[],
    };
    const attacks = Object.fromEntries(
      attackNames.map((a) => [a, { runs: 0, passes: 0, outcomes: {} as Record<string, number> }]),
    ) as Partial<Record<AttackName, { runs: number; passes: number; outcomes: Record<string, number> }>>;
    const count = (m: Record<string, number>, k: string): void => {
      m[k] = (m[k] ?? 0) + 1;
    };
    const loaded: LoadedPatient[] = [];
    try {
      for (const id of ids) {
        const p = await loadPatient(id);
        loaded.push(p);
        const subject = await cameraSubject(p);
        const all = patientIds();
        const other = await cameraSubject(await loadPatient(all[(all.indexOf(id) + 1) % all.length]!));
        const chip = await chipPhotoOf(p);
        const sessions: { seed: number; done: readonly Done[]; seconds: number }[] = [];
        for (let seed = 1; seed <= seeds; seed++) {
          const face = new LiveFaceRenderer({ face: subject.faceImage, eyes: subject.face.eyes, seed, blinkPeriodSec: 3 });
          const r = await runSession(pipeline, { scene: face, body: liveBody(face), chip, seed, analysisMs, budgetMs, challenge });
          live.runs++;
          count(live.outcomes, outcomeOf(r));
          for (const c of r.cues) count(live.cues, c);
          if (r.decision.outcome === 'match') {
            live.passes++;
            live.msToDecision.push(r.decision.elapsedMs ?? 0);
          } else live.misses.push({ patient: id, seed, outcome: outcomeOf(r), cues: r.cues });
          sessions.push({ seed, done: r.done, seconds: (r.decision.elapsedMs ?? 3000) / 1000 + RECORDING_TAIL_SEC });
          if (draws > 0) {
            // This session, recorded and replayed, against `draws` fresh challenges (replay-draws.ts).
            const recording = { actions: r.done, seed, seconds: sessions.at(-1)!.seconds };
            const scene = makeAttack('replay', { subject, photo: p.faceImage, photoEyes: p.face.eyes, other, seed, recording }).scene;
            const samples = await captureSamples(pipeline, scene, { analysisMs, seconds: budgetMs / 1000 + 0.5 });
            const d = judgeDraws(timelineOf(samples), { draws, budgetMs, challenge, random: (max) => Math.floor(drawRandom() * max) });
            replayDraws.recordings++;
            replayDraws.draws += d.draws;
            replayDraws.passes += d.passes;
            replayDraws.mostSequencesPassedByOneRecording = Math.max(
              replayDraws.mostSequencesPassedByOneRecording,
              d.sequencesPassed.length,
            );
            for (const [k, v] of Object.entries(d.outcomes)) replayDraws.outcomes[k] = (replayDraws.outcomes[k] ?? 0) + v;
          }
        }
        for (let seed = 1; seed <= seeds; seed++) {
          const recorded = sessions[seed % sessions.length]!;
          for (const name of attackNames) {
            const material = {
              subject,
              photo: p.faceImage,
              photoEyes: p.face.eyes,
              other,
              seed,
              recording: { actions: recorded.done, seed: recorded.seed, seconds: recorded.seconds },
            };
            const attack = makeAttack(name, material);
            const r = await runSession(pipeline, {
              scene: attack.scene,
              ...(attack.body ? { body: () => attack.body! } : {}),
              chip,
              seed: seed + 500,
              analysisMs,
              budgetMs,
              challenge,
            });
            const a = attacks[name]!;
            a.runs++;
            count(a.outcomes, outcomeOf(r));
            if (r.decision.outcome === 'match' || r.decision.liveness?.state === 'live') a.passes++;
          }
        }
        subject.faceImage.data.fill(0);
        other.faceImage.data.fill(0);
        if (!values.json) ctx.stderr.write(`${id}: live ${live.passes}/${live.runs} so far\n`);
      }
      const samples = values.spoof ? await runSpoofSamples(values.spoof, readdirSync(values.spoof), pipeline) : undefined;
      const spoofPasses = Object.values(attacks).reduce((n, a) => n + (a?.passes ?? 0), 0);
      const result = {
        analysedFps: fps,
        budgetMs,
        challenge,
        sequences: sequenceCount(challenge),
        replayChanceBound: replayChanceBound(challenge),
        ...(replayDraws.recordings ? { replayDraws: { ...replayDraws, rate: replayDraws.passes / Math.max(1, replayDraws.draws) } } : {}),
        patients: ids,
        seeds,
        live: {
          runs: live.runs,
          passes: live.passes,
          rate: Math.round((live.passes / Math.max(1, live.runs)) * 1e4) / 1e4,
          msToDecision: {
            p50: percentile(live.msToDecision, 0.5),
            p95: percentile(live.msToDecision, 0.95),
            max: Math.max(0, ...live.msToDecision),
          },
          outcomes: live.outcomes,
          cues: live.cues,
          misses: live.misses,
        },
        attacks,
        targets: {
          attacksPass: { target: '0', met: spoofPasses === 0 },
          replayChanceBound: {
            target: '≤ 0.1 %',
            met: replayChanceBound(challenge) <= 0.001 && replayDraws.passes <= 0.001 * replayDraws.draws,
          },
          livePass: {
            target: `≥ 98 % within the ${budgetMs} ms budget`,
            met: live.passes / Math.max(1, live.runs) >= 0.98,
          },
        },
        ...(samples ? { spoofSamples: samples } : {}),
      };
      ctx.stdout.write(`${JSON.stringify(result, null, values.json ? 2 : 0)}\n`);
      return 0;
    } finally {
      for (const p of loaded) p.faceImage.data.fill(0);
      await pipeline.close();
    }
  },
};
