/**
 * The visit → display screen map: a timeout shows the timeout screen (not "cancelled"), a done
 * registration shows the registration-done screen, the blocked-PIN screen offers staff help the
 * visit accepts, consent item ids reach the display unchanged (one id: the facility's), and the
 * liveness challenge has its own words on the face screen in every language.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DISPLAY_SCREEN, displayParams, displayScreen, displayScreensOf, visitButton } from '../../../../firmware/visit/adapters/screen-map.ts';
import { SCREENS as DISPLAY_DEFS } from '../../../../firmware/display/screens/index.ts';
import { consentItem } from '../../../../firmware/display/screens/consent-items.ts';
import { SCREENS } from '../../../../firmware/visit/screens.ts';
import { endingFor } from '../../../../firmware/visit/endings.ts';
import { CATALOGS } from '../../../../firmware/display/i18n/catalogs/index.ts';

test('a step timeout ends on the timeout screen, never on "cancelled"', () => {
  const ending = endingFor('TIMEOUT');
  assert.is(DISPLAY_SCREEN[ending.screen], 'timeout');
  assert.is(DISPLAY_SCREEN[endingFor('VISIT_TOO_LONG').screen], 'timeout');
  assert.is(DISPLAY_SCREEN[endingFor('CANCELLED').screen], 'cancelled');
});

test('registration done shows the registration-done screen', () => {
  assert.is(DISPLAY_SCREEN['registration-done'], 'registration-done');
});

test('blocked PIN: the display offers staff help and the guidance, both accepted by the visit', () => {
  const def = DISPLAY_DEFS[DISPLAY_SCREEN['pin-blocked']];
  const ids = def.buttons.map((b) => visitButton('pin-blocked', b.id));
  assert.ok(ids.includes('staff'));
  assert.ok(ids.includes('ok'));
  for (const id of ids) assert.ok((SCREENS['pin-blocked'] as readonly string[]).includes(id), id);
});

test('consent items: the facility id is the display id (no mapping)', () => {
  for (const id of ['surgery', 'treatment', 'medication', 'checkups']) assert.ok(consentItem(id), id);
  assert.is(consentItem('checkup'), undefined);
  assert.is(displayParams('consent-item', { item: 'checkups', itemIndex: 3, itemCount: 4 }).item, 'checkups');
  const reuse = displayParams('consent-reuse', { previous: { checkups: true } });
  assert.equal(reuse.previous, [{ item: 'checkups', agreed: true }]);
});

test('each liveness cue shows its own hint (blink once, twice, turn to your left, right), in every catalog language', () => {
  assert.is(displayParams('face', { hint: 'blink-once' }).hint, 'blink');
  assert.is(displayParams('face', { hint: 'blink-twice' }).hint, 'blinkTwice');
  assert.is(displayParams('face', { hint: 'turn-left' }).hint, 'turnLeft');
  assert.is(displayParams('face', { hint: 'turn-right' }).hint, 'turnRight');
  assert.is(displayParams('face', { hint: 'hold-still' }).hint, 'hold');
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    const cues = [catalog['face.hint.blink'], catalog['face.hint.blinkTwice'], catalog['face.hint.turnLeft'], catalog['face.hint.turnRight'], catalog['face.hint.hold']];
    assert.is(new Set(cues).size, cues.length, `${lang}: every cue reads differently`);
    for (const c of cues) assert.ok(c.length > 0, lang);
  }
});

test('no terminal authenticator: the method choice says the PIN follows the face, and the pad after a match says why, in every language', () => {
  const method = DISPLAY_DEFS[displayScreen('method', { faceThenPin: true })];
  assert.is(method.id, 'method-choice-face-pin');
  assert.ok(method.body.includes('method.faceThenPin'));
  assert.is(method.buttons.find((b) => b.id === 'face')?.label, 'method.facePin');
  for (const b of method.buttons) assert.ok((SCREENS.method as readonly string[]).includes(visitButton('method', b.id)), b.id);
  assert.is(displayScreen('method', {}), 'method-choice');
  const pad = DISPLAY_DEFS[displayScreen('pin', { afterFace: true })];
  assert.is(pad.id, 'pin-pad-after-face');
  assert.ok(pad.body.includes('pin.afterFace'));
  assert.equal(pad.pad, DISPLAY_DEFS['pin-pad'].pad);
  assert.is(displayScreen('pin', {}), 'pin-pad');
  for (const id of Object.keys(SCREENS) as (keyof typeof SCREENS)[]) {
    for (const p of [{}, { faceThenPin: true }, { afterFace: true }]) assert.ok(displayScreensOf(id).includes(displayScreen(id, p)), `${id} ${JSON.stringify(p)}: every variant is listed (the sim patient's hands look for it)`);
  }
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    for (const key of ['method.facePin', 'method.faceThenPin', 'pin.afterFace'] as const) assert.ok(catalog[key].length > 0, `${lang} ${key}`);
    assert.is.not(catalog['method.facePin'], catalog['method.face'], lang);
  }
});

test.run();
