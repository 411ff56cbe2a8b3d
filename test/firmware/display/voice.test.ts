/** Voice guidance: espeak-ng really speaks each screen's text into a WAV in the patient's language. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../firmware/core/logger.ts';
import { translate } from '../../../firmware/display/i18n/translate.ts';
import { VoiceGuide, VoiceUnavailableError } from '../../../firmware/display/voice.ts';

const voice = new VoiceGuide({ log: createLogger({ sink: new MemorySink(), level: 'error' }) });

/** RMS of the 16-bit PCM samples after the 44-byte header. */
function rms(wav: Buffer): number {
  let sum = 0;
  let n = 0;
  for (let i = 44; i + 1 < wav.length; i += 2) {
    const s = wav.readInt16LE(i);
    sum += s * s;
    n++;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

test('espeak-ng produces a non-silent WAV for Japanese, Thai and Nepali screen texts', async () => {
  for (const lang of ['ja', 'th', 'ne'] as const) {
    const wav = await voice.synthesize(translate(lang, 'done.body'), lang);
    assert.is(wav.toString('ascii', 0, 4), 'RIFF', lang);
    assert.is(wav.toString('ascii', 8, 12), 'WAVE');
    assert.ok(wav.length > 8000, `${lang}: ${wav.length} bytes`);
    assert.ok(rms(wav) > 200, `${lang} is not silence`);
  }
});

test('a language without an espeak-ng voice is a typed error; speak() never throws', async () => {
  try {
    await voice.synthesize('Pakikuha ang iyong card.', 'tl');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, VoiceUnavailableError);
  }
  const sink = new MemorySink();
  const v = new VoiceGuide({ log: createLogger({ sink, level: 'warn' }), player: ['true'] });
  await v.speak('Pakikuha ang iyong card.', 'tl');
  assert.match(sink.lines.join('\n'), 'VOICE_UNAVAILABLE');
  await v.speak('Please take your card.', 'en');
  v.stop();
});

test.run();
