/**
 * The screens the visit asks for, by id, with the button ids each one offers. The display part
 * renders them (texts from its message catalogs, in the patient's language); the visit never
 * puts text on a screen itself, only ids and data parameters.
 */
export const SCREENS = {
  idle: ['lang:ja', 'lang:en', 'lang:zh-Hans', 'lang:zh-Hant', 'lang:ko', 'lang:es', 'lang:pt', 'lang:th', 'lang:ne', 'lang:id', 'lang:vi', 'lang:tl'],
  'card-reading': [],
  'not-my-number-card': [],
  'card-expired': [],
  'card-unreadable': [],
  'registration-offer': ['register', 'decline'],
  'registration-done': [],
  'not-registered': [],
  'method': ['face', 'pin'],
  'face-reading-card': [],
  'face': ['pin', 'cancel'],
  'face-failed': ['pin', 'staff'],
  'pin-warning-last-try': ['continue', 'staff', 'cancel'],
  'pin': [],
  'pin-blocked': ['staff', 'ok'],
  'staff-password': [],
  'staff-check': ['confirm', 'reject'],
  'staff-done': ['return'],
  'consent-reuse': ['reuse', 'choose-again'],
  'consent': ['all', 'individual'],
  'consent-item': ['agree', 'disagree'],
  'prescription': ['electronic', 'paper'],
  'done': [],
  'fallback': ['mynaportal', 'notice', 'neither'],
  'fallback-mynaportal': ['back', 'ok'],
  'fallback-notice': ['back', 'ok'],
  'fallback-declaration': ['back', 'ok'],
  'timeout': [],
  'cancelled': [],
  'updating': [],
} as const satisfies Record<string, readonly string[]>;

export type ScreenId = keyof typeof SCREENS;
export type ButtonOf<S extends ScreenId> = (typeof SCREENS)[S][number];

/** Data a screen shows (never free text): tries left, the consent item id, a hint id… */
export interface ScreenParams {
  /** method: this reader finishes face mode with the PIN (no terminal authenticator). */
  readonly faceThenPin?: boolean;
  /** pin: the face matched; the PIN lets the card sign. */
  readonly afterFace?: boolean;
  readonly triesLeft?: number;
  readonly lastTry?: boolean;
  /** PIN pad / staff password pad: the previous entry was wrong. */
  readonly wrong?: boolean;
  /** staff-done: seconds until the reader goes back to unattended mode. */
  readonly seconds?: number;
  /** Face guidance hint id (`move-closer`, `too-dark`, …). */
  readonly hint?: string;
  readonly item?: string;
  readonly itemIndex?: number;
  readonly itemCount?: number;
  /** Previous consent on a revisit: item id → agreed. */
  readonly previous?: Readonly<Record<string, boolean>>;
  /** Why the fallback/guidance screen is shown (an error code). */
  readonly reason?: string;
  /** Chip photo (JPEG 2000) for the staff visual check; a secret of the visit. */
  readonly photo?: Uint8Array;
  readonly progress?: number;
}
