/**
 * The patient languages of the reader, by BCP 47 code: the one list the display's catalogs, the
 * visit's idle screen, the configuration schema and the scenario schema all derive from.
 * Japanese first (the default). Adding a language: docs/architecture.md, "How to add".
 */
export const LANGS = ['ja', 'en', 'zh-Hans', 'zh-Hant', 'ko', 'es', 'pt', 'th', 'ne', 'id', 'vi', 'tl'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}
