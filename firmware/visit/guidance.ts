/**
 * The fallback guidance after a visit that could not confirm the qualification: the patient
 * picks what they have (マイナポータル screen, 資格情報のお知らせ, neither) and sees what to show
 * the staff, or that staff confirm verbally / the 被保険者資格申立書 on a first visit. Runs
 * until the card is taken (the signal); every press needs the patient, so the loop is bounded
 * by presses, with a cap.
 */
import type { VisitUi } from './deps.ts';
import { SCREENS, type ButtonOf, type ScreenId, type ScreenParams } from './screens.ts';

const DETAIL: Readonly<Record<ButtonOf<'fallback'>, 'fallback-mynaportal' | 'fallback-notice' | 'fallback-declaration'>> = {
  mynaportal: 'fallback-mynaportal',
  notice: 'fallback-notice',
  neither: 'fallback-declaration',
};
const MAX_PRESSES = 100;

/** The screens that offer the fallback choices: the guidance itself, and the one after a declined registration. */
export type FallbackScreen = Extract<ScreenId, 'fallback' | 'not-registered'>;

export async function fallbackGuidance(
  ui: VisitUi,
  params: ScreenParams,
  signal: AbortSignal,
  show: (s: ScreenId, p: ScreenParams) => Promise<void>,
  home: FallbackScreen = 'fallback',
): Promise<void> {
  for (let i = 0; i < MAX_PRESSES && !signal.aborted; i++) {
    const choice = await ui.waitForAction(SCREENS.fallback, signal);
    const detail = DETAIL[choice];
    await show(detail, params);
    await ui.waitForAction(SCREENS[detail], signal);
    await show(home, params);
  }
}
