/** Consent and the end of the visit: question, items, reuse on revisit, prescription, done, cancelled. */
import type { ScreenDef } from '../screen-def.ts';

export const consentQuestion: ScreenDef = {
  id: 'consent-question', template: 'choice', tone: 'info', title: 'consent.title', body: ['consent.question', 'consent.scope'],
  buttons: [{ id: 'all', label: 'consent.all', kind: 'primary', default: true }, { id: 'each', label: 'consent.each', kind: 'secondary' }],
};

export const consentItem: ScreenDef = {
  id: 'consent-item', template: 'choice', tone: 'info', title: { item: 'title' }, body: [{ item: 'question' }, 'consent.progress'],
  buttons: [{ id: 'agree', label: 'consent.agree', kind: 'primary', default: true }, { id: 'disagree', label: 'consent.disagree', kind: 'secondary' }],
};

export const consentReuse: ScreenDef = {
  id: 'consent-reuse', template: 'list', tone: 'info', title: 'reuse.title', body: ['reuse.body'],
  buttons: [{ id: 'again', label: 'reuse.again', kind: 'secondary' }, { id: 'reuse', label: 'reuse.reuse', kind: 'primary', default: true }],
};

export const prescriptionChoice: ScreenDef = {
  id: 'prescription-choice', template: 'choice', tone: 'info', title: 'rx.title', body: ['rx.question'],
  buttons: [{ id: 'electronic', label: 'rx.electronic', kind: 'primary', default: true }, { id: 'paper', label: 'rx.paper', kind: 'primary' }],
};

export const done: ScreenDef = {
  id: 'done', template: 'message', tone: 'success', title: 'done.title', body: ['done.body', 'done.note'], buttons: [],
};

export const cancelled: ScreenDef = {
  id: 'cancelled', template: 'message', tone: 'info', title: 'cancelled.title', body: ['cancelled.body'], buttons: [],
};

export const timeout: ScreenDef = {
  id: 'timeout', template: 'message', tone: 'warning', title: 'timeout.title', body: ['timeout.body'], buttons: [],
};
