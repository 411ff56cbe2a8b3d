/**
 * The screens the visit asks for: ids and buttons come from the vocabulary it shares with the
 * display (ports/screens.ts). The display part renders them (texts from its message catalogs, in
 * the patient's language); the visit never puts text on a screen itself, only ids and data parameters.
 */
import type { FaceHint } from '../ports/screens.ts';

export { SCREENS, buttonsOf, type ButtonOf, type ScreenId } from '../ports/screens.ts';

/** Data a screen shows (never free text): tries left, the consent item id, a hint id… */
export interface ScreenParams {
  readonly triesLeft?: number;
  readonly lastTry?: boolean;
  /** PIN pad / staff password pad: the previous entry was wrong. */
  readonly wrong?: boolean;
  /** staff-done: seconds until the reader goes back to unattended mode. */
  readonly seconds?: number;
  /** face: what the patient is asked to do now. */
  readonly hint?: FaceHint;
  readonly item?: string;
  readonly itemIndex?: number;
  readonly itemCount?: number;
  /** Previous consent on a revisit: item id → agreed. */
  readonly previous?: Readonly<Record<string, boolean>>;
  /** Why the fallback/guidance screen is shown (an error code). */
  readonly reason?: string;
  /** Chip photo (JPEG 2000) for the staff visual check; a secret of the visit. */
  readonly photo?: Uint8Array;
  readonly progress?: number;
}
