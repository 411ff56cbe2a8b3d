/**
 * The visit → display screen map: a timeout shows the timeout screen (not "cancelled"), a done
 * registration shows the registration-done screen, the blocked-PIN screen offers staff help the
 * visit accepts, consent item ids reach the display unchanged (one id: the facility's), and the
 * liveness challenge has its own words on the face screen in every language.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DISPLAY_SCREEN, displayParams, visitButton } from '../../../../firmware/visit/adapters/screen-map.ts';
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

test.run();
