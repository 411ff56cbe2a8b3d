/**
 * Optional voice guidance: espeak-ng (Debian package) speaks a screen's text in the patient's
 * language. `synthesize` returns the WAV bytes (espeak-ng --stdout); `speak` pipes them to a
 * player (aplay by default) and stops the previous utterance first. Languages without an
 * espeak-ng voice (Tagalog) raise VoiceUnavailableError; the screen still shows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { KaoreaderError, TimeoutError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { LANGUAGES, type Lang } from './i18n/languages.ts';

export class VoiceUnavailableError extends KaoreaderError {
  readonly code = 'VOICE_UNAVAILABLE';
}

export interface VoiceOptions {
  readonly espeak?: string;
  /** Player command reading a WAV on stdin; default ["aplay", "-q", "-"]. */
  readonly player?: readonly string[];
  readonly timeoutMs?: number;
  /** Words per minute; slower than espeak's default 175 for patients. */
  readonly speed?: number;
  readonly log: Logger;
}

const MAX_TEXT = 2000;
const MAX_WAV = 32 * 1024 * 1024;

export class VoiceGuide {
  #current: ChildProcess[] = [];
  constructor(readonly options: VoiceOptions) {}

  voiceFor(lang: Lang): string {
    const v = LANGUAGES[lang].voice;
    if (!v) throw new VoiceUnavailableError(`no espeak-ng voice for "${lang}"`);
    return v;
  }

  /** WAV bytes of `text` spoken in `lang`. */
  synthesize(text: string, lang: Lang): Promise<Buffer> {
    const voice = this.voiceFor(lang);
    const args = ['-v', voice, '-s', String(this.options.speed ?? 150), '--stdout', text.slice(0, MAX_TEXT)];
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.espeak ?? 'espeak-ng', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let size = 0;
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new TimeoutError('espeak-ng', this.options.timeoutMs ?? 10_000));
      }, this.options.timeoutMs ?? 10_000);
      child.stdout.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= MAX_WAV) chunks.push(d);
        else child.kill('SIGKILL');
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString().slice(0, 500);
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new VoiceUnavailableError('espeak-ng is not installed (scripts/setup.sh)', { cause: e }));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 && size > 44 && size <= MAX_WAV) resolve(Buffer.concat(chunks));
        else reject(new VoiceUnavailableError(`espeak-ng exited with ${code}: ${err.trim()}`));
      });
    });
  }

  /** Speaks `text`, interrupting what was being said. Failures are logged, never thrown. */
  async speak(text: string, lang: Lang): Promise<void> {
    this.stop();
    try {
      const wav = await this.synthesize(text, lang);
      const [cmd, ...args] = this.options.player ?? ['aplay', '-q', '-'];
      const player = spawn(cmd ?? 'aplay', args, { stdio: ['pipe', 'ignore', 'ignore'] });
      this.#current.push(player);
      player.on('error', (e) => this.options.log.warn('voice player failed', { error: e }));
      player.on('close', () => {
        this.#current = this.#current.filter((p) => p !== player);
      });
      player.stdin?.on('error', () => undefined);
      player.stdin?.end(wav);
    } catch (err) {
      this.options.log.warn('voice guidance unavailable', { lang, error: err });
    }
  }

  stop(): void {
    for (const p of this.#current) p.kill('SIGTERM');
    this.#current = [];
  }
}
