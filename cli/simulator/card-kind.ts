/** The kinds of card the simulator can put in the slot: the patient's own, one that is not a My Number Card, an expired one. */
export const CARD_KINDS = ['patient', 'not-my-number-card', 'expired'] as const;
export type CardKind = (typeof CARD_KINDS)[number];
