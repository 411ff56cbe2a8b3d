/** Screens before identity: idle with language choice, card reading, card problems, registration. */
import type { ScreenDef } from '../screen-def.ts';
import { fallbackQualification } from './fallback.ts';

export const idle = {
  id: 'idle',
  template: 'idle',
  tone: 'info',
  title: 'idle.title',
  body: ['idle.body'],
  buttons: [
    { id: 'a11y-large', label: 'a11y.largeText', kind: 'secondary' },
    { id: 'a11y-contrast', label: 'a11y.contrast', kind: 'secondary' },
    { id: 'a11y-voice', label: 'a11y.voice', kind: 'secondary' },
  ],
} satisfies ScreenDef<'idle'>;

export const reading = {
  id: 'card-reading',
  template: 'message',
  tone: 'info',
  title: 'reading.title',
  body: ['reading.body'],
  buttons: [],
} satisfies ScreenDef<'card-reading'>;

/** The card front and the chip photo being read before the face attempt: the same "reading" screen. */
export const faceReadingCard = { ...reading, id: 'face-reading-card' } satisfies ScreenDef<'face-reading-card'>;

export const notMyNumberCard = {
  id: 'not-my-number-card',
  template: 'message',
  tone: 'warning',
  title: 'notCard.title',
  body: ['notCard.body'],
  buttons: [
    { id: 'help', label: 'btn.help', kind: 'secondary' },
    { id: 'ok', label: 'btn.ok', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'not-my-number-card'>;

export const cardExpired = {
  id: 'card-expired',
  template: 'message',
  tone: 'warning',
  title: 'expired.title',
  body: ['expired.body'],
  buttons: [
    { id: 'help', label: 'btn.help', kind: 'secondary' },
    { id: 'ok', label: 'btn.ok', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'card-expired'>;

export const cardUnreadable = {
  id: 'card-unreadable',
  template: 'message',
  tone: 'warning',
  title: 'unreadable.title',
  body: ['unreadable.body'],
  buttons: [
    { id: 'help', label: 'btn.help', kind: 'secondary' },
    { id: 'retry', label: 'btn.retry', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'card-unreadable'>;

export const registerOffer = {
  id: 'registration-offer',
  template: 'choice',
  tone: 'info',
  title: 'register.title',
  body: ['register.body', 'register.note'],
  buttons: [
    { id: 'register', label: 'register.yes', kind: 'primary', default: true },
    { id: 'decline', label: 'register.no', kind: 'secondary' },
  ],
} satisfies ScreenDef<'registration-offer'>;

export const registrationDone = {
  id: 'registration-done',
  template: 'message',
  tone: 'success',
  title: 'registrationDone.title',
  body: ['registrationDone.body'],
  buttons: [],
} satisfies ScreenDef<'registration-done'>;

/** Not registered and the registration declined: the fallback guidance (what to show the staff). */
export const notRegistered = { ...fallbackQualification, id: 'not-registered' } satisfies ScreenDef<'not-registered'>;
