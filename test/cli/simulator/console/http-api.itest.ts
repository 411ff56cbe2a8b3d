/**
 * The console's controls over its HTTP API, on the full simulated reader: another patient and
 * card rebuild the reader (refused while a card is in), camera scenes, the facility down and up,
 * the staff password sent by the facility (masked in the MQTT view), a scenario file run while
 * the live view follows its reader, and refusals that say why.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import type { ConsoleState, ErrorReply } from '../../../../cli/simulator/console/protocol.ts';
import { startConsole, type RunningConsole } from '../../../../cli/simulator/console/start-console.ts';

const sink = new MemorySink(2_000);
let running: RunningConsole | undefined;

async function api<T>(path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(
    new URL(path, running?.url),
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: res.status, data: (await res.json()) as T };
}

async function until(what: string, probe: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const state = async (): Promise<ConsoleState> => (await api<ConsoleState>('/api/state')).data;
const onScreen = (visit: string): Promise<void> =>
  until(`screen ${visit}`, async () => (await state()).screen?.visit === visit && (await state()).screen?.display === visit);

test.before(async () => {
  running = await startConsole({
    log: createLogger({ sink, level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
    scenariosDir: join(import.meta.dirname, '..', '..', '..', 'scenarios'),
    setup: { patient: 'suzuki-aiko', card: 'patient', registered: true, ePrescription: false },
  });
});

test.after(async () => {
  await running?.close();
});

test('an expired card of another patient: the reader is rebuilt, the visit ends on the expired-card screen', async () => {
  const s = await state();
  assert.equal((await api('/api/setup', { ...s.setup, patient: 'sato-hanako', card: 'expired' })).status, 200);
  assert.equal((await state()).setup, { ...s.setup, patient: 'sato-hanako', card: 'expired' });
  assert.is((await api('/api/step', { insert: 'card' })).status, 200);
  await onScreen('card-expired');
  const refused = await api<ErrorReply>('/api/setup', { ...s.setup, patient: 'suzuki-aiko' });
  assert.is(refused.status, 409, 'no new card while one is in the slot');
  assert.match(refused.data.error.message, /take the card out first/);
  assert.is((await api('/api/step', { pull: 'card' })).status, 200);
  await onScreen('idle');
  assert.is((await api('/api/setup', s.setup)).status, 200);
});

test('every camera scene can be shown; an unknown one is a bad request', async () => {
  for (const scene of ['phone', 'two-people', 'other-person', 'photo', 'nobody', 'live']) {
    assert.is((await api('/api/step', { camera: scene })).status, 200, scene);
    assert.is((await state()).camera, scene);
  }
  const bad = await api<ErrorReply>('/api/step', { camera: 'ghost' });
  assert.is(bad.status, 400);
});

test('the staff password goes from the facility to the reader as a hash in a signed command; the MQTT view never shows it; outside the policy or with the facility down it is refused', async () => {
  assert.is((await state()).staffPasswordSet, false);
  assert.is((await api('/api/staff-password', { password: '20261124' })).status, 200);
  await until('staff password set', async () => (await state()).staffPasswordSet);
  const commands = running?.qa.hub.kept('mqtt').filter((m) => m.kind === 'kaoreader.command/2') ?? [];
  assert.ok(commands.length > 0, 'the command is in the MQTT view');
  assert.not.match(JSON.stringify(commands), /20261124/);
  const letters = await api<ErrorReply>('/api/staff-password', { password: 'abcdefgh' });
  assert.is(letters.status, 409);
  assert.match(letters.data.error.message, /8–16 digits/);
  assert.is((await api('/api/step', { facility: 'down' })).status, 200);
  assert.is((await state()).facility, 'down');
  const refused = await api<ErrorReply>('/api/staff-password', { password: '11112222' });
  assert.is(refused.status, 409);
  assert.match(refused.data.error.message, /facility is down/);
  const stored = await api<{ unavailable?: string }>('/api/results');
  assert.match(stored.data.unavailable ?? '', /facility is down/);
  assert.is((await api('/api/step', { facility: 'up' })).status, 200);
});

test('a step that cannot apply is refused at once with the reason; touch outside any button says so', async () => {
  const r = await api<ErrorReply>('/api/step', { tap: 'each' });
  assert.is(r.status, 409);
  assert.match(r.data.error.message, /no button "each" on screen idle: its buttons: lang-ja/);
  const t = await api<{ button?: unknown }>('/api/touch', { x: 1, y: 1 });
  assert.is(t.status, 200);
  assert.is(t.data.button, undefined);
  const lang = await api<{ button?: { id: string } }>('/api/touch', {
    ...centre((await state()).screen?.buttons.find((b) => b.id === 'lang-en')?.rect),
  });
  assert.is(lang.data.button?.id, 'lang-en', 'the hit-test finds the button drawn there');
  await until('English on the start screen', async () => (await state()).screen?.lang === 'en');
});

function centre(rect: { x: number; y: number; w: number; h: number } | undefined): { x: number; y: number } {
  if (!rect) throw new Error('no such button');
  return { x: ((rect.x + rect.w / 2) / 100) * 1024, y: ((rect.y + rect.h / 2) / 100) * 600 };
}

test('a scenario file runs on its own reader, the live view follows it, then the console reader is back', async () => {
  const r = await api<{ passed: boolean; screens: string[]; problems: string[] }>('/api/scenario', { file: 'not-my-number-card.yaml' });
  assert.is(r.status, 200);
  assert.ok(r.data.passed, r.data.problems.join('; '));
  assert.ok(r.data.screens.includes('not-my-number-card'));
  // A screen's capture is encoded after its frame is drawn, so it may land just after the reply.
  await until(
    "the scenario reader's screens reached the live view",
    () => Promise.resolve(running?.qa.shots.list().some((s) => s.visit === 'not-my-number-card') ?? false),
    5_000,
  );
  assert.is((await state()).status, 'ready');
  const report = running?.qa.hub.kept('scenario').at(-1);
  assert.is(report?.file, 'not-my-number-card.yaml');
  const unknown = await api<ErrorReply>('/api/scenario', { file: '../../etc/passwd' });
  assert.is(unknown.status, 400);
});

test.run();
