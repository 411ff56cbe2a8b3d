/**
 * ScreenUi: what the visit talks to. `show(screen, params, lang)` renders a screen to the panel
 * (and speaks it when voice guidance is on); `waitForAction(signal)` resolves with the next
 * button pressed on the current screen, by touch (hit-test against the layout) or by the
 * physical keypad (digits → `digit-N`, clear, cancel, enter → the screen's enter/default button).
 * Presses that arrive while nobody waits (e.g. fast typing while the pad redraws) are queued
 * (at most 8) until the next wait, and dropped when a different screen is shown. The idle screen's accessibility toggles
 * (a11y-large, a11y-contrast, a11y-voice) are handled here: the screen is redrawn and the press
 * is also delivered. Button ids of PIN pad screens are never logged. A screen with an input
 * guard (`inputGuardMs`, the last-PIN-try warning) drops every press in that time after it
 * appeared, and whatever was queued before it.
 */
import { CancelledError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Clock } from '../ports/clock.ts';
import type { Display } from '../ports/display.ts';
import type { Key, Keypad } from '../ports/keypad.ts';
import type { TouchInput } from '../ports/touch-input.ts';
import type { FontSet } from './fonts/font-set.ts';
import type { Lang } from './i18n/languages.ts';
import { DEFAULT_ACCESSIBILITY, themeFor, type Accessibility } from './layout/theme.ts';
import { hitTest, type Layout } from './layout/types.ts';
import type { Rotation } from './render/pixel-format.ts';
import { ScreenRenderer, type FrameTiming } from './screen-renderer.ts';
import { SCREENS } from './screens/index.ts';
import type { ScreenId, ScreenParams } from './screens/screen-def.ts';
import type { VoiceGuide } from './voice.ts';

export interface UiAction {
  readonly buttonId: string;
  readonly screen: ScreenId;
  readonly source: 'touch' | 'keypad';
}

export interface ScreenUiOptions {
  readonly display: Display;
  readonly touch: TouchInput;
  readonly keypad?: Keypad | undefined;
  readonly log: Logger;
  readonly rotate?: Rotation;
  readonly fonts?: FontSet;
  readonly voice?: VoiceGuide | undefined;
  readonly accessibility?: Accessibility;
  /** Times input guards (monotonic). */
  readonly clock: Clock;
}

interface Waiter {
  resolve(a: UiAction): void;
  reject(e: Error): void;
}

export class ScreenUi {
  readonly renderer: ScreenRenderer;
  #a11y: Accessibility;
  #voiceOn = false;
  #current: { screen: ScreenId; params: ScreenParams; lang: Lang; layout: Layout } | undefined;
  #waiters: Waiter[] = [];
  #pending: UiAction[] = [];
  #queue: Promise<void> = Promise.resolve();
  #pump: AbortController | undefined;
  /** Monotonic time before which presses are dropped (the current screen's input guard). */
  #guardUntil = 0;
  /** Timing of the last frame written (bench, diagnostics). */
  lastTiming: FrameTiming | undefined;

  constructor(readonly options: ScreenUiOptions) {
    this.renderer = new ScreenRenderer(options.display, options.rotate ?? 0, options.fonts);
    this.#a11y = options.accessibility ?? DEFAULT_ACCESSIBILITY;
  }

  get layout(): Layout | undefined {
    return this.#current?.layout;
  }
  get accessibility(): Accessibility {
    return this.#a11y;
  }
  get voiceGuidance(): boolean {
    return this.#voiceOn;
  }
  /** False while the current screen's input guard drops presses (a simulated finger waits for it). */
  get inputOpen(): boolean {
    return this.options.clock.monotonic() >= this.#guardUntil;
  }

  /** Starts reading the touch panel and the keypad. Idempotent. */
  start(): void {
    if (this.#pump) return;
    const pump = new AbortController();
    this.#pump = pump;
    void this.#readTouch(pump.signal);
    if (this.options.keypad) void this.#readKeys(this.options.keypad, pump.signal);
  }

  /**
   * Draws `screen`. Calls are serialized: frames reach the panel in call order, one render at a
   * time (a slow frame can never overwrite a newer screen; pango is not run on two threads).
   */
  show(screen: ScreenId, params: ScreenParams = {}, lang: Lang = 'ja'): Promise<Layout> {
    const run = this.#queue.then(() => this.#show(screen, params, lang));
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #show(screen: ScreenId, params: ScreenParams, lang: Lang): Promise<Layout> {
    const { layout, timing } = await this.renderer.present(screen, params, lang, themeFor(this.#a11y));
    const guard = SCREENS[screen].inputGuardMs ?? 0;
    if (this.#current?.screen !== screen || guard > 0) this.#pending = [];
    this.#guardUntil = guard > 0 ? this.options.clock.monotonic() + guard : 0;
    // Kept to redraw on an accessibility toggle; never the camera frame or the chip photo.
    const { preview: _preview, photo: _photo, ...kept } = params;
    this.#current = { screen, params: kept, lang, layout };
    this.lastTiming = timing;
    if (this.#voiceOn && this.options.voice && !SCREENS[screen].pad) void this.options.voice.speak(layout.speech, lang);
    return layout;
  }

  /** Draws the screen now shown again and writes it (the self-test's display check); false when nothing is shown yet. */
  async redraw(): Promise<boolean> {
    const cur = this.#current;
    if (!cur) return false;
    await this.show(cur.screen, cur.params, cur.lang);
    return true;
  }

  async setAccessibility(a11y: Partial<Accessibility> & { voice?: boolean }): Promise<void> {
    this.#a11y = { largeText: a11y.largeText ?? this.#a11y.largeText, highContrast: a11y.highContrast ?? this.#a11y.highContrast };
    if (a11y.voice !== undefined) this.#voiceOn = a11y.voice;
    const cur = this.#current;
    if (cur) await this.show(cur.screen, cur.params, cur.lang);
  }

  /** The next button pressed on the current screen; rejects with CancelledError when `signal` fires. */
  waitForAction(signal?: AbortSignal): Promise<UiAction> {
    if (signal?.aborted) return Promise.reject(new CancelledError('waiting for a button', { cause: signal.reason }));
    const queued = this.#pending.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (a) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(a);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new CancelledError('waiting for a button', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Stops reading input; pending waits reject with CancelledError. */
  async close(): Promise<void> {
    this.#pump?.abort();
    this.#pump = undefined;
    this.options.voice?.stop();
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#pending = [];
    for (const w of waiters) w.reject(new CancelledError('waiting for a button (screen closed)'));
  }

  #deliver(buttonId: string, source: UiAction['source']): void {
    const cur = this.#current;
    if (!cur) return;
    if (!this.inputOpen) {
      this.options.log.debug('press dropped: input guard', { screen: cur.screen, source });
      return;
    }
    if (!SCREENS[cur.screen].pad) this.options.log.debug('button', { screen: cur.screen, button: buttonId, source });
    if (buttonId.startsWith('a11y-')) void this.#toggle(buttonId);
    const action: UiAction = { buttonId, screen: cur.screen, source };
    const w = this.#waiters.shift();
    if (w) w.resolve(action);
    else if (this.#pending.length < 8) this.#pending.push(action);
  }

  async #toggle(id: string): Promise<void> {
    try {
      if (id === 'a11y-large') await this.setAccessibility({ largeText: !this.#a11y.largeText });
      else if (id === 'a11y-contrast') await this.setAccessibility({ highContrast: !this.#a11y.highContrast });
      else if (id === 'a11y-voice') await this.setAccessibility({ voice: !this.#voiceOn });
    } catch (err) {
      this.options.log.warn('accessibility toggle failed', { error: err });
    }
  }

  /** Button id a keypad key presses on the current layout, if any. */
  keyToButton(key: Key): string | undefined {
    const cur = this.#current;
    if (!cur) return undefined;
    const has = (id: string): boolean => cur.layout.buttons.some((b) => b.id === id);
    switch (key.kind) {
      case 'digit':
        return has(`digit-${key.digit}`) ? `digit-${key.digit}` : undefined;
      case 'clear':
        return has('clear') ? 'clear' : undefined;
      case 'cancel':
        return has('cancel') ? 'cancel' : undefined;
      case 'enter':
        return has('enter') ? 'enter' : SCREENS[cur.screen].buttons.find((b) => b.default)?.id;
    }
  }

  async #readTouch(signal: AbortSignal): Promise<void> {
    try {
      for await (const tap of this.options.touch.taps(signal)) {
        const layout = this.#current?.layout;
        const hit = layout ? hitTest(layout, tap.x, tap.y) : undefined;
        if (hit) this.#deliver(hit.id, 'touch');
      }
    } catch (err) {
      this.options.log.error('touch input stopped', { error: err });
    }
  }

  async #readKeys(keypad: Keypad, signal: AbortSignal): Promise<void> {
    try {
      for await (const press of keypad.keys(signal)) {
        const id = this.keyToButton(press.key);
        if (id) this.#deliver(id, 'keypad');
      }
    } catch (err) {
      this.options.log.error('keypad input stopped', { error: err });
    }
  }
}
