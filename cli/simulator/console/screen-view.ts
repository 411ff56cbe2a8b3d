/**
 * The screen now shown, as QA sees it: the display's own layout (its buttons are the touch
 * panel's hit-test regions, so the list can never disagree with what a tap does), each label
 * also in English, and what the reader is waiting for.
 */
import { MessageFormatError } from '../../../firmware/display/i18n/message-format.ts';
import { isLang } from '../../../firmware/display/i18n/languages.ts';
import { translate } from '../../../firmware/display/i18n/translate.ts';
import type { Layout } from '../../../firmware/display/layout/types.ts';
import { SCREENS } from '../../../firmware/display/screens/index.ts';
import type { TextRef } from '../../../firmware/display/screens/screen-def.ts';
import type { ScreenId } from '../../../firmware/ports/screens.ts';
import type { UiInput } from '../../../firmware/visit/adapters/screen-ui.ts';
import type { ButtonView, ScreenView, WaitingFor } from './protocol.ts';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** `drawn` in English: the definition's message in English, or a language's English name. */
function english(ref: TextRef | undefined, drawn: string): string {
  if (typeof ref !== 'string') return drawn;
  try {
    return translate('en', ref);
  } catch (err) {
    // a message with arguments the layout does not carry (a count, seconds): the drawn text stays
    if (err instanceof MessageFormatError) return drawn;
    throw err;
  }
}

function buttonEnglish(layout: Layout, id: string, drawn: string): string {
  if (id.startsWith('lang-') && isLang(id.slice(5))) return languageNames.of(id.slice(5)) ?? drawn;
  return english(SCREENS[layout.screen].buttons.find((b) => b.id === id)?.label, drawn);
}

const pct = (v: number, of: number): number => Math.round((v / of) * 10_000) / 100;

export function buttonViews(layout: Layout): ButtonView[] {
  return layout.buttons.map((b) => ({
    id: b.id,
    label: b.label.text,
    english: buttonEnglish(layout, b.id, b.label.text),
    rect: {
      x: pct(b.rect.x, layout.width),
      y: pct(b.rect.y, layout.height),
      w: pct(b.rect.w, layout.width),
      h: pct(b.rect.h, layout.height),
    },
  }));
}

export function waitingFor(input: UiInput | undefined): WaitingFor {
  if (!input) return { kind: 'nothing' };
  return input.kind === 'action' ? { kind: 'button', accept: input.accept } : { kind: input.kind, entered: input.entered };
}

export function screenView(layout: Layout, visitScreen: ScreenId | undefined, input: UiInput | undefined): ScreenView {
  const title = layout.texts.find((t) => t.id === 'title')?.text ?? '';
  return {
    visit: visitScreen,
    display: layout.screen,
    lang: layout.lang,
    title,
    titleEnglish: english(SCREENS[layout.screen].title, title),
    buttons: buttonViews(layout),
    waitingFor: waitingFor(input),
  };
}
