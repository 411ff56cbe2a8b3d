/**
 * Message catalogs: one file per language under `catalogs/`, all with the keys of the English
 * reference (`MessageKey`); the compiler enforces completeness and a test checks placeholders.
 */
import type { Lang } from './languages.ts';
import type { en } from './catalogs/en.ts';

export type MessageKey = keyof typeof en;
export type Catalog = Readonly<Record<MessageKey, string>>;
export type { Lang };
