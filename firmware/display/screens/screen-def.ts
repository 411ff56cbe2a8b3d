/**
 * Declarative screen definitions: which template lays a screen out, which catalog messages it
 * shows and which buttons it offers. Definitions are data (screens/defs/*.ts); the templates in
 * layout/templates turn one into a Layout for a size, language and theme.
 */
import type { MessageKey } from '../i18n/catalog.ts';
import type { MessageArgs } from '../i18n/message-format.ts';
import type { Lang } from '../i18n/languages.ts';
import type { ButtonOf, FaceHint, ScreenId } from '../../ports/screens.ts';

export { SCREEN_IDS, type ScreenId } from '../../ports/screens.ts';

export type Template = 'idle' | 'message' | 'choice' | 'face' | 'pinpad' | 'photo' | 'list' | 'qr' | 'progress';

/** A text: a catalog key, the current consent item's title/question, or the current face hint. */
export type TextRef = MessageKey | { readonly item: 'title' | 'question' } | { readonly hint: true };

/** A button the definition draws: one of its screen's vocabulary buttons (ports/screens.ts). */
export interface ButtonDef<B extends string = string> {
  readonly id: B;
  readonly label: MessageKey;
  readonly kind: 'primary' | 'secondary' | 'danger';
  /** The button the keypad's Enter key presses. */
  readonly default?: boolean;
}

/**
 * The buttons a definition lists: its screen's vocabulary buttons, except the idle screen's
 * language buttons, which the idle template draws itself (one per language).
 */
export type DrawnButtonOf<S extends ScreenId> = Exclude<ButtonOf<S>, `lang-${string}`>;

export interface ScreenDef<S extends ScreenId = ScreenId> {
  readonly id: S;
  readonly template: Template;
  readonly tone: 'info' | 'success' | 'warning' | 'error';
  readonly title: TextRef;
  readonly body: readonly TextRef[];
  readonly buttons: readonly ButtonDef<DrawnButtonOf<S>>[];
  /**
   * Presses (touch or keypad) arriving within this many ms after the screen appeared are dropped:
   * a warning must be read before a reflexive tap or Enter meant for the screen before can answer it.
   */
  readonly inputGuardMs?: number;
  /** pinpad template: shuffled digits (patient PIN) or fixed (staff password), and how many digits. */
  readonly pad?: { readonly shuffle: boolean; readonly length: number; readonly enter: boolean; readonly wrong: MessageKey };
}

export type { FaceHint };

/** Raw pixels for an image slot: 3 (RGB) or 4 (RGBA) channels, or 1 (grey). Never logged. */
export interface RawImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
}

/** What a screen shows beyond its definition; each template reads the fields it needs. */
export interface ScreenParams {
  /** Arguments for the messages (`count`, `seconds`, `code`, `progress`…). */
  readonly args?: MessageArgs;
  /** consent-item: the item shown (an id of the facility's consent items). */
  readonly item?: string;
  /** consent-item: position in the sequence, shown as "2 of 4". */
  readonly index?: number;
  readonly total?: number;
  /** consent-reuse: last visit's choices. */
  readonly previous?: readonly { readonly item: string; readonly agreed: boolean }[];
  /** face: the current hint. */
  readonly hint?: FaceHint;
  /** pin, pin-after-face / staff-password: digits entered so far, digit order (a permutation of 0–9). */
  readonly entered?: number;
  readonly digitOrder?: readonly number[];
  readonly triesLeft?: number;
  readonly wrong?: boolean;
  /** pairing: the QR payload; updating: progress 0..1 in args. */
  readonly qr?: string;
  readonly preview?: RawImage;
  readonly photo?: RawImage;
  /** idle: languages offered (default all) and current accessibility toggles. */
  readonly langs?: readonly Lang[];
}
