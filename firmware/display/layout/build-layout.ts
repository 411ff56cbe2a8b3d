/** Screen id + params + language + size + accessibility → Layout, through the screen's template. */
import type { FontSet } from '../fonts/font-set.ts';
import type { Lang } from '../i18n/languages.ts';
import { SCREENS } from '../screens/index.ts';
import type { ScreenId, ScreenParams, Template } from '../screens/screen-def.ts';
import { LayoutBuilder } from './builder.ts';
import { choiceTemplate, listTemplate, messageTemplate, progressTemplate } from './templates/basic.ts';
import { idleTemplate } from './templates/idle.ts';
import { faceTemplate, photoTemplate, qrTemplate } from './templates/media.ts';
import { pinpadTemplate } from './templates/pinpad.ts';
import type { Theme } from './theme.ts';
import type { Layout } from './types.ts';

const TEMPLATES: Readonly<Record<Template, (b: LayoutBuilder) => void>> = {
  idle: idleTemplate,
  message: messageTemplate,
  choice: choiceTemplate,
  list: listTemplate,
  progress: progressTemplate,
  face: faceTemplate,
  photo: photoTemplate,
  qr: qrTemplate,
  pinpad: pinpadTemplate,
};

export interface LayoutRequest {
  readonly screen: ScreenId;
  readonly params: ScreenParams;
  readonly lang: Lang;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
}

export function buildLayout(req: LayoutRequest, fonts: FontSet): Layout {
  const def = SCREENS[req.screen];
  const b = new LayoutBuilder(def, req.params, req.lang, req.width, req.height, req.theme, fonts);
  TEMPLATES[def.template](b);
  return b.finish();
}
