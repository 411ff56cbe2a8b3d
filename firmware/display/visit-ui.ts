/**
 * VisitScreenUi: the visit's screen port (`VisitUi` in firmware/visit/deps.ts: show, waitForAction,
 * readSecret, setLanguage) on top of ScreenUi. It maps the visit's screen ids, button ids and
 * parameters onto the display's definitions (table below), decodes the chip photo for the staff
 * check through an injected decoder, and runs PIN / password entry on the pads.
 */
import { CancelledError, KaoreaderError } from '../core/errors.ts';
import { enterPin, enterStaffPassword } from '../keypad/pin-entry.ts';
import { isLang, type Lang } from './i18n/languages.ts';
import type { ScreenUi } from './screen-ui.ts';
import type { FaceHint, RawImage, ScreenId, ScreenParams } from './screens/screen-def.ts';

export class UnknownScreenError extends KaoreaderError {
  readonly code = 'UNKNOWN_SCREEN';
}

/** Visit screen id → display screen id and visit button id ↔ display button id (when they differ). */
const SCREEN_MAP: Readonly<Record<string, { readonly screen: ScreenId; readonly buttons?: Readonly<Record<string, string>> }>> = {
  idle: { screen: 'idle' },
  'card-reading': { screen: 'reading' },
  'not-my-number-card': { screen: 'not-my-number-card' },
  'card-expired': { screen: 'card-expired' },
  'card-unreadable': { screen: 'card-unreadable' },
  'registration-offer': { screen: 'register-offer', buttons: { decline: 'later' } },
  'registration-done': { screen: 'registration-done' },
  'not-registered': { screen: 'not-registered' },
  method: { screen: 'method-choice' },
  'face-reading-card': { screen: 'face-reading-card' },
  face: { screen: 'face-guidance' },
  'face-failed': { screen: 'face-failed' },
  'pin-warning-last-try': { screen: 'pin-last-try' },
  pin: { screen: 'pin-pad' },
  'pin-blocked': { screen: 'pin-blocked' },
  'staff-password': { screen: 'staff-password' },
  'staff-check': { screen: 'staff-visual-check' },
  'staff-done': { screen: 'staff-return' },
  'consent-reuse': { screen: 'consent-reuse', buttons: { 'choose-again': 'again' } },
  consent: { screen: 'consent-question', buttons: { individual: 'each' } },
  'consent-item': { screen: 'consent-item' },
  prescription: { screen: 'prescription-choice' },
  done: { screen: 'done' },
  fallback: { screen: 'fallback-qualification' },
  'fallback-mynaportal': { screen: 'fallback-mynaportal' },
  'fallback-notice': { screen: 'fallback-notice' },
  'fallback-declaration': { screen: 'fallback-declaration' },
  timeout: { screen: 'timeout' },
  cancelled: { screen: 'cancelled' },
  pairing: { screen: 'pairing' },
  updating: { screen: 'updating' },
  'out-of-service': { screen: 'out-of-service' },
};

/** Face guidance kinds (firmware/face/guidance.ts) → the hint shown. */
const HINTS: Readonly<Record<string, FaceHint>> = {
  'no-face': 'position', 'several-faces': 'onePerson', 'too-far': 'closer', 'too-close': 'farther', 'off-centre': 'position',
  'head-turned': 'look', 'too-dark': 'dark', 'too-bright': 'bright', backlit: 'backlit', blurred: 'hold', 'face-covered': 'mask',
  blink: 'blink', 'turn-head': 'turn', 'hold-still': 'hold', ok: 'checking', position: 'position',
};

/** What the visit passes (firmware/visit/screens.ts ScreenParams), read structurally. */
export interface VisitScreenParams {
  readonly triesLeft?: number;
  readonly lastTry?: boolean;
  readonly wrong?: boolean;
  readonly seconds?: number;
  readonly hint?: string;
  readonly item?: string;
  /** 0-based position of the consent item (shown 1-based). */
  readonly itemIndex?: number;
  readonly itemCount?: number;
  readonly previous?: Readonly<Record<string, boolean>>;
  readonly reason?: string;
  readonly photo?: Uint8Array;
  readonly progress?: number;
  readonly code?: string;
  readonly qr?: string;
}

export type UiSecret = { readonly kind: 'entered'; readonly value: Uint8Array } | { readonly kind: 'cancelled' };

export interface VisitScreenUiOptions {
  /** Chip photo (JPEG 2000 bytes) → pixels; without it the staff check shows no photo. */
  readonly decodePhoto?: (jp2: Uint8Array) => Promise<RawImage>;
}

export class VisitScreenUi {
  #lang: Lang = 'ja';
  #shown: { readonly visit: string; readonly buttons: Readonly<Record<string, string>>; readonly params: ScreenParams; readonly screen: ScreenId } | undefined;
  #previewBusy = false;

  constructor(readonly ui: ScreenUi, readonly options: VisitScreenUiOptions = {}) {}

  get language(): Lang { return this.#lang; }

  setLanguage(language: string): void {
    if (isLang(language)) this.#lang = language;
  }

  async show(screen: string, params: VisitScreenParams = {}): Promise<void> {
    const m = SCREEN_MAP[screen];
    if (!m) throw new UnknownScreenError(`no display screen for visit screen "${screen}"`);
    const p = await this.#params(m.screen, params);
    const { photo, ...kept } = p;
    this.#shown = { visit: screen, buttons: m.buttons ?? {}, params: kept, screen: m.screen };
    try {
      await this.ui.show(m.screen, p, this.#lang);
    } finally {
      photo?.data.fill(0); // our decoded copy of the chip photo: a secret, wiped once drawn
    }
  }

  /**
   * A live camera frame for the face screen (ignored on other screens). Frames arriving while
   * the previous one is still being drawn are dropped: the preview shows the newest it can.
   * The frame is drawn and forgotten, never kept.
   */
  async preview(frame: RawImage): Promise<boolean> {
    const shown = this.#shown;
    if (!shown || shown.screen !== 'face-guidance' || this.#previewBusy) return false;
    this.#previewBusy = true;
    try {
      await this.ui.show(shown.screen, { ...shown.params, preview: frame }, this.#lang);
      return true;
    } finally {
      this.#previewBusy = false;
    }
  }

  /** The next press of one of `accept` (visit button ids); other presses are ignored (bounded). */
  async waitForAction(accept: readonly string[], signal: AbortSignal): Promise<string> {
    for (let i = 0; i < 1000; i++) {
      const { buttonId } = await this.ui.waitForAction(signal);
      const visitId = this.#toVisit(buttonId);
      if (accept.includes(visitId)) return visitId;
    }
    throw new CancelledError('waiting for a button (too many other presses)');
  }

  async readSecret(kind: 'pin' | 'password', params: VisitScreenParams, signal: AbortSignal): Promise<UiSecret> {
    const o = { lang: this.#lang, signal, wrong: params.wrong, triesLeft: params.triesLeft };
    const value = kind === 'pin' ? await enterPin(this.ui, o) : await enterStaffPassword(this.ui, o);
    return value ? { kind: 'entered', value } : { kind: 'cancelled' };
  }

  #toVisit(displayId: string): string {
    if (displayId.startsWith('lang-')) return `lang:${displayId.slice(5)}`;
    const buttons = this.#shown?.buttons ?? {};
    for (const [visit, display] of Object.entries(buttons)) if (display === displayId) return visit;
    return displayId;
  }

  async #params(screen: ScreenId, p: VisitScreenParams): Promise<ScreenParams> {
    const args: Record<string, string | number> = {};
    if (p.seconds !== undefined) args['seconds'] = p.seconds;
    if (p.progress !== undefined) args['progress'] = p.progress;
    if (p.code !== undefined) args['code'] = p.code;
    if (screen === 'pin-pad') args['count'] = p.triesLeft ?? 0;
    const photo = screen === 'staff-visual-check' && p.photo && this.options.decodePhoto ? await this.options.decodePhoto(p.photo) : undefined;
    return {
      args,
      ...(p.triesLeft !== undefined ? { triesLeft: p.triesLeft } : {}),
      ...(p.wrong !== undefined ? { wrong: p.wrong } : {}),
      ...(p.hint !== undefined ? { hint: HINTS[p.hint] ?? 'checking' } : {}),
      ...(p.item !== undefined ? { item: p.item } : {}),
      ...(p.itemIndex !== undefined ? { index: p.itemIndex + 1 } : {}), // the visit counts from 0
      ...(p.itemCount !== undefined ? { total: p.itemCount } : {}),
      ...(p.previous ? { previous: Object.entries(p.previous).map(([item, agreed]) => ({ item, agreed })) } : {}),
      ...(p.qr !== undefined ? { qr: p.qr } : {}),
      ...(photo ? { photo } : {}),
    };
  }
}
