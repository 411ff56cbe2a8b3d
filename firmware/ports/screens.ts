/**
 * The screen vocabulary the visit and the display share: every screen by id, the buttons each
 * one offers, and the face hints. The visit asks for a screen by these ids and is answered with
 * these button ids; the display's definitions (firmware/display/screens/) are keyed by the same
 * ids and checked by the compiler to offer exactly these buttons. Texts are not here: the display
 * looks them up in its catalogs, in the patient's language.
 *
 * Screens without a patient choice have no buttons. The PIN and staff password pads also take
 * digit presses (`digit-0`…`digit-9`), read by the pad entry, not listed here. The idle screen's
 * accessibility toggles are handled by the display itself (and delivered too); its language
 * buttons (`lang-<code>`, one per language in LANGS) by the visit loop.
 */
import { LANGS, type Lang } from './language.ts';

export type LangButton = `lang-${Lang}`;
export const LANG_BUTTONS: readonly LangButton[] = LANGS.map((l) => `lang-${l}` as const);

export function langButton(lang: Lang): LangButton {
  return `lang-${lang}`;
}

export const A11Y_BUTTONS = ['a11y-large', 'a11y-contrast', 'a11y-voice'] as const;

const CARD_PROBLEM = ['help', 'ok'] as const;
const FALLBACK = ['mynaportal', 'notice', 'neither'] as const;
const FALLBACK_DETAIL = ['back', 'ok'] as const;
const PIN_PAD = ['cancel', 'clear'] as const;

export const SCREENS = {
  idle: A11Y_BUTTONS,
  'card-reading': [],
  'not-my-number-card': CARD_PROBLEM,
  'card-expired': CARD_PROBLEM,
  'card-unreadable': ['help', 'retry'],
  'registration-offer': ['register', 'decline'],
  'registration-done': [],
  /** The card is not registered for the online qualification check: the fallback guidance. */
  'not-registered': FALLBACK,
  method: ['face', 'pin'],
  /** The method choice on a reader that finishes face mode with the PIN (no terminal authenticator). */
  'method-face-pin': ['face', 'pin'],
  'face-reading-card': [],
  face: ['pin', 'cancel'],
  'face-failed': ['pin', 'staff'],
  'pin-warning-last-try': ['continue', 'staff', 'cancel'],
  pin: PIN_PAD,
  /** The PIN pad after a face match on a reader without a terminal authenticator. */
  'pin-after-face': PIN_PAD,
  'pin-blocked': ['staff', 'ok'],
  'staff-password': ['cancel', 'clear', 'enter'],
  'staff-check': ['confirm', 'reject'],
  'staff-done': ['return'],
  'consent-reuse': ['reuse', 'choose-again'],
  consent: ['all', 'individual'],
  'consent-item': ['agree', 'disagree'],
  prescription: ['electronic', 'paper'],
  done: [],
  fallback: FALLBACK,
  'fallback-mynaportal': FALLBACK_DETAIL,
  'fallback-notice': FALLBACK_DETAIL,
  'fallback-declaration': FALLBACK_DETAIL,
  timeout: [],
  cancelled: [],
  updating: [],
  /** Shown by the daemon while the reader is not paired with a facility. */
  pairing: ['cancel'],
  'out-of-service': [],
} as const satisfies Record<string, readonly string[]>;

export type ScreenId = keyof typeof SCREENS;
export const SCREEN_IDS = Object.keys(SCREENS) as ScreenId[];

/** The buttons of screen S; the idle screen also offers one button per language. */
export type ButtonOf<S extends ScreenId> = (typeof SCREENS)[S][number] | (S extends 'idle' ? LangButton : never);
export type ButtonId = ButtonOf<ScreenId>;

export function isScreenId(value: string): value is ScreenId {
  return Object.hasOwn(SCREENS, value);
}

/** Every button a screen offers, as the patient sees them (the idle screen's languages included). */
export function buttonsOf<S extends ScreenId>(screen: S): readonly ButtonOf<S>[] {
  const own: readonly ButtonOf<S>[] = SCREENS[screen];
  return screen === 'idle' ? [...own, ...(LANG_BUTTONS as readonly ButtonOf<S>[])] : own;
}

/**
 * What the face screen tells the patient while the face part works: one short instruction each
 * (`face.hint.<id>` in every catalog). The liveness challenge's cues have their own: blink once or
 * twice, turn the head to the patient's own left or right.
 */
export const FACE_HINTS = [
  'position',
  'closer',
  'farther',
  'look',
  'dark',
  'bright',
  'backlit',
  'mask',
  'hold',
  'blinkOnce',
  'blinkTwice',
  'blinkThrice',
  'turnLeft',
  'turnRight',
  'onePerson',
  'checking',
] as const;
export type FaceHint = (typeof FACE_HINTS)[number];
