/**
 * What the QA console's server and its page exchange, as JSON. Types only (no Node imports): the
 * page's scripts (web/*.js, `// @ts-check`) import them too, so both sides are checked against
 * one definition (tsconfig.web.json).
 */
import type { Lang } from '../../../firmware/ports/language.ts';
import type { ScreenId } from '../../../firmware/ports/screens.ts';
import type { CardKind } from '../card-kind.ts';

/** A button of the screen now shown, from the display's own layout (its hit-test region). */
export interface ButtonView {
  /** The display's button id (what the touch panel's hit-test finds there). */
  readonly id: string;
  /** The label as drawn, in the screen's language. */
  readonly label: string;
  /** The same label in English (for QA who do not read the screen's language). */
  readonly english: string;
  /** Where it is, in percent of the screen's width and height. */
  readonly rect: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

/** What the reader is waiting for right now. */
export type WaitingFor =
  | { readonly kind: 'button'; readonly accept: readonly string[] }
  | { readonly kind: 'pin' | 'password'; readonly entered: number }
  | { readonly kind: 'nothing' };

export interface ScreenView {
  /** The visit's screen id (what scenario files `expect`), when a visit asked for it. */
  readonly visit: ScreenId | undefined;
  /** The display's screen id. */
  readonly display: ScreenId;
  readonly lang: Lang;
  readonly title: string;
  readonly titleEnglish: string;
  readonly buttons: readonly ButtonView[];
  readonly waitingFor: WaitingFor;
}

export type { CardKind };

/** What a reader is built with; changing it rebuilds the simulated reader (card out only). */
export interface ConsoleSetup {
  readonly patient: string;
  readonly card: CardKind;
  /** The facility knows this patient as registered for health-insurance use. */
  readonly registered: boolean;
  /** The facility issues electronic prescriptions. */
  readonly ePrescription: boolean;
}

/** The console's actions that may not apply now; each present key says why not. */
export type ActionName =
  'insert' | 'pull' | 'setup' | 'language' | 'camera' | 'facility' | 'staffPassword' | 'keypad' | 'touch' | 'scenario';

export interface ConsoleState {
  readonly status: 'starting' | 'ready' | 'rebuilding' | 'scenario' | 'stopped';
  readonly readerId: string | undefined;
  readonly screen: ScreenView | undefined;
  readonly cardInSlot: boolean;
  readonly setup: ConsoleSetup;
  readonly camera: string;
  readonly facility: 'up' | 'down';
  readonly staffPasswordSet: boolean;
  /** One sentence: what QA can do next. */
  readonly hint: string;
  readonly blocked: Readonly<Partial<Record<ActionName, string>>>;
  /** The scenario running now, if any. */
  readonly scenario: string | undefined;
}

export interface Choice {
  readonly id: string;
  readonly label: string;
  readonly help: string;
}

export interface Catalog {
  readonly patients: readonly (Choice & { readonly pin: string })[];
  readonly cards: readonly Choice[];
  readonly scenes: readonly Choice[];
  readonly languages: readonly Choice[];
  readonly scenarios: readonly string[];
  /** The display's size in pixels (touch coordinates). */
  readonly screenSize: { readonly width: number; readonly height: number };
}

/** A screen captured as it was first drawn (downloadable as PNG). */
export interface ShotView {
  readonly n: number;
  readonly visit: ScreenId | undefined;
  readonly display: ScreenId;
  readonly lang: string;
  /** Epoch ms. */
  readonly at: number;
  readonly file: string;
}

export interface AuditView {
  readonly at: string;
  readonly event: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface MqttView {
  readonly n: number;
  /** Epoch ms. */
  readonly at: number;
  readonly topic: string;
  readonly direction: 'reader → facility' | 'facility → reader' | 'facility';
  /** The message's schema name, or "(not JSON)". */
  readonly kind: string;
  /** The payload, parsed, with secrets (passwords) masked. */
  readonly payload: unknown;
}

export interface VisitEventView {
  readonly type: string;
  /** The state, screen, or method/outcome. */
  readonly what: string;
  /** ms since the reader started. */
  readonly at: number;
}

export interface ScenarioView {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly screens: readonly string[];
  readonly result: unknown;
  readonly ms: number;
}

export interface LatencyView {
  /** Frames the display wrote since the console started. */
  readonly frames: number;
  /** Frames a browser drew (the others were replaced by a newer frame before being sent). */
  readonly drawn: number;
  /** Display write → browser drew that frame or a newer one, ms (null before any was drawn). */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
  readonly n: number;
  /** Of it, the server's PNG encoding (device bytes → PNG), ms. */
  readonly encodeP50: number | null;
  readonly encodeP95: number | null;
}

/** Server-sent events: `event:` name → data. */
export interface ConsoleEvents {
  readonly state: ConsoleState;
  readonly visit: VisitEventView;
  readonly audit: AuditView;
  readonly mqtt: MqttView;
  readonly shot: ShotView;
  readonly result: unknown;
  readonly scenario: ScenarioView;
  readonly latency: LatencyView;
  /** Something the console did for QA or could not do (one line). */
  readonly note: { readonly text: string; readonly error: boolean };
}

/** A step, as in scenario files (`{ insert: 'card' }`, `{ camera: 'phone' }`, `{ tap: 'face' }`…). */
export type StepRequest = Readonly<Record<string, string | number>>;

export interface ErrorReply {
  readonly error: { readonly code: string; readonly message: string };
}
