/** Registry of every screen definition, by id, and sample parameters that exercise each one fully. */
import { cancelled, consentItem, consentQuestion, consentReuse, done, prescriptionChoice, timeout } from './defs/consent.ts';
import { fallbackDeclaration, fallbackMynaportal, fallbackNotice, fallbackQualification } from './defs/fallback.ts';
import { faceFailed, faceGuidance, faceReadingCard, methodChoice, methodChoiceFacePin, pinBlocked, pinLastTry, pinPad, pinPadAfterFace } from './defs/identity.ts';
import { outOfService, pairing, staffPassword, staffReturn, staffVisualCheck, updating } from './defs/service.ts';
import { cardExpired, cardUnreadable, idle, notMyNumberCard, notRegistered, reading, registerOffer, registrationDone } from './defs/visit-start.ts';
import type { ScreenDef, ScreenId, ScreenParams } from './screen-def.ts';

export const SCREENS: Readonly<Record<ScreenId, ScreenDef>> = {
  idle, reading,
  'not-my-number-card': notMyNumberCard, 'card-expired': cardExpired, 'card-unreadable': cardUnreadable,
  'register-offer': registerOffer, 'registration-done': registrationDone, 'not-registered': notRegistered,
  'method-choice': methodChoice, 'method-choice-face-pin': methodChoiceFacePin, 'face-reading-card': faceReadingCard, 'face-guidance': faceGuidance, 'face-failed': faceFailed,
  'pin-pad': pinPad, 'pin-pad-after-face': pinPadAfterFace, 'pin-last-try': pinLastTry, 'pin-blocked': pinBlocked,
  'consent-question': consentQuestion, 'consent-item': consentItem, 'consent-reuse': consentReuse,
  'prescription-choice': prescriptionChoice, done, cancelled, timeout,
  'fallback-qualification': fallbackQualification, 'fallback-mynaportal': fallbackMynaportal,
  'fallback-notice': fallbackNotice, 'fallback-declaration': fallbackDeclaration,
  'staff-password': staffPassword, 'staff-visual-check': staffVisualCheck, 'staff-return': staffReturn,
  pairing, updating, 'out-of-service': outOfService,
};

/**
 * Parameters that show each screen at its fullest (longest consent item, all four previous
 * choices, a pairing code…): used by `kaoreader screens`, the overflow check and the bench.
 */
export function sampleParams(id: ScreenId): ScreenParams {
  switch (id) {
    case 'face-guidance': return { hint: 'position' };
    case 'pin-pad':
    case 'pin-pad-after-face': return { args: { count: 2 }, triesLeft: 2, entered: 1, digitOrder: [3, 8, 1, 6, 0, 9, 2, 7, 5, 4] };
    case 'staff-password': return { entered: 3, wrong: true };
    case 'consent-item': return { item: 'treatment', index: 2, total: 4 };
    case 'consent-reuse': return { previous: [{ item: 'surgery', agreed: true }, { item: 'treatment', agreed: true }, { item: 'medication', agreed: false }, { item: 'checkups', agreed: true }] };
    case 'staff-return': return { args: { seconds: 30 } };
    case 'pairing': return { args: { code: '4821-7730' }, qr: 'kaoreader-pair:v1:reader=KR-0001:code=4821-7730' };
    case 'updating': return { args: { progress: 0.42 } };
    default: return {};
  }
}
