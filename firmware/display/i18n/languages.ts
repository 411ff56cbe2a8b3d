/**
 * The patient languages of the reader (the list itself: ports/language.ts): code (BCP 47, also the `xml:lang` written into the SVG so
 * fontconfig/pango pick the right Noto CJK variant), the locale used for Intl plural and number
 * rules, the font families in fallback order, and the espeak-ng voice (absent when espeak-ng has none).
 */
import type { Lang } from '../../ports/language.ts';

export { LANGS, isLang, type Lang } from '../../ports/language.ts';

export interface LanguageInfo {
  readonly code: Lang;
  /** Locale for Intl.PluralRules / Intl.NumberFormat. */
  readonly locale: string;
  /** Font families, first choice first; CJK JP last so Japanese terms inside other languages render. */
  readonly fonts: readonly string[];
  /** espeak-ng voice name, or undefined when espeak-ng has no voice for the language. */
  readonly voice: string | undefined;
}

const LATIN = ['Noto Sans', 'Noto Sans CJK JP'] as const;

export const LANGUAGES: Readonly<Record<Lang, LanguageInfo>> = {
  ja: { code: 'ja', locale: 'ja-JP', fonts: ['Noto Sans CJK JP'], voice: 'ja' },
  en: { code: 'en', locale: 'en-US', fonts: LATIN, voice: 'en-us' },
  'zh-Hans': { code: 'zh-Hans', locale: 'zh-Hans-CN', fonts: ['Noto Sans CJK SC', 'Noto Sans CJK JP'], voice: 'cmn' },
  'zh-Hant': { code: 'zh-Hant', locale: 'zh-Hant-TW', fonts: ['Noto Sans CJK TC', 'Noto Sans CJK JP'], voice: 'cmn' },
  ko: { code: 'ko', locale: 'ko-KR', fonts: ['Noto Sans CJK KR', 'Noto Sans CJK JP'], voice: 'ko' },
  es: { code: 'es', locale: 'es', fonts: LATIN, voice: 'es' },
  pt: { code: 'pt', locale: 'pt-BR', fonts: LATIN, voice: 'pt-br' },
  th: { code: 'th', locale: 'th-TH', fonts: ['Noto Sans Thai', ...LATIN], voice: 'th' },
  ne: { code: 'ne', locale: 'ne-NP', fonts: ['Noto Sans Devanagari', ...LATIN], voice: 'ne' },
  id: { code: 'id', locale: 'id-ID', fonts: LATIN, voice: 'id' },
  vi: { code: 'vi', locale: 'vi-VN', fonts: LATIN, voice: 'vi' },
  tl: { code: 'tl', locale: 'fil-PH', fonts: LATIN, voice: undefined },
};
