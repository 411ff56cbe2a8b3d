/**
 * The visit's screen parameters (data: tries left, item index from 0, previous consent as a map)
 * as the display part's templates take them. Screen and button ids need no mapping: both sides
 * use the shared vocabulary (ports/screens.ts). Consent item ids are the facility's, unchanged.
 */
import type { ScreenParams as DisplayParams } from '../../display/screens/screen-def.ts';
import type { ScreenId, ScreenParams } from '../screens.ts';

export function displayParams(screen: ScreenId, p: ScreenParams): DisplayParams {
  switch (screen) {
    case 'pin':
    case 'pin-after-face':
      return { triesLeft: p.triesLeft ?? 0, wrong: p.wrong ?? false };
    case 'pin-warning-last-try':
    case 'pin-blocked':
      return { ...(p.triesLeft !== undefined ? { triesLeft: p.triesLeft } : {}) };
    case 'face':
      return { hint: p.hint ?? 'checking' };
    case 'consent-item':
      return { item: p.item ?? '', index: (p.itemIndex ?? 0) + 1, total: p.itemCount ?? 1 };
    case 'consent-reuse':
      return { previous: Object.entries(p.previous ?? {}).map(([item, agreed]) => ({ item, agreed })) };
    case 'staff-password':
      return { entered: 0, wrong: p.wrong ?? false };
    case 'staff-done':
      return { args: { seconds: p.seconds ?? 3 } };
    case 'updating':
      // shown from the switch to the restart: the download is complete by then
      return { args: { progress: p.progress ?? 1 } };
    default:
      return {};
  }
}
