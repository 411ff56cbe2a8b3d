/** The card-front OCR on generated fronts: a bounded slice of the bench plus the refusals. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CardFrontReader } from '../../../firmware/card-front/card-front-reader.ts';
import { UnreadableCardFrontError } from '../../../firmware/card-front/errors.ts';
import type { Clock } from '../../../firmware/ports/clock.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import type { CardFrontImage } from '../../../firmware/ports/card-front-scanner.ts';
import { runCardFrontBench } from '../../../cli/bench/card-front-bench.ts';
import { rasteriseCard } from '../../../hardware-sim/card-front/card-raster.ts';
import type { CardPrint } from '../../../hardware-sim/card-front/card-svg.ts';
import { DEFAULT_STYLE } from '../../../hardware-sim/card-front/sim-card-front-scanner.ts';
import { DEFAULT_SCENE, EASY_VARIATION, scanScene } from '../../../hardware-sim/card-front/scan-scene.ts';
import { seededRandom } from '../../../hardware-sim/camera/image.ts';

/** The read 照合番号B as text, to compare with the test's own ground truth. */
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

const clock: Clock = { ...systemClock, now: () => Date.UTC(2026, 10, 24, 3) };
let reader: CardFrontReader;
test.before(async () => {
  reader = await CardFrontReader.create({ clock });
});

const base: CardPrint = {
  nameKanji: '佐藤 花子',
  address: '東京都千代田区霞が関',
  sex: '女',
  birth: { era: 'showa', eraYear: 55, month: 2, day: 17 },
  expiry: { year: 2035, month: 2, day: 17 },
  securityCode: '2285',
};

async function scan(print: CardPrint, seed = 1, easy = true): Promise<CardFrontImage> {
  return scanScene(await rasteriseCard(print, DEFAULT_STYLE), seededRandom(seed), easy ? EASY_VARIATION : undefined);
}

function unreadable(fn: () => unknown, reason?: string): UnreadableCardFrontError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, UnreadableCardFrontError);
    if (reason) assert.is((err as UnreadableCardFrontError).reason, reason, (err as Error).message);
    return err as UnreadableCardFrontError;
  }
  assert.unreachable('read a number where it must refuse');
  throw new Error('unreachable');
}

test('reads the spec example 55021720352285 and 元年 birth dates', async () => {
  const r = reader.read(await scan(base));
  assert.is(text(r.verificationNumberB), '55021720352285');
  assert.is(r.fields.birth.era, 'showa');
  assert.ok(r.confidence > 0.6 && r.minMargin > 0.1);
  const gannen = reader.read(
    await scan(
      { ...base, birth: { era: 'reiwa', eraYear: 1, month: 5, day: 1 }, expiry: { year: 2029, month: 5, day: 1 }, securityCode: '0419' },
      2,
    ),
  );
  assert.is(text(gannen.verificationNumberB), '01050120290419');
  assert.is(gannen.fields.birth.era, 'reiwa');
});

test('50 generated fronts (normal variation): at least 49 exact, none wrong', async () => {
  const r = await runCardFrontBench({ count: 50, seed: 4242, variation: 'normal', clock });
  assert.is(r.wrong, 0, JSON.stringify(r.wrongReads));
  assert.ok(r.exact >= 49, JSON.stringify(r));
});

test('a card upside down on the tray is read', async () => {
  const img = await scan(base, 3);
  const flipped = new Uint8Array(img.data.length);
  for (let i = 0; i < img.data.length; i++) flipped[i] = img.data[img.data.length - 1 - i] as number;
  const r = reader.read({ ...img, data: flipped });
  assert.is(text(r.verificationNumberB), '55021720352285');
  assert.ok(r.upsideDown);
});

test('refuses: empty tray, noise, tiny image', async () => {
  const tray = await scanScene(undefined, seededRandom(5));
  unreadable(() => reader.read(tray), 'no-card');
  const rand = seededRandom(6);
  const noise = { width: 320, height: 240, data: Uint8Array.from({ length: 320 * 240 }, () => Math.floor(rand() * 256)) };
  unreadable(() => reader.read(noise));
  unreadable(() => reader.read({ width: 10, height: 10, data: new Uint8Array(5) }), 'bad-image');
});

test('refuses dates that cannot be: 平成32年, 2月30日, expired card', async () => {
  unreadable(() => reader.read(imgHeisei32), 'inconsistent');
  unreadable(() => reader.read(imgFeb30), 'inconsistent');
  unreadable(() => reader.read(imgExpired), 'inconsistent');
});
let imgHeisei32: CardFrontImage;
let imgFeb30: CardFrontImage;
let imgExpired: CardFrontImage;
test.before(async () => {
  imgHeisei32 = await scan({ ...base, birth: { era: 'heisei', eraYear: 32, month: 1, day: 5 }, expiry: { year: 2030, month: 1, day: 5 } });
  imgFeb30 = await scan({ ...base, birth: { era: 'showa', eraYear: 55, month: 2, day: 30 }, expiry: { year: 2035, month: 2, day: 28 } });
  imgExpired = await scan({ ...base, expiry: { year: 2019, month: 2, day: 17 } });
});

test('a smudged security code is refused, never guessed', async () => {
  const img = await scan(base, 7);
  assert.is(text(reader.read(img).verificationNumberB), '55021720352285');
  // wipe the middle of the digits (22–29 mm × 48.6–50.8 mm on the card, centred on the tray)
  const smudged = new Uint8Array(img.data);
  const cx = Math.round(img.width / 2 - 17.3 * DEFAULT_SCENE.pxPerMm);
  const cy = Math.round(img.height / 2 + 22.7 * DEFAULT_SCENE.pxPerMm);
  for (let y = cy - 6; y < cy + 6; y++) for (let x = cx - 45; x < cx + 45; x++) smudged[y * img.width + x] = 235;
  unreadable(() => reader.read({ ...img, data: smudged }));
});

test('a foreign resident card (expiry not on the birthday) needs the stricter margin', async () => {
  const img = await scan({ ...base, expiry: { year: 2031, month: 9, day: 30 } }, 8);
  const lenient = reader.read(img);
  assert.is(text(lenient.verificationNumberB), '55021720312285');
  const strict = new CardFrontReader(reader.classifier, { clock, strictMargin: 2 });
  unreadable(() => strict.read(img), 'low-confidence');
});

test.run();
