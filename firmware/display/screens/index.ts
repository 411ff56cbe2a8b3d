/** Registry of every screen definition, by id, and sample parameters that exercise each one fully. */
import { cancelled, consentItem, consentQuestion, consentReuse, done, prescriptionChoice, timeout } from './defs/consent.ts';
import { fallbackDeclaration, fallbackMynaportal, fallbackNotice, fallbackQualification } from './defs/fallback.ts';
import {
  faceFailed,
  faceGuidance,
  methodChoice,
  methodChoiceFacePin,
  pinBlocked,
  pinLastTry,
  pinPad,
  pinPadAfterFace,
} from './defs/identity.ts';
import { outOfService, pairing, staffPassword, staffReturn, staffVisualCheck, updating } from './defs/service.ts';
import {
  cardExpired,
  cardUnreadable,
  faceReadingCard,
  idle,
  notMyNumberCard,
  notRegistered,
  reading,
  registerOffer,
  registrationDone,
} from './defs/visit-start.ts';
import type { DrawnButtonOf, ScreenDef, ScreenId, ScreenParams } from './screen-def.ts';

/** Every screen's definition, keyed by the shared vocabulary's screen ids (ports/screens.ts). */
const DEFS = {
  idle,
  'card-reading': reading,
  'not-my-number-card': notMyNumberCard,
  'card-expired': cardExpired,
  'card-unreadable': cardUnreadable,
  'registration-offer': registerOffer,
  'registration-done': registrationDone,
  'not-registered': notRegistered,
  method: methodChoice,
  'method-face-pin': methodChoiceFacePin,
  'face-reading-card': faceReadingCard,
  face: faceGuidance,
  'face-failed': faceFailed,
  pin: pinPad,
  'pin-after-face': pinPadAfterFace,
  'pin-warning-last-try': pinLastTry,
  'pin-blocked': pinBlocked,
  consent: consentQuestion,
  'consent-item': consentItem,
  'consent-reuse': consentReuse,
  prescription: prescriptionChoice,
  done,
  cancelled,
  timeout,
  fallback: fallbackQualification,
  'fallback-mynaportal': fallbackMynaportal,
  'fallback-notice': fallbackNotice,
  'fallback-declaration': fallbackDeclaration,
  'staff-password': staffPassword,
  'staff-check': staffVisualCheck,
  'staff-done': staffReturn,
  pairing,
  updating,
  'out-of-service': outOfService,
} satisfies { readonly [S in ScreenId]: ScreenDef<S> };

export const SCREENS: Readonly<Record<ScreenId, ScreenDef>> = DEFS;

type Offered<D> = D extends { readonly buttons: readonly (infer B)[] } ? (B extends { readonly id: infer I } ? I : never) : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The screens whose definition does not offer exactly its vocabulary buttons (never, when all do). */
type ButtonsDiffer = { [S in ScreenId]: Same<Offered<(typeof DEFS)[S]>, DrawnButtonOf<S>> extends true ? never : S }[ScreenId];

/**
 * Compile-time check: each screen draws exactly the buttons the vocabulary gives it, which are
 * the buttons the visit answers. A screen that draws one more or one less fails `tsc` here, naming it.
 */
export const SCREEN_BUTTONS_CHECKED: [ButtonsDiffer] extends [never] ? true : ButtonsDiffer = true;

/**
 * Parameters that show each screen at its fullest (longest consent item, all four previous
 * choices, a pairing code…): used by `kaoreader screens`, the overflow check and the bench.
 */
export function sampleParams(id: ScreenId): ScreenParams {
  switch (id) {
    case 'face':
      return { hint: 'position' };
    case 'pin':
    case 'pin-after-face':
      return { args: { count: 2 }, triesLeft: 2, entered: 1, digitOrder: [3, 8, 1, 6, 0, 9, 2, 7, 5, 4] };
    case 'staff-password':
      return { entered: 3, wrong: true };
    case 'consent-item':
      return { item: 'treatment', index: 2, total: 4 };
    case 'consent-reuse':
      return {
        previous: [
          { item: 'surgery', agreed: true },
          { item: 'treatment', agreed: true },
          { item: 'medication', agreed: false },
          { item: 'checkups', agreed: true },
        ],
      };
    case 'staff-done':
      return { args: { seconds: 30 } };
    case 'pairing':
      return { args: { code: '4821-7730' }, qr: 'kaoreader-pair:v1:reader=KR-0001:code=4821-7730' };
    case 'updating':
      return { args: { progress: 0.42 } };
    default:
      return {};
  }
}
