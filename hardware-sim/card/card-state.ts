/**
 * Volatile state of the virtual card between power-ups: selected applet and EF, which secrets
 * are verified in this selection, the last challenge. Reset by power-on and by selecting another
 * applet (switching drops verified state, as on the real card; re-selecting the same one does not).
 */
import type { AppletDef } from './applets.ts';

export interface CardState {
  applet: AppletDef | undefined;
  ef: number | undefined;
  verified: Set<number>;
  challenge: Uint8Array | undefined;
  terminalAuthenticated: boolean;
}

export function freshState(): CardState {
  return { applet: undefined, ef: undefined, verified: new Set(), challenge: undefined, terminalAuthenticated: false };
}

export type Reply = { readonly data?: Uint8Array; readonly sw: number };

export const sw = (s: number): Reply => ({ sw: s });
