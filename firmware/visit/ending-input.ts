/**
 * The buttons of the screen a visit ended on, answered while the card is still in. The fallback
 * choices (on `fallback`, and on `not-registered` after a declined registration) lead to what to
 * show the staff. On the card-problem screens, "what can I do?" opens the same fallback guidance,
 * "OK" goes back to the start screen, and "try again" asks for a new visit with the card in place.
 * Ends when `signal` fires (the card came out); every press needs the patient, and each loop is capped.
 */
import type { VisitUi } from './deps.ts';
import { fallbackGuidance } from './guidance.ts';
import { SCREENS, type ButtonOf, type ScreenId, type ScreenParams } from './screens.ts';

export interface EndingIo {
  readonly ui: VisitUi;
  readonly params: ScreenParams;
  readonly signal: AbortSignal;
  readonly show: (screen: ScreenId, params: ScreenParams) => Promise<void>;
}

/** `retry`: run the visit again; `done`: nothing more to answer on this screen. */
export type EndingNext = 'retry' | 'done';

type CardProblem = Extract<ScreenId, 'not-my-number-card' | 'card-expired' | 'card-unreadable'>;

function isCardProblem(screen: ScreenId): screen is CardProblem {
  return screen === 'not-my-number-card' || screen === 'card-expired' || screen === 'card-unreadable';
}

export async function endingInput(screen: ScreenId, io: EndingIo): Promise<EndingNext> {
  const { ui, params, signal, show } = io;
  if (screen === 'fallback' || screen === 'not-registered') {
    await fallbackGuidance(ui, params, signal, show, screen);
    return 'done';
  }
  if (!isCardProblem(screen)) return 'done';
  const accept: readonly ButtonOf<CardProblem>[] = SCREENS[screen];
  const choice = await ui.waitForAction(accept, signal);
  switch (choice) {
    case 'retry':
      return 'retry';
    case 'ok':
      await show('idle', {});
      return 'done';
    case 'help':
      await show('fallback', params);
      await fallbackGuidance(ui, params, signal, show);
      return 'done';
  }
}
