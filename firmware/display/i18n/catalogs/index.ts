/** Every language's catalog, by language code. */
import type { Catalog } from '../catalog.ts';
import type { Lang } from '../languages.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { id } from './id.ts';
import { ja } from './ja.ts';
import { ko } from './ko.ts';
import { ne } from './ne.ts';
import { pt } from './pt.ts';
import { th } from './th.ts';
import { tl } from './tl.ts';
import { vi } from './vi.ts';
import { zhHans } from './zh-Hans.ts';
import { zhHant } from './zh-Hant.ts';

export const CATALOGS: Readonly<Record<Lang, Catalog>> = {
  ja,
  en,
  'zh-Hans': zhHans,
  'zh-Hant': zhHant,
  ko,
  es,
  pt,
  th,
  ne,
  id,
  vi,
  tl,
};
