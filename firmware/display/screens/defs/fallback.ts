/** Fallback guidance when qualification cannot be confirmed (MHLW leaflet: マイナポータル, 資格情報のお知らせ, 被保険者資格申立書). */
import type { ScreenDef } from '../screen-def.ts';

export const fallbackQualification = {
  id: 'fallback',
  template: 'choice',
  tone: 'warning',
  title: 'fallback.title',
  body: ['fallback.body'],
  buttons: [
    { id: 'mynaportal', label: 'fallback.mynaportal', kind: 'primary' },
    { id: 'notice', label: 'fallback.notice', kind: 'primary' },
    { id: 'neither', label: 'fallback.neither', kind: 'secondary' },
  ],
} satisfies ScreenDef<'fallback'>;

export const fallbackMynaportal = {
  id: 'fallback-mynaportal',
  template: 'message',
  tone: 'info',
  title: 'mynaportal.title',
  body: ['mynaportal.body'],
  buttons: [
    { id: 'back', label: 'btn.back', kind: 'secondary' },
    { id: 'ok', label: 'btn.ok', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'fallback-mynaportal'>;

export const fallbackNotice = {
  id: 'fallback-notice',
  template: 'message',
  tone: 'info',
  title: 'notice.title',
  body: ['notice.body'],
  buttons: [
    { id: 'back', label: 'btn.back', kind: 'secondary' },
    { id: 'ok', label: 'btn.ok', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'fallback-notice'>;

export const fallbackDeclaration = {
  id: 'fallback-declaration',
  template: 'message',
  tone: 'info',
  title: 'declaration.title',
  body: ['declaration.body'],
  buttons: [
    { id: 'back', label: 'btn.back', kind: 'secondary' },
    { id: 'ok', label: 'btn.ok', kind: 'primary', default: true },
  ],
} satisfies ScreenDef<'fallback-declaration'>;
