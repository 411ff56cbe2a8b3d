/** Screens before identity: idle with language choice, card reading, card problems, registration. */
import type { ScreenDef } from '../screen-def.ts';

export const idle: ScreenDef = {
  id: 'idle', template: 'idle', tone: 'info', title: 'idle.title', body: ['idle.body'],
  buttons: [
    { id: 'a11y-large', label: 'a11y.largeText', kind: 'secondary' },
    { id: 'a11y-contrast', label: 'a11y.contrast', kind: 'secondary' },
    { id: 'a11y-voice', label: 'a11y.voice', kind: 'secondary' },
  ],
};

export const reading: ScreenDef = {
  id: 'reading', template: 'message', tone: 'info', title: 'reading.title', body: ['reading.body'], buttons: [],
};

export const notMyNumberCard: ScreenDef = {
  id: 'not-my-number-card', template: 'message', tone: 'warning', title: 'notCard.title', body: ['notCard.body'],
  buttons: [{ id: 'help', label: 'btn.help', kind: 'secondary' }, { id: 'ok', label: 'btn.ok', kind: 'primary', default: true }],
};

export const cardExpired: ScreenDef = {
  id: 'card-expired', template: 'message', tone: 'warning', title: 'expired.title', body: ['expired.body'],
  buttons: [{ id: 'help', label: 'btn.help', kind: 'secondary' }, { id: 'ok', label: 'btn.ok', kind: 'primary', default: true }],
};

export const cardUnreadable: ScreenDef = {
  id: 'card-unreadable', template: 'message', tone: 'warning', title: 'unreadable.title', body: ['unreadable.body'],
  buttons: [{ id: 'help', label: 'btn.help', kind: 'secondary' }, { id: 'retry', label: 'btn.retry', kind: 'primary', default: true }],
};

export const registerOffer: ScreenDef = {
  id: 'register-offer', template: 'choice', tone: 'info', title: 'register.title', body: ['register.body', 'register.note'],
  buttons: [{ id: 'register', label: 'register.yes', kind: 'primary', default: true }, { id: 'later', label: 'register.no', kind: 'secondary' }],
};

export const registrationDone: ScreenDef = {
  id: 'registration-done', template: 'message', tone: 'success', title: 'registrationDone.title', body: ['registrationDone.body'], buttons: [],
};

export const notRegistered: ScreenDef = {
  id: 'not-registered', template: 'message', tone: 'warning', title: 'notRegistered.title', body: ['notRegistered.body'], buttons: [],
};
