/**
 * The text console on the full simulated reader (rendered screens, virtual card, mosquitto +
 * facility simulator): `help` lists every step; a button the screen does not have, a PIN with no
 * PIN pad, a second card are answered at once with the reason and the buttons the screen has; the
 * display's own button ids work (`tap: each` on the consent screen, the case that used to hang).
 */
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { startConsole, type RunningConsole } from '../../../cli/simulator/console/start-console.ts';
import { SimConsole } from '../../../cli/simulator/sim-console.ts';

const sink = new MemorySink(2_000);
const AT_ONCE_MS = 500;
let running: RunningConsole | undefined;
let sc: SimConsole;
let out = '';

/** Types `line`; resolves with what the console printed for it and how long it took. */
async function type(line: string): Promise<{ text: string; ms: number }> {
  const from = out.length;
  const t0 = performance.now();
  await sc.line(line);
  return { text: out.slice(from), ms: performance.now() - t0 };
}

test.before(async () => {
  running = await startConsole({
    log: createLogger({ sink, level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
    scenariosDir: join(import.meta.dirname, '..', '..', 'scenarios'),
    setup: { patient: 'suzuki-aiko', card: 'patient', registered: true, ePrescription: false },
  });
  const output = new PassThrough();
  output.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  sc = new SimConsole(running.qa.actions, { input: new PassThrough(), output, log: createLogger({ sink, level: 'warn' }) });
  running.qa.onVisitEvent(sc.onEvent);
});

test.after(async () => {
  await running?.close();
});

test('help lists every step with an example', async () => {
  const { text } = await type('help');
  for (const ex of [
    'insert: card',
    'pull: card',
    'tap: face',
    'pin: "2468"',
    'password:',
    'cancel: entry',
    'language: en',
    'camera: live',
    'facility: down',
    'expect: consent',
    'wait: 1500',
    'buttons',
  ])
    assert.ok(text.includes(ex), `help shows ${ex}:\n${text}`);
  assert.match(text, /two-people/, 'every camera scene is named');
});

test('an unknown step is named, with the steps there are', async () => {
  const { text } = await type('dance: now');
  assert.match(text, /^error: .*unknown step "dance" \(steps: language, insert/);
});

test('on the idle screen: an unknown button, a PIN, a pull are refused at once with the reason', async () => {
  let r = await type('tap: each');
  assert.ok(r.ms < AT_ONCE_MS, `answered in ${Math.round(r.ms)} ms`);
  assert.match(r.text, /^error: no button "each" on screen idle: its buttons: lang-ja \(日本語 · Japanese\), lang-en/, r.text);
  r = await type('pin: "2468"');
  assert.ok(r.ms < AT_ONCE_MS, `answered in ${Math.round(r.ms)} ms`);
  assert.match(r.text, /^error: the PIN pad is not shown \(the reader shows idle\)/);
  r = await type('pull: card');
  assert.match(r.text, /^error: there is no card in the slot/);
  r = await type('language: xx');
  assert.match(r.text, /^error: .*\/steps\/0\/language/, 'an unknown language is a bad step');
});

test('in a visit: the method screen names its buttons; a second card and a password are refused; one id per button', async () => {
  await type('insert: card');
  await type('expect: method');
  let r = await type('insert: card');
  assert.match(r.text, /^error: a card is already in the slot/);
  r = await type('tap: each');
  assert.ok(r.ms < AT_ONCE_MS, `answered in ${Math.round(r.ms)} ms`);
  assert.match(
    r.text,
    /^error: no button "each" on screen method: its buttons: face \(顔認証 · Face recognition\), pin \(暗証番号（4桁） · PIN \(4 digits\)\)/,
    r.text,
  );
  r = await type('password: "20261124"');
  assert.match(r.text, /^error: the staff password pad is not shown \(the reader shows method\)/);
  r = await type('buttons');
  assert.match(r.text, /^screen method: its buttons: face/);
  await type('tap: pin');
  await type('expect: pin');
  r = await type('pin: "2468"');
  assert.not.match(r.text, /error|2468/, `the PIN is taken, never echoed: ${r.text}`);
  await type('expect: consent');
  r = await type('tap: each');
  assert.match(r.text, /^error: no button "each" on screen consent: its buttons: all .*, individual /, `one name per button: ${r.text}`);
  r = await type('tap: individual');
  assert.not.match(r.text, /error/, `"individual" works on the consent screen: ${r.text}`);
  await type('expect: consent-item');
  assert.match(out, /screen: consent-item/);
  await type('pull: card');
  await type('expect: idle');
  assert.match(out, /result: \{"outcome":"cancelled","method":"pin"/);
  assert.not.match(out, /2468"?\s*$/m, 'no PIN echoed');
});

test.run();
