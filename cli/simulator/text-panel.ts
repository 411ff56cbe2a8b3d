/**
 * A screenless simulated panel: the VisitUi the simulator uses when no rendered display is wired.
 * It keeps the screen now shown (id + parameters, as the renderer would get them) and the input
 * it is waiting for; the rig's taps and key presses are delivered only when the screen shown
 * offers that button or pad, like a touch panel where a finger can only press what is drawn.
 * PIN and password digits arrive one key at a time, then enter; 取消 cancels the entry.
 */
import { CancelledError, KaoreaderError, TimeoutError } from '../../firmware/core/errors.ts';
import type { PadScreen, UiSecret, VisitUi } from '../../firmware/visit/deps.ts';
import type { ScreenId, ScreenParams } from '../../firmware/visit/screens.ts';
import type { MessageKey } from '../../firmware/display/i18n/catalog.ts';
import { SCREENS as DISPLAY_DEFS } from '../../firmware/display/screens/index.ts';
import type { Prompt } from '../../hardware-sim/patients/prompt-reaction.ts';
import type { SimUiKit } from './sim-reader.ts';

export class PanelInputError extends KaoreaderError {
  readonly code = 'PANEL_INPUT';
}

type Pending =
  | { readonly kind: 'action'; readonly accept: readonly string[]; resolve(id: string): void }
  | { readonly kind: 'secret'; readonly secret: 'pin' | 'password'; resolve(s: UiSecret): void };

const INPUT_WAIT_MS = 15_000;

export class TextPanel implements VisitUi, SimUiKit {
  screen: { readonly id: ScreenId; readonly params: ScreenParams } | undefined;
  language: string;
  #pending: Pending | undefined;

  constructor(language: string) {
    this.language = language;
  }

  get ui(): VisitUi {
    return this;
  }

  show(screen: ScreenId, params: ScreenParams = {}): Promise<boolean> {
    this.screen = { id: screen, params };
    return Promise.resolve(true);
  }

  /** Whether the screen shown now has `key` among its texts (no rendering: the screen's definition). */
  shows(key: MessageKey): boolean {
    if (!this.screen) return false;
    const def = DISPLAY_DEFS[this.screen.id];
    return def.title === key || def.body.includes(key) || def.buttons.some((b) => b.label === key);
  }

  setLanguage(language: string): void {
    this.language = language;
  }

  waitForAction<B extends string>(accept: readonly B[], signal: AbortSignal): Promise<B> {
    return this.#wait<string>(signal, (resolve) => ({ kind: 'action', accept, resolve })).then((id) => {
      const pressed = accept.find((a) => a === id);
      if (pressed === undefined) throw new PanelInputError(`no button ${id} on this screen`);
      return pressed;
    });
  }

  readSecret(screen: PadScreen, _params: ScreenParams, signal: AbortSignal): Promise<UiSecret> {
    return this.#wait(signal, (resolve) => ({ kind: 'secret', secret: screen === 'staff-password' ? 'password' : 'pin', resolve }));
  }

  #wait<T>(signal: AbortSignal, make: (resolve: (v: T) => void) => Pending): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        reject(new CancelledError('panel input', { cause: signal.reason }));
        return;
      }
      const pending = make((v) => {
        signal.removeEventListener('abort', onAbort);
        if (this.#pending === pending) this.#pending = undefined;
        resolve(v as T);
      });
      const onAbort = (): void => {
        if (this.#pending === pending) this.#pending = undefined;
        reject(new CancelledError('panel input', { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending = pending;
    });
  }

  /** Waits (bounded) until the panel offers what `fits` accepts. */
  async #when<P extends Pending>(fits: (p: Pending) => p is P, what: string): Promise<P> {
    const end = performance.now() + INPUT_WAIT_MS;
    for (;;) {
      const p = this.#pending;
      if (p && fits(p)) return p;
      if (performance.now() > end) throw new TimeoutError(`${what} on screen ${this.screen?.id ?? 'none'}`, INPUT_WAIT_MS);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async tap(id: string): Promise<void> {
    const p = await this.#when(
      (x): x is Extract<Pending, { kind: 'action' }> => x.kind === 'action' && x.accept.includes(id),
      `button ${id}`,
    );
    p.resolve(id);
  }

  async #secret(value: string, kind: 'pin' | 'password'): Promise<void> {
    const p = await this.#when((x): x is Extract<Pending, { kind: 'secret' }> => x.kind === 'secret' && x.secret === kind, `${kind} pad`);
    p.resolve({ kind: 'entered', value: new Uint8Array(Buffer.from(value, 'utf8')) });
  }

  digits(digits: string): Promise<void> {
    if (!/^[0-9]{4}$/.test(digits)) return Promise.reject(new PanelInputError('the PIN pad takes 4 digits'));
    return this.#secret(digits, 'pin');
  }

  text(text: string): Promise<void> {
    return this.#secret(text, 'password');
  }

  async cancel(): Promise<void> {
    const p = await this.#when((x): x is Extract<Pending, { kind: 'secret' }> => x.kind === 'secret', 'a pad to cancel');
    p.resolve({ kind: 'cancelled' });
  }

  /** The face screen's hint, as the display would draw it. */
  challenge(): Prompt | undefined {
    if (this.screen?.id !== 'face') return undefined;
    const { hint } = this.screen.params;
    switch (hint) {
      case 'blinkOnce':
        return 'blink-once';
      case 'blinkTwice':
        return 'blink-twice';
      case 'blinkThrice':
        return 'blink-thrice';
      case 'turnLeft':
        return 'turn-left';
      case 'turnRight':
        return 'turn-right';
      default:
        return undefined;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
