/**
 * Scripted patient at the screen: the scenario lists, in order, the screen the patient expects
 * to see and what they do on it (press a button, type a PIN or password, cancel, pull the card,
 * or do nothing until a timeout). A screen the script did not expect, a button the screen does
 * not have, or running out of script throws, failing the test. The face screen's buttons are
 * optional: while the script's next step is not a press on it, the patient leaves them alone.
 */
import type { PadScreen, UiSecret, VisitUi } from '../../../../firmware/visit/deps.ts';
import type { ScreenId, ScreenParams } from '../../../../firmware/visit/screens.ts';
import { untilAborted } from './scripted.ts';

export type PatientStep =
  | { readonly on: ScreenId; readonly press: string }
  /** Presses a button of `on` while the next screen, `whileDrawing`, is being drawn (a slow frame). */
  | { readonly on: ScreenId; readonly press: string; readonly whileDrawing: ScreenId }
  | { readonly on: PadScreen; readonly type: string }
  | { readonly on: ScreenId; readonly cancel: true }
  | { readonly on: ScreenId; readonly pull: true }
  | { readonly on: ScreenId; readonly wait: true };

export class ScriptedPatient implements VisitUi {
  /** Screens in the order they reached the panel, and when (performance.now(), faked in the harness). */
  readonly screens: { screen: ScreenId; params: ScreenParams; at: number }[] = [];
  readonly typed: Uint8Array[] = [];
  language = 'ja';
  #steps: PatientStep[];
  #drawing = new Map<ScreenId, () => void>();

  /** `drawMs`: how long a screen takes to reach the panel (a slow renderer). */
  constructor(
    steps: readonly PatientStep[],
    private readonly pullCard: () => void = () => {
      throw new Error('no card to pull');
    },
    private readonly drawMs = 0,
  ) {
    this.#steps = [...steps];
  }

  get remaining(): readonly PatientStep[] {
    return this.#steps;
  }

  get current(): ScreenId | undefined {
    return this.screens.at(-1)?.screen;
  }

  async show(screen: ScreenId, params: ScreenParams = {}): Promise<boolean> {
    const pressing = this.#drawing.get(screen);
    this.#drawing.delete(screen);
    if (pressing) {
      pressing();
      await new Promise((r) => setImmediate(r)); // the press lands before the frame is on the panel
    }
    if (this.drawMs > 0) await new Promise((r) => setTimeout(r, this.drawMs));
    this.screens.push({ screen, params, at: performance.now() });
    return true;
  }

  setLanguage(language: string): void {
    this.language = language;
  }

  #next(signal: AbortSignal): PatientStep | Promise<never> {
    const step = this.#steps[0];
    if (!step) throw new Error(`patient script exhausted on screen ${this.current ?? '(none)'}`);
    if (step.on !== this.current) throw new Error(`patient expected screen ${step.on} but sees ${this.current ?? '(none)'}`);
    this.#steps.shift();
    if ('pull' in step) {
      this.pullCard();
      return untilAborted(signal, 'patient');
    }
    if ('wait' in step) return untilAborted(signal, 'patient');
    return step;
  }

  async waitForAction<B extends string>(accept: readonly B[], signal: AbortSignal): Promise<B> {
    const ahead = this.#steps[0];
    if (this.current === 'face' && !(ahead?.on === 'face' && 'press' in ahead)) return untilAborted(signal, 'patient');
    const step = await this.#next(signal);
    if (!('press' in step)) throw new Error(`patient script has no button press for ${step.on}`);
    const pressed = accept.find((a) => a === step.press);
    if (pressed === undefined) throw new Error(`screen ${step.on} has no button ${step.press} (has ${accept.join(', ')})`);
    if ('whileDrawing' in step) await new Promise<void>((resolve) => this.#drawing.set(step.whileDrawing, resolve));
    return pressed;
  }

  async readSecret(screen: PadScreen, _params: ScreenParams, signal: AbortSignal): Promise<UiSecret> {
    const step = await this.#next(signal);
    if ('cancel' in step) return { kind: 'cancelled' };
    if (!('type' in step)) throw new Error(`patient script has nothing to type on ${step.on}`);
    if (screen !== step.on) throw new Error(`asked for the ${screen} pad on ${step.on}`);
    const value = new Uint8Array(Buffer.from(step.type, 'ascii'));
    this.typed.push(value);
    return { kind: 'entered', value };
  }
}
