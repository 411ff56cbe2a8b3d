/**
 * What a scripted patient can do to the simulated reader, and what it can see. The simulator
 * composition (cli/compose-sim.ts) implements it on the simulated card reader, camera, touch
 * panel, keypad and facility; the scenario runner only talks to this.
 */
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import type { Scene } from './scene-camera.ts';

export interface SeenScreen {
  readonly screen: string;
  /** ms since the rig started. */
  readonly at: number;
}

export interface SimRig {
  /** Screens shown so far, in order. */
  readonly screens: readonly SeenScreen[];
  /** Results the facility stored (delivered through the outbox and the link), oldest first. */
  storedResults(): Promise<readonly VisitResult[]>;
  /** Results the reader handed to its facility link (its own event: fires even if the outbox refused them). */
  readonly handedOver: readonly VisitResult[];
  /** Whether the facility handed out `challenge` in a qualification answer (undefined: facility down). */
  challengeIssued(challenge: string): Promise<boolean | undefined>;
  /** The user-auth certificate (DER) of the card the patient inserts. */
  readonly cardCertificate: Uint8Array;
  insertCard(): Promise<void>;
  /** The card's next command gets no answer (a bad contact): the reader's deadline ends the read. */
  cardNoAnswer(): Promise<void>;
  pullCard(): Promise<void>;
  /** Taps the button `id` of the screen now shown (touch panel). */
  tap(id: string): Promise<void>;
  /** Digits on the keypad, then enter. */
  pin(digits: string): Promise<void>;
  password(text: string): Promise<void>;
  cancelEntry(): Promise<void>;
  camera(mode: Scene): Promise<void>;
  facility(state: 'down' | 'up'): Promise<void>;
  /** Resolves once `screen` is the current screen (or was shown since `since`). */
  waitForScreen(screen: string, withinMs: number): Promise<void>;
  /** Resolves once the screen shown displays the catalog message `key` (its text in the screen's language). */
  waitForText(key: string, withinMs: number): Promise<void>;
  /** Resolves with the `n`-th result (1-based) once the facility has stored it. */
  waitForResult(n: number, withinMs: number): Promise<VisitResult>;
  close(): Promise<void>;
}
