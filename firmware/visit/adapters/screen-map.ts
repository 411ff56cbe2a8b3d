/**
 * How the visit's screens (firmware/visit/screens.ts) appear on the display part's screens
 * (firmware/display/screens): screen id, parameters and button ids in both directions.
 * Consent item ids are the facility's ids, shown unchanged.
 */
import type { FaceHint, ScreenId as DisplayScreen, ScreenParams as DisplayParams } from '../../display/screens/screen-def.ts';
import type { ScreenId, ScreenParams } from '../screens.ts';

export const DISPLAY_SCREEN: Readonly<Record<ScreenId, DisplayScreen>> = {
  idle: 'idle',
  'card-reading': 'reading',
  'not-my-number-card': 'not-my-number-card',
  'card-expired': 'card-expired',
  'card-unreadable': 'card-unreadable',
  'registration-offer': 'register-offer',
  'registration-done': 'registration-done',
  'not-registered': 'fallback-qualification',
  method: 'method-choice',
  'face-reading-card': 'reading',
  face: 'face-guidance',
  'face-failed': 'face-failed',
  'pin-warning-last-try': 'pin-last-try',
  pin: 'pin-pad',
  'pin-blocked': 'pin-blocked',
  'staff-password': 'staff-password',
  'staff-check': 'staff-visual-check',
  'staff-done': 'staff-return',
  'consent-reuse': 'consent-reuse',
  consent: 'consent-question',
  'consent-item': 'consent-item',
  prescription: 'prescription-choice',
  done: 'done',
  fallback: 'fallback-qualification',
  'fallback-mynaportal': 'fallback-mynaportal',
  'fallback-notice': 'fallback-notice',
  'fallback-declaration': 'fallback-declaration',
  timeout: 'timeout',
  cancelled: 'cancelled',
  updating: 'updating',
};

/**
 * The display screen for a visit screen and its parameters: the method choice and the PIN pad
 * have a variant on a reader that finishes face mode with the PIN.
 */
export function displayScreen(screen: ScreenId, p: ScreenParams): DisplayScreen {
  if (screen === 'method' && p.faceThenPin === true) return 'method-choice-face-pin';
  if (screen === 'pin' && p.afterFace === true) return 'pin-pad-after-face';
  return DISPLAY_SCREEN[screen];
}

/** Every display screen a visit screen may be drawn as (displayScreen's variants included). */
export function displayScreensOf(screen: ScreenId): readonly DisplayScreen[] {
  if (screen === 'method') return [DISPLAY_SCREEN.method, 'method-choice-face-pin'];
  if (screen === 'pin') return [DISPLAY_SCREEN.pin, 'pin-pad-after-face'];
  return [DISPLAY_SCREEN[screen]];
}

/** Visit button id → display button id, per visit screen, where they differ. */
const BUTTONS: Partial<Record<ScreenId, Readonly<Record<string, string>>>> = {
  'registration-offer': { decline: 'later' },
  consent: { individual: 'each' },
  'consent-reuse': { 'choose-again': 'again' },
};

export function displayButton(screen: ScreenId, id: string): string {
  if (screen === 'idle' && id.startsWith('lang:')) return `lang-${id.slice(5)}`;
  return BUTTONS[screen]?.[id] ?? id;
}

export function visitButton(screen: ScreenId, displayId: string): string {
  if (screen === 'idle' && displayId.startsWith('lang-')) return `lang:${displayId.slice(5)}`;
  const table = BUTTONS[screen] ?? {};
  return Object.entries(table).find(([, d]) => d === displayId)?.[0] ?? displayId;
}

/**
 * The face part's guidance kinds → the display's hints (one short instruction each). The
 * liveness challenge's cues have their own: blink once or twice, turn the head to the patient's
 * own left or right.
 */
const HINT: Readonly<Record<string, FaceHint>> = {
  'no-face': 'position', 'several-faces': 'position', 'off-centre': 'position', position: 'position',
  'too-far': 'closer', 'too-close': 'farther', 'head-turned': 'look',
  'too-dark': 'dark', 'too-bright': 'dark', backlit: 'dark', 'face-covered': 'mask',
  blurred: 'hold', 'hold-still': 'hold', ok: 'checking',
  'blink-once': 'blink', 'blink-twice': 'blinkTwice', 'turn-left': 'turnLeft', 'turn-right': 'turnRight',
};

export function displayParams(screen: ScreenId, p: ScreenParams): DisplayParams {
  switch (screen) {
    case 'pin':
      return { triesLeft: p.triesLeft ?? 0, wrong: p.wrong ?? false };
    case 'pin-warning-last-try':
    case 'pin-blocked':
      return { ...(p.triesLeft !== undefined ? { triesLeft: p.triesLeft } : {}) };
    case 'face':
      return { hint: HINT[p.hint ?? 'checking'] ?? 'checking' };
    case 'consent-item':
      return { item: p.item ?? '', index: (p.itemIndex ?? 0) + 1, total: p.itemCount ?? 1 };
    case 'consent-reuse':
      return { previous: Object.entries(p.previous ?? {}).map(([item, agreed]) => ({ item, agreed })) };
    case 'staff-password':
      return { entered: 0, wrong: p.wrong ?? false };
    case 'staff-done':
      return { args: { seconds: p.seconds ?? 3 } };
    case 'updating':
      // shown from the switch to the restart: the download is complete by then
      return { args: { progress: p.progress ?? 1 } };
    default:
      return {};
  }
}
