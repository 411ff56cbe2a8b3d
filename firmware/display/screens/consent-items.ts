/**
 * Consent items, data-driven: id → catalog keys. The facility chooses which items it asks (and in
 * which order); new items (diagnoses, allergies, tests…) are one line here plus catalog keys.
 */
import type { MessageKey } from '../i18n/catalog.ts';

export interface ConsentItem {
  readonly id: string;
  readonly title: MessageKey;
  readonly question: MessageKey;
}

export const CONSENT_ITEMS: readonly ConsentItem[] = [
  { id: 'surgery', title: 'consent.item.surgery.title', question: 'consent.item.surgery.question' },
  { id: 'treatment', title: 'consent.item.treatment.title', question: 'consent.item.treatment.question' },
  { id: 'medication', title: 'consent.item.medication.title', question: 'consent.item.medication.question' },
  { id: 'checkups', title: 'consent.item.checkups.title', question: 'consent.item.checkups.question' },
];

export function consentItem(id: string): ConsentItem | undefined {
  return CONSENT_ITEMS.find((i) => i.id === id);
}
