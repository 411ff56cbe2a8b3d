/** Looks a message up in the patient's language and formats it (plural and number rules of that language). */
import type { MessageKey } from './catalog.ts';
import { CATALOGS } from './catalogs/index.ts';
import { LANGUAGES, type Lang } from './languages.ts';
import { formatMessage, type MessageArgs } from './message-format.ts';

export function translate(lang: Lang, key: MessageKey, args: MessageArgs = {}): string {
  return formatMessage(CATALOGS[lang][key], args, LANGUAGES[lang].locale);
}
