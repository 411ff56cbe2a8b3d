/** Consent and the end of the visit: question, items, reuse on revisit, prescription, done, cancelled. */
import type { ScreenDef } from '../screen-def.ts';

export const consentQuestion = {
  id: 'consent',
  template: 'choice',
  tone: 'info',
  title: 'consent.title',
  body: ['consent.question', 'consent.scope'],
  buttons: [
    { id: 'all', label: 'consent.all', kind: 'primary', default: true },
    { id: 'individual', label: 'consent.each', kind: 'secondary' },
  ],
} satisfies ScreenDef<'consent'>;

export const consentItem = {
  id: 'consent-item',
  template: 'choice',
  tone: 'info',
  title: { item: 'title' },
  body: [{ item: 'question' }, 'consent.progress'],
  buttons: [
    { id: 'agree', label: 'consent.agree', kind: 'primary', default: true },
    { id: 'disagree', label: 'consent.disagree', kind: 'secondary' },
  ],
} satisfies ScreenDef<'consent-item'>;

export const consentReuse = {
  id: 'consent-reuse',
  template: 'list',
  tone: 'info',
  title: 'reuse.title',
  body: ['reuse.body'],
  buttons: [
    { id: 'choose-again', label: 'reuse.again', kind: 'secondary' },
    { id: 'reuse', label: 'reuse.reuse', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'consent-reuse'>;

export const prescriptionChoice = {
  id: 'prescription',
  template: 'choice',
  tone: 'info',
  title: 'rx.title',
  body: ['rx.question'],
  buttons: [
    { id: 'electronic', label: 'rx.electronic', kind: 'primary', default: true },
    { id: 'paper', label: 'rx.paper', kind: 'primary' },
  ],
} satisfies ScreenDef<'prescription'>;

export const done = {
  id: 'done',
  template: 'message',
  tone: 'success',
  title: 'done.title',
  body: ['done.body', 'done.note'],
  buttons: [],
} satisfies ScreenDef<'done'>;

export const cancelled = {
  id: 'cancelled',
  template: 'message',
  tone: 'info',
  title: 'cancelled.title',
  body: ['cancelled.body'],
  buttons: [],
} satisfies ScreenDef<'cancelled'>;

export const timeout = {
  id: 'timeout',
  template: 'message',
  tone: 'warning',
  title: 'timeout.title',
  body: ['timeout.body'],
  buttons: [],
} satisfies ScreenDef<'timeout'>;
