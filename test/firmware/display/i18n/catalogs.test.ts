/** Every language has every key of the reference catalog, with the same placeholders, and formats. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CATALOGS } from '../../../../firmware/display/i18n/catalogs/index.ts';
import { en } from '../../../../firmware/display/i18n/catalogs/en.ts';
import { LANGS } from '../../../../firmware/display/i18n/languages.ts';
import { placeholders } from '../../../../firmware/display/i18n/message-format.ts';
import { translate } from '../../../../firmware/display/i18n/translate.ts';
import type { MessageKey } from '../../../../firmware/display/i18n/catalog.ts';

const KEYS = Object.keys(en) as MessageKey[];

test('12 languages, one catalog each, exactly the reference keys', () => {
  assert.is(LANGS.length, 12);
  for (const lang of LANGS) {
    const keys = Object.keys(CATALOGS[lang]).sort();
    assert.equal(keys, [...KEYS].sort(), `${lang} keys`);
    for (const k of KEYS) assert.ok(CATALOGS[lang][k].trim().length > 0, `${lang} ${k} is not empty`);
  }
});

test('placeholders match the reference in every language', () => {
  for (const k of KEYS) {
    const want = placeholders(en[k]);
    for (const lang of LANGS) assert.equal(placeholders(CATALOGS[lang][k]), want, `${lang} ${k}`);
  }
});

test('non-English catalogs are translated (at most a few strings equal to English)', () => {
  for (const lang of LANGS) {
    if (lang === 'en') continue;
    const same = KEYS.filter((k) => CATALOGS[lang][k] === en[k] && !/^(OK|btn\.ok)$/.test(CATALOGS[lang][k]));
    assert.ok(same.length <= 3, `${lang}: untranslated ${same.join(', ')}`);
  }
});

test('deployed Japanese wording', () => {
  assert.is(translate('ja', 'consent.question'), '過去の医療情報等の提供に同意しますか。');
  assert.is(translate('ja', 'consent.all'), '全て同意する');
  assert.is(translate('ja', 'consent.each'), '個別に同意する');
  assert.is(translate('ja', 'method.title'), '本人確認方法の選択');
  assert.is(translate('ja', 'pin.tries', { count: 2 }), 'あと2回');
  assert.is(translate('ja', 'btn.clear'), 'クリア');
  assert.is(translate('zh-Hans', 'pin.tries', { count: 2 }), '还剩2次');
  assert.is(translate('zh-Hans', 'reuse.reuse'), '引用当前的同意信息');
  assert.is(translate('zh-Hans', 'reuse.again'), '重新选择');
});

test('plural and number rules per language', () => {
  assert.is(translate('en', 'pin.tries', { count: 1 }), '1 try left');
  assert.is(translate('en', 'pin.tries', { count: 3 }), '3 tries left');
  assert.is(translate('es', 'pin.tries', { count: 1 }), 'Queda 1 intento');
  assert.is(translate('pt', 'pin.tries', { count: 2 }), 'Restam 2 tentativas');
  assert.is(translate('ne', 'pin.tries', { count: 2 }), '२ पटक बाँकी');
  assert.is(translate('en', 'update.progress', { progress: 0.42 }), '42% complete');
  assert.is(translate('en', 'consent.progress', { index: 2, total: 4 }), '2 of 4');
  assert.is(translate('ja', 'reuse.line', { item: '手術', agreed: 'yes' }), '手術：同意する');
  assert.is(translate('vi', 'reuse.line', { item: 'Thuốc', agreed: 'no' }), 'Thuốc: không đồng ý');
});

test.run();
