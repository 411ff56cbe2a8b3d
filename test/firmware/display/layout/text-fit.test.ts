/** Wrap and shrink with real font metrics: Thai word boundaries, CJK line-start rules, shrink, overflow. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FontSet } from '../../../../firmware/display/fonts/font-set.ts';
import { fitText } from '../../../../firmware/display/layout/text-fit.ts';
import type { TextSpec } from '../../../../firmware/display/layout/types.ts';

const fonts = new FontSet();
const spec = (text: string, lang: TextSpec['lang'], w: number, h: number, size = 30, minSize = 14): TextSpec => ({
  id: 't',
  rect: { x: 0, y: 0, w, h },
  text,
  lang,
  size,
  minSize,
  weight: 'regular',
  align: 'start',
  valign: 'top',
  color: '#000',
});

test('Thai wraps at word boundaries although it has no spaces', () => {
  const text = 'คุณยินยอมให้ข้อมูลยาในอดีตแก่สถานพยาบาลนี้หรือไม่';
  const f = fitText(spec(text, 'th', 260, 400), fonts);
  assert.ok(f.lines.length >= 2, 'wrapped');
  assert.is(f.lines.map((l) => l.text).join(''), text, 'no character lost or added');
  const words = [...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].map((s) => s.index);
  let at = 0;
  for (const l of f.lines.slice(0, -1)) {
    at += l.text.length;
    assert.ok(words.includes(at), `break at ${at} is a word boundary`);
  }
  assert.not.ok(f.overflow);
});

test('Japanese: no line starts with 。 or 、', () => {
  const f = fitText(spec('過去の手術以外の診療・お薬情報を、当機関に提供することに同意しますか。', 'ja', 200, 600), fonts);
  for (const l of f.lines) assert.not.match(l.text, /^[。、]/);
  for (const l of f.lines) assert.ok(l.width <= 200, `line fits: ${l.width}`);
});

test('text shrinks to fit a short box, and overflows only below the minimum size', () => {
  const long =
    'Bạn có đồng ý cung cấp thông tin khám chữa bệnh ngoài phẫu thuật và thông tin thuốc trước đây của mình cho cơ sở này không?';
  const roomy = fitText(spec(long, 'vi', 700, 400), fonts);
  assert.is(roomy.fontSize, 30);
  const tight = fitText(spec(long, 'vi', 700, 90), fonts);
  assert.ok(tight.fontSize < 30 && tight.fontSize >= 14, `shrunk to ${tight.fontSize}`);
  assert.not.ok(tight.overflow);
  const impossible = fitText(spec(long, 'vi', 200, 30), fonts);
  assert.ok(impossible.overflow);
  assert.is(impossible.fontSize, 14);
});

test('a word wider than the box breaks between graphemes instead of running out', () => {
  const f = fitText(spec('Pneumonoultramicroscopicsilicovolcanoconiosis', 'en', 150, 500, 30, 30), fonts);
  assert.ok(f.lines.length > 2);
  for (const l of f.lines) assert.ok(l.width <= 150, `${l.text} ${l.width}`);
});

test('fonts cover every script (no tofu) and CJK variants resolve to different faces', () => {
  assert.equal(
    fonts.missing(
      'กรุณา नेपाली Tiếng Việt 한국어 繁體 简体 日本語',
      ['Noto Sans Thai', 'Noto Sans Devanagari', 'Noto Sans', 'Noto Sans CJK KR'],
      'regular',
    ),
    [],
  );
  const jp = fonts.resolver.resolve('Noto Sans CJK JP', 'regular');
  const sc = fonts.resolver.resolve('Noto Sans CJK SC', 'regular');
  assert.ok(jp.file !== sc.file || jp.index !== sc.index);
});

test.run();
