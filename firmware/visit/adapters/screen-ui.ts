/**
 * VisitUi on the display part's ScreenUi: the same screen and button ids (ports/screens.ts), the
 * visit's parameters as the templates take them (display-params.ts),
 * the chip photo decoded for the staff check (and wiped when the next screen replaces it), the
 * PIN pad (digits reshuffled on every display, masked count only) and the staff password pad.
 * Presses on buttons the visit is not waiting for are ignored; every input loop is capped.
 * `input` says what the reader is waiting for right now (the QA console shows it to its user;
 * the simulated patient never looks at it: it acts on what the panel shows); `onChange` tells
 * when it or `screen` changed.
 */
import type { Lang } from '../../display/i18n/languages.ts';
import { isLang } from '../../display/i18n/languages.ts';
import type { ScreenUi } from '../../display/screen-ui.ts';
import type { RawImage } from '../../display/screens/screen-def.ts';
import { STAFF_PASSWORD_MAX_DIGITS, STAFF_PASSWORD_MIN_DIGITS } from '../../core/staff-password-hash.ts';
import { PinPad, type RandomInt } from '../../core/pin-pad.ts';
import type { Logger } from '../../core/logger.ts';
import type { PadScreen, UiSecret, VisitUi } from '../deps.ts';
import { VisitError } from '../errors.ts';
import type { ScreenId, ScreenParams } from '../screens.ts';
import { displayParams } from './display-params.ts';

const MAX_PRESSES = 200;

export type UiInput =
  { readonly kind: 'action'; readonly accept: readonly string[] } | { readonly kind: 'pin' | 'password'; readonly entered: number };

export interface ScreenUiAdapterOptions {
  readonly log: Logger;
  /** Chip photo (JPEG 2000) → grey pixels for the staff check. */
  readonly decodePhoto: (jp2: Uint8Array) => Promise<{ width: number; height: number; channels: 1 | 3; data: Uint8Array }>;
  readonly random?: RandomInt;
}

export class ScreenUiAdapter implements VisitUi {
  #lang: Lang = 'ja';
  #screen: ScreenId | undefined;
  #photo: RawImage | undefined;
  #input: UiInput | undefined;
  #requested = 0;
  #rendering: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly screenUi: ScreenUi,
    private readonly o: ScreenUiAdapterOptions,
  ) {}

  get screen(): ScreenId | undefined {
    return this.#screen;
  }
  get input(): UiInput | undefined {
    return this.#input;
  }
  get language(): Lang {
    return this.#lang;
  }

  /**
   * Calls `listener` (synchronously, with no arguments) each time `screen` or `input` changes:
   * a screen asked for, a wait for a press begun or ended, a digit entered. Returns the function
   * that stops the calls; a listener that throws is the caller's bug and is not caught.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }

  setLanguage(language: string): void {
    this.#lang = isLang(language) ? language : 'ja';
  }

  /**
   * Renders one at a time, in order; a render still waiting when a newer screen is asked for is
   * skipped (a face hint finishing late must never cover the screen that came after it).
   */
  show(screen: ScreenId, params: ScreenParams = {}): Promise<boolean> {
    const seq = ++this.#requested;
    const run = this.#rendering.then(async () => {
      if (seq !== this.#requested) return false;
      await this.#render(screen, params);
      return true;
    });
    this.#rendering = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #render(screen: ScreenId, params: ScreenParams): Promise<void> {
    if (screen === 'pin' || screen === 'pin-after-face' || screen === 'staff-password') {
      // The pads are drawn by readSecret (with freshly shuffled digits); never an unshuffled pad.
      this.#screen = screen;
      this.#changed();
      return;
    }
    const previousPhoto = this.#photo;
    this.#photo = undefined;
    let p = displayParams(screen, params);
    if (screen === 'staff-check' && params.photo) {
      const raster = await this.o.decodePhoto(params.photo);
      this.#photo = { data: raster.data, width: raster.width, height: raster.height, channels: raster.channels };
      p = { ...p, photo: this.#photo };
    }
    this.#screen = screen;
    this.#changed();
    try {
      await this.screenUi.show(screen, p, this.#lang);
    } finally {
      previousPhoto?.data.fill(0);
    }
  }

  async #press(input: UiInput, signal: AbortSignal): Promise<string> {
    this.#input = input;
    this.#changed();
    try {
      return (await this.screenUi.waitForAction(signal)).buttonId;
    } finally {
      this.#input = undefined;
      this.#changed();
    }
  }

  async waitForAction<B extends string>(accept: readonly B[], signal: AbortSignal): Promise<B> {
    for (let i = 0; i < MAX_PRESSES; i++) {
      const id = await this.#press({ kind: 'action', accept }, signal);
      const found = accept.find((a) => a === id);
      if (found !== undefined) return found;
    }
    throw new VisitError('INTERNAL', `more than ${MAX_PRESSES} presses without a usable button`);
  }

  async readSecret(screen: PadScreen, params: ScreenParams, signal: AbortSignal): Promise<UiSecret> {
    const pin = screen !== 'staff-password';
    const kind = pin ? 'pin' : 'password';
    const pad = new PinPad(pin ? 4 : STAFF_PASSWORD_MAX_DIGITS, this.o.random);
    const base = pin
      ? { triesLeft: params.triesLeft ?? 0, wrong: params.wrong ?? false, digitOrder: pad.shuffle() }
      : { wrong: params.wrong ?? false };
    await this.#rendering;
    try {
      await this.screenUi.show(screen, { ...base, entered: 0 }, this.#lang);
      for (let i = 0; i < MAX_PRESSES; i++) {
        const id = await this.#press({ kind, entered: pad.entered }, signal);
        if (id === 'cancel') return { kind: 'cancelled' };
        if (id === 'clear') pad.clear();
        else if (id.startsWith('digit-')) pad.press(Number(id.slice(6)));
        else if (id === 'enter' && !pin && pad.entered >= STAFF_PASSWORD_MIN_DIGITS) return { kind: 'entered', value: pad.take() };
        if (pin && pad.complete) {
          await this.screenUi.show(screen, { ...base, entered: 4 }, this.#lang);
          return { kind: 'entered', value: pad.take() };
        }
        await this.screenUi.show(screen, { ...base, entered: pad.entered }, this.#lang);
      }
      throw new VisitError('INTERNAL', `more than ${MAX_PRESSES} presses on the ${kind} pad`);
    } finally {
      pad.wipe();
    }
  }
}
