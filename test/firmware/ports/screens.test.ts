/**
 * The shared screen vocabulary: the display draws each screen by the visit's id with exactly the
 * buttons the vocabulary gives it (the compiler checks it too: display/screens/index.ts), endings
 * name real screens, consent item ids reach the display unchanged, the face part's findings become
 * one hint each, and every language list (catalogs, config schema, scenario schema) is LANGS.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SCREENS as DISPLAY_DEFS } from '../../../firmware/display/screens/index.ts';
import { consentItem } from '../../../firmware/display/screens/consent-items.ts';
import { CATALOGS } from '../../../firmware/display/i18n/catalogs/index.ts';
import { readerSection } from '../../../firmware/config/sections/reader.ts';
import { LANGS } from '../../../firmware/ports/language.ts';
import { SCREEN_IDS, buttonsOf, FACE_HINTS } from '../../../firmware/ports/screens.ts';
import { displayParams } from '../../../firmware/visit/adapters/display-params.ts';
import { faceHint } from '../../../firmware/visit/adapters/face-hint.ts';
import type { GuidanceKind } from '../../../firmware/face/guidance.ts';
import { endingFor } from '../../../firmware/visit/endings.ts';
import { parseScenario } from '../../../cli/simulator/scenario.ts';

test('every screen is drawn under its own id with exactly its vocabulary buttons (the idle languages drawn by the template)', () => {
  for (const id of SCREEN_IDS) {
    const def = DISPLAY_DEFS[id];
    assert.is(def.id, id);
    const drawn = def.buttons.map((b) => b.id).sort();
    const want = buttonsOf(id)
      .filter((b) => !b.startsWith('lang-'))
      .sort();
    assert.equal(drawn, want, id);
  }
  assert.equal(
    buttonsOf('idle').filter((b) => b.startsWith('lang-')),
    LANGS.map((l) => `lang-${l}`),
  );
});

test('endings name screens of the vocabulary: a timeout shows the timeout screen, never "cancelled"', () => {
  assert.is(endingFor('TIMEOUT').screen, 'timeout');
  assert.is(endingFor('VISIT_TOO_LONG').screen, 'timeout');
  assert.is(endingFor('CANCELLED').screen, 'cancelled');
  assert.is(endingFor('INTERNAL').screen, 'fallback', 'a code without an ending of its own');
});

test('consent items: the facility id is the display id (no mapping)', () => {
  for (const id of ['surgery', 'treatment', 'medication', 'checkups']) assert.ok(consentItem(id), id);
  assert.is(consentItem('checkup'), undefined);
  assert.is(displayParams('consent-item', { item: 'checkups', itemIndex: 3, itemCount: 4 }).item, 'checkups');
  const reuse = displayParams('consent-reuse', { previous: { checkups: true } });
  assert.equal(reuse.previous, [{ item: 'checkups', agreed: true }]);
});

test("the face part's findings become one hint each; the liveness challenge has its own words in every language", () => {
  assert.is(faceHint('blink-once'), 'blinkOnce');
  assert.is(faceHint('turn-left'), 'turnLeft');
  assert.is(faceHint('hold-still'), 'hold');
  assert.is(faceHint('no-face'), 'position');
  assert.is(displayParams('face', { hint: 'blinkOnce' }).hint, 'blinkOnce');
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    for (const h of FACE_HINTS) assert.ok(catalog[`face.hint.${h}`].length > 0, `${lang} face.hint.${h}`);
    assert.ok(catalog['face.hint.blinkOnce'] !== catalog['face.hint.hold'], lang);
  }
});

test('every hint the face screen can draw is shown for some finding, and the light and crowd findings say what is wrong', () => {
  // Every finding once (the compiler refuses a missing or unknown one).
  const every: Record<GuidanceKind, true> = {
    'no-face': true,
    'several-faces': true,
    'too-far': true,
    'too-close': true,
    'off-centre': true,
    'head-turned': true,
    'too-dark': true,
    'too-bright': true,
    backlit: true,
    blurred: true,
    'face-covered': true,
    'blink-once': true,
    'blink-twice': true,
    'blink-thrice': true,
    'turn-left': true,
    'turn-right': true,
    'hold-still': true,
    ok: true,
  };
  const kinds = Object.keys(every) as GuidanceKind[];
  const shown = new Set(kinds.map(faceHint));
  assert.equal(
    FACE_HINTS.filter((h) => !shown.has(h)),
    [],
    'hints drawn for no finding',
  );
  // What the patient reads (the English catalog, written apart from the mapping) names the finding.
  const en = CATALOGS.en;
  assert.match(en[`face.hint.${faceHint('too-bright')}`], /too bright/);
  assert.match(en[`face.hint.${faceHint('backlit')}`], /behind you/);
  assert.match(en[`face.hint.${faceHint('too-dark')}`], /too dark/);
  assert.match(en[`face.hint.${faceHint('several-faces')}`], /one person/i);
});

test('no terminal authenticator: the method choice says the PIN follows the face, and the pad after a match says why', () => {
  const method = DISPLAY_DEFS['method-face-pin'];
  assert.ok(method.body.includes('method.faceThenPin'));
  assert.is(method.buttons.find((b) => b.id === 'face')?.label, 'method.facePin');
  const pad = DISPLAY_DEFS['pin-after-face'];
  assert.ok(pad.body.includes('pin.afterFace'));
  assert.equal(pad.pad, DISPLAY_DEFS.pin.pad);
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    for (const key of ['method.facePin', 'method.faceThenPin', 'pin.afterFace'] as const)
      assert.ok(catalog[key].length > 0, `${lang} ${key}`);
    assert.is.not(catalog['method.facePin'], catalog['method.face'], lang);
  }
});

test('one language list: catalogs, the config schema and the scenario schema all derive from LANGS', () => {
  assert.equal(Object.keys(CATALOGS).sort(), [...LANGS].sort());
  assert.equal(readerSection.properties.language.enum, LANGS);
  const scenario = (lang: string): string => `name: l\npatient: suzuki-aiko\nsteps:\n  - language: ${lang}\n`;
  for (const lang of LANGS) assert.ok(parseScenario(scenario(lang)), lang);
  assert.throws(() => parseScenario(scenario('fr')));
});

test.run();
