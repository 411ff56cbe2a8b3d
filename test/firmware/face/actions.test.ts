/**
 * Deliberate actions from made-up frame measurements: a blink held on request is one, a
 * spontaneous blink is not (at 15 and 30 analysed frames/s); a head turn is one, its side the
 * patient's own (nose towards image right = their left), its onset where the head left rest, also
 * when sparse frames (4/s) see a quick turn beyond the threshold on one sample only; eyes that look
 * closed while the head turns are not a blink. Glances at the camera frames between sparse samples
 * time a blink at camera rate: one held on request is then deliberate at 4 analysed frames/s, a
 * spontaneous one is not, and one across which the head moved is unsure.
 */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { ActionDetector, DEFAULT_ACTION_POLICY, type ActionEvent } from '../../../firmware/face/liveness/actions.ts';
import type { LivenessSample } from '../../../firmware/face/liveness/liveness.ts';
import type { Point } from '../../../firmware/face/pipeline/geometry.ts';
import { similarityResidual } from '../../../firmware/face/liveness/planar.ts';

const SHAPE: Point[] = Array.from({ length: 68 }, (_, i) => [100 + 40 * Math.cos(i * 0.37) + i * 0.5, 120 + 50 * Math.sin(i * 0.61)]);

/** A frame at `at` ms with the eyes `closed` (the eye region as bright as the cheeks) and the yaw proxy at `yaw`. */
function sample(at: number, closed: boolean, yaw = 0.02): LivenessSample {
  return {
    at,
    face: {
      box: { x: 60, y: 60, width: 100, height: 120, score: 0.9 },
      landmarks: SHAPE,
      pose: { yaw, pitch: 0.5, roll: 0 },
      ear: closed ? 0.15 : 0.3,
      stats: {
        faceLuma: 120,
        surroundLuma: 110,
        frameLuma: 115,
        sharpness: 60,
        mouthTexture: 1,
        eyeBrightness: closed ? 0.95 : 0.7,
        clipped: 0,
      },
    },
  };
}

/** Runs frames every `ms` for `n` frames; `closed(i)` / `yaw(i)` describe frame i. */
function run(ms: number, n: number, closed: (i: number) => boolean, yaw: (i: number) => number = () => 0.02): ActionEvent[] {
  const d = new ActionDetector();
  const out: ActionEvent[] = [];
  for (let i = 0; i < n; i++) out.push(...d.add(sample(i * ms, closed(i), yaw(i))));
  return out.filter((e) => !e.unsure);
}

test('a blink held 300 ms is deliberate, at 15 and at 30 frames/s', () => {
  for (const ms of [1000 / 15, 1000 / 30]) {
    const start = Math.round(1000 / ms);
    const frames = Math.round(300 / ms);
    const events = run(ms, 3 * start, (i) => i >= start && i < start + frames);
    assert.equal(events.length, 1, `${ms} ms: ${JSON.stringify(events)}`);
    assert.equal(events[0]!.kind, 'blink');
    assert.ok(Math.abs(events[0]!.onset - start * ms) < 1, 'onset at the first closed frame');
    assert.ok(Math.abs(events[0]!.after - (start - 1) * ms) < 1, 'begun after the frame before it');
  }
});

test('a spontaneous blink (lids down ≈ 100 ms) is not', () => {
  assert.deepEqual(
    run(1000 / 30, 60, (i) => i >= 20 && i < 23),
    [],
  );
  assert.deepEqual(
    run(1000 / 15, 30, (i) => i === 12),
    [],
  );
  assert.deepEqual(
    run(1000 / 15, 30, (i) => i === 12 || i === 13),
    [],
    'two samples at 15 frames/s: still under 150 ms',
  );
});

test('sparse frames: only a blink seen closed ≥ 150 ms (first closed sample to last) is deliberate; an unknown duration is not', () => {
  /** Samples at the times given, closed at those in `closedAt`. */
  const at = (times: readonly number[], closedAt: readonly number[]): ActionEvent[] => {
    const d = new ActionDetector();
    return times.flatMap((t) => d.add(sample(t, closedAt.includes(t))));
  };
  const sure = (events: ActionEvent[]): ActionEvent[] => events.filter((e) => !e.unsure);
  const every400 = Array.from({ length: 12 }, (_, i) => i * 400);
  const one = at(every400, [2000]);
  assert.deepEqual(sure(one), [], 'one closed sample between open samples 400 ms apart: a blink of unknown length');
  assert.deepEqual(
    one.map((e) => [e.kind, e.unsure]),
    [['blink', true]],
    'reported as unsure (the judge lets it neither answer nor refuse)',
  );
  const two = sure(at(every400, [2000, 2400]));
  assert.equal(two.length, 1, 'two closed samples 400 ms apart: closed at least 400 ms');
  assert.deepEqual([two[0]!.kind, two[0]!.onset, two[0]!.after], ['blink', 2000, 1600]);
  const uneven = [0, 100, 200, 300, 400, 500, 600, 900, 1020, 1400, 1500, 1600];
  assert.deepEqual(sure(at(uneven, [900, 1020])), [], 'seen closed for 120 ms, open samples 800 ms apart around it');
  assert.equal(sure(at(uneven, [900, 1020, 1400])).length, 1, 'seen closed from 900 to 1,400');
  assert.deepEqual(
    at(
      Array.from({ length: 30 }, (_, i) => i * 50),
      [600],
    ),
    [],
    'open samples 100 ms apart: surely spontaneous, no event',
  );
});

test("a head turn, to the patient's left or right, from where the head left rest", () => {
  const ramp =
    (sign: number) =>
    (i: number): number =>
      0.02 + sign * Math.max(0, Math.min(0.2, (i - 15) * 0.05));
  const left = run(1000 / 15, 30, () => false, ramp(1));
  assert.equal(left.length, 1);
  assert.equal(left[0]!.kind, 'turn-left');
  assert.ok(Math.abs(left[0]!.onset - 16 * (1000 / 15)) < 1, `onset ${left[0]!.onset}`);
  assert.ok(Math.abs(left[0]!.after - 15 * (1000 / 15)) < 1, `begun after the last still frame, ${left[0]!.after}`);
  const right = run(1000 / 15, 30, () => false, ramp(-1));
  assert.equal(right[0]?.kind, 'turn-right');
  assert.deepEqual(
    run(
      1000 / 15,
      30,
      () => false,
      (i) => 0.02 + 0.01 * Math.sin(i),
    ),
    [],
    'sway is not a turn',
  );
});

test("a turn is judged from the patient's own resting pose: a head already turned to one side turns further that way", () => {
  // Photos whose head already points aside at rest (yaw proxy +0.17, −0.13): a further 30° turn to
  // that side moves the proxy by only 0.07–0.09, the other side by 0.2 and more.
  const further =
    (rest: number, by: number) =>
    (i: number): number =>
      rest + Math.sign(by) * Math.max(0, Math.min(Math.abs(by), (i - 15) * 0.03));
  assert.deepEqual(
    run(1000 / 15, 30, () => false, further(0.17, 0.07)).map((e) => e.kind),
    ['turn-left'],
  );
  assert.deepEqual(
    run(1000 / 15, 30, () => false, further(-0.13, -0.09)).map((e) => e.kind),
    ['turn-right'],
  );
  // The same small change towards the other side, from a head facing the camera, is no turn.
  assert.deepEqual(
    run(1000 / 15, 30, () => false, further(0.17, -0.07)),
    [],
    'back towards the camera by 0.07',
  );
  assert.deepEqual(
    run(1000 / 15, 30, () => false, further(0.02, 0.07)),
    [],
    'from a head facing the camera',
  );
  // Jitter of a head at rest to one side, one sample out of line included, is no turn.
  const jitter = (i: number): number => 0.17 + 0.03 * Math.sin(i * 1.7) + (i === 20 ? 0.07 : 0);
  assert.deepEqual(
    run(1000 / 15, 45, () => false, jitter),
    [],
  );
});

test('the resting pose is the one before the turn began: a slow start does not drag it along', () => {
  // A head resting at +0.17 turns further left slowly (half-sine over 1.2 s, peak +0.065): the first
  // 300 ms move the proxy less than the rest band, and must not become the new rest.
  const slow = (i: number): number => {
    const t = (i - 20) / 18;
    return 0.17 + (t > 0 && t < 1 ? 0.065 * Math.sin(Math.PI * t) : 0);
  };
  assert.deepEqual(
    run(1000 / 15, 45, () => false, slow).map((e) => e.kind),
    ['turn-left'],
  );
});

test('eyes that look closed while the head is turned are not a blink', () => {
  const yaw = (i: number): number => (i >= 15 && i < 30 ? 0.2 : 0.02);
  const events = run(1000 / 15, 45, (i) => i >= 18 && i < 24, yaw);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['turn-left'],
  );
});

/**
 * watanabe-emi (bench face-liveness, seed 3): her head rests turned to her left (yaw proxy ≈ +0.16)
 * and, asked to turn left, she turns to ≈ +0.26; a spontaneous blink while she holds the turn
 * (6733–6800 ms: eyes bright, EAR down) drops the proxy to +0.187 for one sample. These are the
 * pipeline's own measures of her frames ([ms, yaw, eye brightness, EAR]).
 */
const RESTING_TURNED_BLINK: readonly (readonly [number, number, number, number])[] = [
  [5067, 0.166, 0.72, 0.33],
  [5133, 0.166, 0.719, 0.331],
  [5200, 0.166, 0.719, 0.33],
  [5267, 0.167, 0.72, 0.33],
  [5333, 0.164, 0.719, 0.331],
  [5400, 0.167, 0.72, 0.331],
  [5467, 0.166, 0.721, 0.33],
  [5533, 0.167, 0.721, 0.331],
  [5600, 0.161, 0.722, 0.33],
  [5667, 0.156, 0.721, 0.329],
  [5733, 0.156, 0.722, 0.329],
  [5800, 0.156, 0.723, 0.329],
  [5867, 0.154, 0.721, 0.328],
  [5933, 0.157, 0.723, 0.329],
  [6000, 0.154, 0.722, 0.329],
  [6067, 0.162, 0.725, 0.327],
  [6133, 0.173, 0.736, 0.331],
  [6200, 0.196, 0.743, 0.333],
  [6267, 0.207, 0.752, 0.33],
  [6333, 0.234, 0.761, 0.335],
  [6400, 0.241, 0.766, 0.334],
  [6467, 0.253, 0.773, 0.336],
  [6533, 0.265, 0.78, 0.336],
  [6600, 0.255, 0.783, 0.335],
  [6667, 0.258, 0.783, 0.33],
  [6733, 0.23, 0.861, 0.307],
  [6800, 0.187, 0.805, 0.31],
  [6867, 0.225, 0.766, 0.332],
  [6933, 0.25, 0.759, 0.337],
];

/** Feeds a patient's recorded measures ([ms, yaw, eye brightness, EAR]) to `d`; the events it found. */
function replay(d: ActionDetector, rows: readonly (readonly [number, number, number, number])[]): ActionEvent[] {
  const events: ActionEvent[] = [];
  for (const [at, yaw, eye, ear] of rows) {
    const s = sample(at, false, yaw);
    events.push(...d.add({ ...s, face: { ...s.face, ear, stats: { ...s.face.stats, eyeBrightness: eye } } }));
  }
  return events;
}

test('a blink while a head resting turned holds its turn does not end the turn (one turn, not two)', () => {
  const d = new ActionDetector();
  const events = replay(d, RESTING_TURNED_BLINK);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['turn-left'],
  );
  assert.ok(d.turning, 'still turned');
});

test('a turn ends when the head is back at rest for two samples: then another may follow', () => {
  // Out and back twice, 1 s apart, from a head resting turned (+0.16).
  const twice = (i: number): number => 0.16 + (i >= 15 && i < 25 ? 0.1 : 0) + (i >= 40 && i < 50 ? 0.1 : 0);
  assert.deepEqual(
    run(1000 / 15, 60, () => false, twice).map((e) => e.kind),
    ['turn-left', 'turn-left'],
  );
});

test('a photo held turned, still, is no turn: there is nothing to judge a turn from but its own pose', () => {
  for (const pose of [0.25, -0.25, 0.4]) {
    const held = (i: number): number => pose + 0.015 * Math.sin(i * 1.3);
    assert.deepEqual(
      run(1000 / 15, 90, () => false, held),
      [],
      `held at ${pose}`,
    );
    // Held turned with a blink drawn on it (cut-out eyes): a blink, and still no turn.
    const kinds = run(1000 / 15, 90, (i) => i >= 40 && i < 46, held).map((e) => e.kind);
    assert.deepEqual(kinds, ['blink'], `held at ${pose}, blinking`);
  }
});

/**
 * takahashi-mei (bench face-liveness at --fps 4, the pipeline's own measures, [ms, yaw, eye
 * brightness, EAR]) asked to turn right: 30° and back in 1.2 s, from a head resting at ≈ +0.046.
 * One sample only (2733 ms, −0.135 from rest) lies beyond the 0.12 threshold; the ones either side
 * are on the way out and back.
 */
const QUICK_TURN_AT_4FPS: readonly (readonly [number, number, number, number])[] = [
  [0, 0.045, 0.609, 0.339],
  [233, 0.048, 0.609, 0.339],
  [500, 0.044, 0.615, 0.331],
  [733, 0.046, 0.614, 0.335],
  [1000, 0.043, 0.616, 0.337],
  [1233, 0.049, 0.608, 0.339],
  [1500, 0.036, 0.609, 0.332],
  [1733, 0.033, 0.608, 0.335],
  [2000, 0.032, 0.607, 0.335],
  [2233, -0.001, 0.609, 0.342],
  [2500, -0.059, 0.667, 0.342],
  [2733, -0.089, 0.701, 0.343],
  [3000, -0.051, 0.647, 0.33],
  [3233, 0.019, 0.612, 0.334],
  [3500, 0.045, 0.606, 0.337],
  [3733, 0.042, 0.609, 0.334],
  [4000, 0.039, 0.61, 0.334],
  [4233, 0.043, 0.608, 0.336],
];

test('sparse frames (4/s): a quick turn seen beyond the threshold on one sample, between samples on the way out and back, is a turn', () => {
  const events = replay(new ActionDetector(), QUICK_TURN_AT_4FPS);
  assert.deepEqual(
    events.map((e) => [e.kind, e.onset, e.after]),
    [['turn-right', 2233, 2000]],
  );
});

test('sparse frames (4/s): one sample out of line, of a still head or a photo held turned, is no turn; three frames out at 15/s are none either', () => {
  for (const pose of [0.02, 0.25, -0.25, 0.4]) {
    for (const out of [0.2, -0.2]) {
      const glitch = (i: number): number => pose + 0.015 * Math.sin(i * 1.3) + (i === 12 ? out : 0);
      assert.deepEqual(
        run(250, 24, () => false, glitch),
        [],
        `still at ${pose}, one sample ${out} out`,
      );
      // Its neighbours moved by jitter, not quite out of rest.
      const near = (i: number): number => pose + (i === 12 ? out : i === 11 || i === 13 ? Math.sign(out) * 0.035 : 0);
      assert.deepEqual(
        run(250, 24, () => false, near),
        [],
        `still at ${pose}, one sample ${out} out, its neighbours 0.035`,
      );
    }
  }
  // Out, beyond and back within three frames at 15/s (200 ms): no head turns so; two samples beyond are needed there.
  const blip = (i: number): number => 0.02 + (i === 20 ? 0.2 : i === 19 || i === 21 ? 0.07 : 0);
  assert.deepEqual(
    run(1000 / 15, 40, () => false, blip),
    [],
  );
});

test('frames missing while the eyes are shut: the blinks ending are one or more, their count unknown (unsure)', () => {
  // sato-hanako asked to blink twice on a loaded machine (scenario face-ok): no frame from 102,529
  // to 103,229 ms, where her first blink ended and her second began. The pipeline's measures of
  // her frames ([ms, eye brightness, EAR]); the eyes look shut from 102,429 to 103,262.
  const frames: readonly (readonly [number, number, number])[] = [
    ...Array.from({ length: 12 }, (_, i) => [101_995 + i * 33, 0.656, 0.373] as const),
    [102_395, 0.651, 0.374],
    [102_429, 0.776, 0.338],
    [102_462, 0.77, 0.336],
    [102_529, 0.775, 0.335],
    [103_229, 0.773, 0.337],
    [103_262, 0.775, 0.336],
    [103_295, 0.654, 0.37],
    [103_329, 0.656, 0.374],
  ];
  const d = new ActionDetector();
  const events: ActionEvent[] = [];
  for (const [at, eye, ear] of frames) {
    const s = sample(at, false, -0.2);
    events.push(...d.add({ ...s, face: { ...s.face, ear, stats: { ...s.face.stats, eyeBrightness: eye } } }));
  }
  assert.deepEqual(
    events.map((e) => [e.kind, e.unsure === true]),
    [['blink', true]],
  );
  // The same closure seen on every frame (no gap) is one deliberate blink, counted.
  const seen = run(1000 / 30, 60, (i) => i >= 20 && i < 45);
  assert.deepEqual(
    seen.map((e) => e.kind),
    ['blink'],
  );
});

/**
 * Samples at 4/s and, between them, glances at every other camera frame (30/s); the eyes closed
 * from `from` to `to` ms (glance eye brightness 0.65 open, 0.78 closed: the simulated face's
 * values). `shifted(i)`: sample i's landmarks moved right by that share of the eye distance.
 */
function sparse(from: number, to: number, shifted: (i: number) => number = () => 0): ActionEvent[] {
  const d = new ActionDetector();
  const out: ActionEvent[] = [];
  const closedAt = (t: number): boolean => t >= from && t <= to;
  const [a, b, c, e] = [SHAPE[36]!, SHAPE[39]!, SHAPE[42]!, SHAPE[45]!];
  const iod = Math.hypot(c[0] + e[0] - a[0] - b[0], c[1] + e[1] - a[1] - b[1]);
  for (let i = 0; i < 16; i++) {
    const at = i * 250;
    const s = sample(at, closedAt(at));
    const dx = (shifted(i) * iod) / 2;
    out.push(...d.add({ ...s, face: { ...s.face, landmarks: SHAPE.map(([x, y]) => [x + dx, y] as const) } }));
    for (let k = 1; k < 8; k++) {
      const t = at + (k * 1000) / 30;
      d.glance({ at: t, eyeBrightness: closedAt(t) ? 0.78 : 0.65 + 0.005 * (k % 3) });
    }
  }
  return out;
}

test('sparse frames (4/s) with glances between: a blink held 300 ms is deliberate, its onset at the first closed glance', () => {
  // The lids down from 1,530 to 1,830 ms: no sample sees them closed (samples at 1,500 and 1,750 … 1,750 does).
  for (const [from, to] of [
    [1530, 1830],
    [1510, 1740],
  ] as const) {
    const events = sparse(from, to);
    assert.deepEqual(
      events.map((e) => [e.kind, e.unsure === true]),
      [['blink', false]],
      `${from}–${to}`,
    );
    assert.ok(events[0]!.onset >= from && events[0]!.onset - from < 34, 'onset at the first closed glance');
    assert.ok(events[0]!.after < from, 'begun after the observation before it');
  }
});

test('sparse frames (4/s) with glances between: a spontaneous blink (lids down ≈ 70 ms) is no action at all', () => {
  assert.deepEqual(sparse(1540, 1610), []);
  // Seen on a sample and a glance (1,750 and 1,783 ms): still under 150 ms.
  assert.deepEqual(sparse(1740, 1800), []);
});

test('sparse frames (4/s) with glances between: a blink across which the head moved is unsure (the glances may have missed the eyes)', () => {
  const moved = sparse(1530, 1830, (i) => (i >= 8 ? DEFAULT_ACTION_POLICY.maxGlanceShift * 1.5 : 0));
  assert.deepEqual(
    moved.map((e) => [e.kind, e.unsure === true]),
    [['blink', true]],
  );
});

test('a turn whose slow start looked like rest ends when the head is back where it rested before (15 frames/s)', () => {
  // watanabe-emi (bench face-liveness --fps 15, seed 10), resting turned to her left: a 30° turn
  // further left moves the proxy little and unevenly, so the turn is recognised late and its first
  // samples stayed in the resting history. Re-estimated from them while the turn was under way,
  // the rest moved towards the turn and the head back home was never "back": every later cue waited.
  const turn = [0.17, 0.181, 0.196, 0.216, 0.228, 0.219, 0.205, 0.207, 0.209, 0.224, 0.224, 0.229, 0.246, 0.254, 0.226, 0.212, 0.199];
  const yaw = (i: number): number => {
    const k = i < 90 ? i - 30 : i - 90;
    return k >= 0 && k < turn.length ? turn[k]! : 0.168 + 0.002 * Math.sin(i);
  };
  const events = run(1000 / 15, 150, () => false, yaw);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['turn-left', 'turn-left'],
  );
});

/**
 * watanabe-emi (bench face-liveness --fps 15, seed 8), resting turned to her left (yaw proxy
 * ≈ +0.167), asked to turn left at 9,533 ms: the proxy reaches +0.220 (0.053 from rest) for one
 * sample and the landmarks then lag the turn (back to +0.20–0.22), while the eye regions take in
 * the skin beside the eyes and brighten slowly (0.72 → 0.78 over 400 ms, the EAR unchanged). The
 * pipeline's own measures of her frames ([ms, yaw, eye brightness, EAR]).
 */
const RESTING_TURNED_TURN: readonly (readonly [number, number, number, number])[] = [
  [8600, 0.174, 0.719, 0.33],
  [8667, 0.173, 0.719, 0.33],
  [8733, 0.173, 0.719, 0.331],
  [8800, 0.174, 0.719, 0.331],
  [8867, 0.173, 0.719, 0.331],
  [8933, 0.172, 0.718, 0.33],
  [9000, 0.174, 0.718, 0.33],
  [9067, 0.169, 0.72, 0.33],
  [9133, 0.17, 0.719, 0.331],
  [9200, 0.169, 0.719, 0.331],
  [9267, 0.168, 0.719, 0.33],
  [9333, 0.167, 0.718, 0.331],
  [9400, 0.166, 0.718, 0.331],
  [9467, 0.163, 0.718, 0.331],
  [9533, 0.167, 0.718, 0.332],
  [9600, 0.167, 0.717, 0.332],
  [9667, 0.164, 0.718, 0.332],
  [9733, 0.165, 0.718, 0.331],
  [9800, 0.165, 0.718, 0.331],
  [9867, 0.165, 0.718, 0.332],
  [9933, 0.167, 0.718, 0.331],
  [10000, 0.166, 0.719, 0.331],
  [10067, 0.167, 0.72, 0.331],
  [10133, 0.163, 0.72, 0.33],
  [10200, 0.162, 0.725, 0.327],
  [10267, 0.174, 0.736, 0.331],
  [10333, 0.184, 0.742, 0.333],
  [10400, 0.199, 0.751, 0.331],
  [10467, 0.22, 0.76, 0.333],
  [10533, 0.211, 0.771, 0.332],
  [10600, 0.199, 0.774, 0.327],
  [10667, 0.204, 0.782, 0.329],
  [10733, 0.209, 0.783, 0.33],
  [10800, 0.218, 0.785, 0.331],
  [10867, 0.205, 0.782, 0.326],
  [10933, 0.215, 0.777, 0.327],
  [11000, 0.215, 0.745, 0.33],
];

test('a head resting turned, turning further that way: a turn, its onset where the head left rest (the threshold is fitted to such turns)', () => {
  // Before: threshold 0.12 × (1 − 0.167 / 0.3) = 0.053 (floor 0.05), not reached on two samples
  // in a row, and the eyes' slow brightening was taken for a blink (a live patient refused).
  const events = replay(new ActionDetector(), RESTING_TURNED_TURN);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['turn-left'],
  );
  assert.equal(events[0]!.onset, 10467, 'onset: the first sample 0.04 or more from rest');
});

test('eyes brightening slowly (half-closed over more than the lids take to fall) are no blink', () => {
  // The same turn, judged with the turn threshold before it was fitted (so the head is not seen
  // turning): the eye regions brighten over 400 ms (between open and closed from 10,267 to 10,600
  // ms) — no blink. Without the lid-fall limit it was one (seen: wrong-response, a live patient
  // refused as a spoof).
  const unturned = { ...DEFAULT_ACTION_POLICY, minTurnYawFloor: 0.05, turnYawRange: 0.3 };
  assert.deepEqual(
    replay(new ActionDetector(unturned), RESTING_TURNED_TURN).map((e) => e.kind),
    [],
  );
  assert.deepEqual(
    replay(new ActionDetector({ ...unturned, maxLidFallMs: Number.POSITIVE_INFINITY }), RESTING_TURNED_TURN).map((e) => e.kind),
    ['blink'],
    'the limit is what stops it',
  );
});

/**
 * `SHAPE` with its jaw line bent (not a similarity: the nose does not move) so that its shape change
 * from `SHAPE` is `residual` (similarityResidual, bisected).
 */
function reshaped(residual: number): Point[] {
  const bend = (k: number): Point[] => SHAPE.map(([x, y], i) => (i <= 16 ? [x + k * ((i - 8) / 8) ** 2, y] : [x, y]));
  let [lo, hi] = [0, 40];
  for (let n = 0; n < 60; n++) {
    const mid = (lo + hi) / 2;
    if (similarityResidual(SHAPE, bend(mid)) < residual) lo = mid;
    else hi = mid;
  }
  return bend(lo);
}

/**
 * watanabe-emi (bench face-liveness --fps 4, seed 7) asked to blink twice: samples at 4/s (ms, yaw,
 * eye brightness, EAR, shape change from the open sample at 2,000 ms) and her glances between them
 * ([ms, eye brightness]); the first blink ends on the glance at 2,567 ms and is judged on the sample
 * at 2,733, 733 ms after the open one before it: shape change 0.0414. The pipeline's own measures.
 */
const SPARSE_BLINK_SAMPLES: readonly (readonly [number, number, number, number, number])[] = [
  [0, 0.166, 0.716, 0.332, 0],
  [233, 0.167, 0.718, 0.334, 0],
  [500, 0.156, 0.714, 0.33, 0],
  [733, 0.163, 0.713, 0.33, 0],
  [1000, 0.163, 0.714, 0.331, 0],
  [1233, 0.16, 0.713, 0.33, 0],
  [1500, 0.163, 0.718, 0.331, 0],
  [1733, 0.139, 0.721, 0.325, 0],
  [2000, 0.14, 0.724, 0.326, 0],
  [2233, 0.147, 0.813, 0.296, 0.0261],
  [2500, 0.175, 0.815, 0.302, 0.0359],
  [2733, 0.183, 0.722, 0.328, 0.0414],
];
const SPARSE_BLINK_GLANCES: readonly (readonly [number, number])[] = [
  ...[0.736, 0.739, 0.737, 0.736, 0.736, 0.737, 0.738].map((eye, k) => [767 + 33 * k, eye] as const),
  ...[0.74, 0.738, 0.736, 0.739, 0.737, 0.736].map((eye, k) => [1033 + 33 * k, eye] as const),
  ...[0.745, 0.746, 0.743, 0.745, 0.747, 0.744, 0.748].map((eye, k) => [1267 + 33 * k, eye] as const),
  ...[0.749, 0.751, 0.749, 0.751, 0.755, 0.753].map((eye, k) => [1533 + 33 * k, eye] as const),
  ...[0.753, 0.753, 0.755, 0.757, 0.759, 0.763, 0.766].map((eye, k) => [1767 + 33 * k, eye] as const),
  ...[0.756, 0.756, 0.759, 0.763, 0.762, 0.746].map((eye, k) => [2033 + 33 * k, eye] as const),
  ...[0.82, 0.817, 0.819, 0.818, 0.822, 0.823, 0.823].map((eye, k) => [2267 + 33 * k, eye] as const),
  ...[0.818, 0.739, 0.753, 0.752, 0.752, 0.751].map((eye, k) => [2533 + 33 * k, eye] as const),
];

function replaySparse(d: ActionDetector): ActionEvent[] {
  const events: ActionEvent[] = [];
  let g = 0;
  for (const [at, yaw, eye, ear, change] of SPARSE_BLINK_SAMPLES) {
    for (; g < SPARSE_BLINK_GLANCES.length && SPARSE_BLINK_GLANCES[g]![0] < at; g++)
      d.glance({ at: SPARSE_BLINK_GLANCES[g]![0], eyeBrightness: SPARSE_BLINK_GLANCES[g]![1] });
    const s = sample(at, false, yaw);
    const landmarks = reshaped(change);
    events.push(...d.add({ ...s, face: { ...s.face, landmarks, ear, stats: { ...s.face.stats, eyeBrightness: eye } } }));
  }
  return events;
}

test("sparse frames (4/s): a blink judged on samples 733 ms apart has the shape limit of such a span (a live head's drifts more)", () => {
  assert.deepEqual(
    replaySparse(new ActionDetector()).map((e) => [e.kind, e.unsure === true]),
    [['blink', false]],
  );
  // With the limit of samples up to 500 ms apart (0.04) it was unsure: the cue spent, the patient timed out (seen).
  const one = { ...DEFAULT_ACTION_POLICY, maxSparseShapeChange: DEFAULT_ACTION_POLICY.maxBlinkShapeChange };
  assert.deepEqual(
    replaySparse(new ActionDetector(one)).map((e) => [e.kind, e.unsure === true]),
    [['blink', true]],
  );
});

/**
 * tanaka-yuki (bench face-liveness --fps 15, seed 10): a turn right and back (5.5–6.7 s), then,
 * asked to blink twice, two blinks (7,767 and 8,333 ms). After the turn her EAR stays ≈ 0.31, below
 * 0.92 × its baseline (raised by the turn's samples), so the eyes are "not open" for a second while
 * the eye statistic is open. The pipeline's own measures ([ms, yaw, eye brightness, EAR]).
 */
const AFTER_TURN_BLINKS: readonly (readonly [number, number, number, number])[] = [
  [3000, -0.144, 0.654, 0.313],
  [3067, -0.146, 0.654, 0.314],
  [3133, -0.148, 0.652, 0.313],
  [3200, -0.147, 0.65, 0.315],
  [3267, -0.15, 0.647, 0.316],
  [3333, -0.149, 0.649, 0.316],
  [3400, -0.149, 0.646, 0.317],
  [3467, -0.147, 0.647, 0.315],
  [3533, -0.143, 0.648, 0.315],
  [3600, -0.162, 0.664, 0.314],
  [3667, -0.194, 0.68, 0.323],
  [3733, -0.208, 0.688, 0.333],
  [3800, -0.22, 0.701, 0.343],
  [3867, -0.215, 0.721, 0.353],
  [3933, -0.214, 0.734, 0.357],
  [4000, -0.202, 0.736, 0.358],
  [4067, -0.201, 0.736, 0.356],
  [4133, -0.202, 0.731, 0.356],
  [4200, -0.237, 0.88, 0.322],
  [4267, -0.217, 0.724, 0.362],
  [4333, -0.22, 0.715, 0.359],
  [4400, -0.218, 0.705, 0.352],
  [4467, -0.208, 0.69, 0.346],
  [4533, -0.181, 0.672, 0.336],
  [4600, -0.167, 0.66, 0.325],
  [4667, -0.155, 0.648, 0.323],
  [4733, -0.142, 0.648, 0.319],
  [4800, -0.134, 0.648, 0.316],
  [4867, -0.143, 0.65, 0.314],
  [4933, -0.141, 0.648, 0.314],
  [5000, -0.141, 0.648, 0.315],
  [5067, -0.141, 0.648, 0.314],
  [5133, -0.139, 0.646, 0.314],
  [5200, -0.137, 0.646, 0.315],
  [5267, -0.137, 0.646, 0.314],
  [5333, -0.133, 0.645, 0.314],
  [5400, -0.134, 0.647, 0.314],
  [5467, -0.132, 0.646, 0.314],
  [5533, -0.127, 0.645, 0.312],
  [5600, -0.141, 0.654, 0.309],
  [5667, -0.173, 0.67, 0.312],
  [5733, -0.189, 0.682, 0.317],
  [5800, -0.186, 0.698, 0.326],
  [5867, -0.194, 0.72, 0.337],
  [5933, -0.206, 0.733, 0.346],
  [6000, -0.213, 0.746, 0.355],
  [6067, -0.229, 0.751, 0.364],
  [6133, -0.236, 0.752, 0.364],
  [6200, -0.225, 0.748, 0.361],
  [6267, -0.213, 0.74, 0.356],
  [6333, -0.217, 0.727, 0.357],
  [6400, -0.228, 0.713, 0.354],
  [6467, -0.22, 0.698, 0.345],
  [6533, -0.212, 0.68, 0.341],
  [6600, -0.18, 0.663, 0.329],
  [6667, -0.166, 0.655, 0.323],
  [6733, -0.141, 0.647, 0.315],
  [6800, -0.132, 0.648, 0.314],
  [6867, -0.128, 0.646, 0.313],
  [6933, -0.124, 0.644, 0.314],
  [7000, -0.128, 0.647, 0.313],
  [7067, -0.125, 0.647, 0.311],
  [7133, -0.126, 0.646, 0.312],
  [7200, -0.126, 0.647, 0.312],
  [7267, -0.123, 0.646, 0.311],
  [7333, -0.126, 0.649, 0.31],
  [7400, -0.124, 0.651, 0.31],
  [7467, -0.126, 0.65, 0.309],
  [7533, -0.13, 0.652, 0.31],
  [7600, -0.125, 0.651, 0.307],
  [7667, -0.126, 0.647, 0.306],
  [7733, -0.127, 0.646, 0.306],
  [7800, -0.144, 0.816, 0.28],
  [7867, -0.131, 0.816, 0.283],
  [7933, -0.129, 0.816, 0.283],
  [8000, -0.13, 0.816, 0.283],
  [8067, -0.131, 0.817, 0.283],
  [8133, -0.122, 0.647, 0.31],
  [8200, -0.126, 0.652, 0.31],
  [8267, -0.13, 0.65, 0.311],
  [8333, -0.147, 0.817, 0.281],
  [8400, -0.138, 0.819, 0.281],
  [8467, -0.135, 0.815, 0.281],
  [8533, -0.135, 0.816, 0.281],
  [8600, -0.137, 0.815, 0.28],
  [8667, -0.136, 0.815, 0.282],
  [8733, -0.13, 0.637, 0.312],
  [8800, -0.134, 0.646, 0.314],
];

test('a blink after the EAR stayed low for a while (not the eye statistic) is a blink: the lid-fall limit reads the eye statistic', () => {
  assert.deepEqual(
    replay(new ActionDetector(), AFTER_TURN_BLINKS)
      .filter((e) => !e.unsure)
      .map((e) => e.kind),
    ['turn-right', 'turn-right', 'blink', 'blink'],
  );
});

test('ready to see every action only with its baselines: 4 samples, the resting yaw (6 samples), 6 glances once glances come', () => {
  const d = new ActionDetector();
  for (let i = 0; i < 6; i++) {
    assert.equal(d.ready, false, `after ${i} samples`);
    d.add(sample(i * 250, false));
  }
  assert.equal(d.ready, true, 'after 6 samples, no glances');
  const g = new ActionDetector();
  for (let i = 0; i < 6; i++) g.add(sample(i * 250, false));
  for (let k = 0; k < 6; k++) {
    g.glance({ at: 1250 + 33 * (k + 1), eyeBrightness: 0.65 });
    assert.equal(g.ready, k === 5, `after ${k + 1} glances`);
  }
});

test.run();
