/**
 * The rendered screens of the simulator: ScreenUi drawing real framebuffer bytes into a simulated
 * display, read by a simulated touch panel and keypad, behind the visit's ScreenUi adapter. The
 * scripted patient presses through PatientHands: only after the button is drawn on the panel,
 * after a human delay, now and then too early (patient-hands.ts); never by asking the reader
 * what it waits for.
 */
import type { Logger } from '../../firmware/core/logger.ts';
import type { FontSet } from '../../firmware/display/fonts/font-set.ts';
import type { MessageKey } from '../../firmware/display/i18n/catalog.ts';
import { translate } from '../../firmware/display/i18n/translate.ts';
import { ScreenUi } from '../../firmware/display/screen-ui.ts';
import { decodeJpeg2000 } from '../../firmware/face/enrol/jp2-decode.ts';
import { ScreenUiAdapter } from '../../firmware/visit/adapters/screen-ui.ts';
import { SimDisplay } from '../../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../../hardware-sim/touch/sim-touch.ts';
import { HUMAN_PACE, type PatientPace } from '../../hardware-sim/patients/patient-pace.ts';
import type { ScreenId } from '../../firmware/ports/screens.ts';
import type { Prompt } from '../../hardware-sim/patients/prompt-reaction.ts';
import { PatientHands, type ButtonMemory } from './patient-hands.ts';
import type { SimUiKit } from './sim-reader.ts';
import { PanelInputError } from './text-panel.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';

/** The PIN pads: the usual one and the one after a face match. */
const PIN_PADS: readonly ScreenId[] = ['pin', 'pin-after-face'];

/** The face screen's challenge lines and what a patient reading them does. */
const PROMPTS: readonly (readonly [MessageKey, Prompt])[] = [
  ['face.hint.blinkOnce', 'blink-once'],
  ['face.hint.blinkTwice', 'blink-twice'],
  ['face.hint.blinkThrice', 'blink-thrice'],
  ['face.hint.turnLeft', 'turn-left'],
  ['face.hint.turnRight', 'turn-right'],
];

export class ScreenKit implements SimUiKit {
  readonly display: SimDisplay;
  readonly touch: SimTouch;
  readonly keypad = new SimKeypad();
  readonly screenUi: ScreenUi;
  readonly adapter: ScreenUiAdapter;
  readonly hands: PatientHands;

  /**
   * `patience` multiplies how long the patient waits for the reader's screens (slow machines,
   * emulation); `fonts`: the world's font set, shared by its readers (ScreenUi's own otherwise).
   */
  constructor(
    log: Logger,
    o: {
      readonly size?: { width: number; height: number };
      readonly pace?: PatientPace;
      readonly memory?: ButtonMemory;
      readonly now?: () => number;
      readonly patience?: number;
      readonly fonts?: FontSet;
    } = {},
  ) {
    const size = o.size ?? { width: 1024, height: 600 };
    this.display = new SimDisplay(size.width, size.height, 'XRGB8888', 0, o.now);
    let ui: ScreenUi | undefined;
    this.touch = new SimTouch(() => ui?.layout);
    ui = new ScreenUi({
      display: this.display,
      touch: this.touch,
      keypad: this.keypad,
      log: log.child('screen'),
      clock: systemClock,
      ...(o.fonts ? { fonts: o.fonts } : {}),
    });
    this.screenUi = ui;
    this.screenUi.start();
    this.adapter = new ScreenUiAdapter(ui, { log, decodePhoto: decodeJpeg2000 });
    const drawn = ui;
    this.hands = new PatientHands(this.display, this.touch, () => drawn.layout, o.pace ?? HUMAN_PACE, o.memory, o.patience);
  }

  get ui(): ScreenUiAdapter {
    return this.adapter;
  }

  tap(id: string): Promise<void> {
    return this.hands.tap(id);
  }

  /**
   * Taps the display's button `id` (an id of the layout shown) once it is drawn, at once (a person
   * at the QA console chose it), and gives the screen a moment to react; what the reader makes of
   * the press is its business.
   */
  pressDisplay(id: string): Promise<void> {
    return this.hands.pressDrawn(id);
  }

  async digits(digits: string): Promise<void> {
    for (const d of digits) await this.hands.padTap(PIN_PADS, `digit-${d}`);
  }

  async text(text: string): Promise<void> {
    if (!/^[0-9]{1,16}$/.test(text)) throw new PanelInputError('the staff password pad takes up to 16 digits');
    for (const d of text) await this.hands.key('staff-password', () => this.keypad.press(Number(d)), 'a digit');
    await this.hands.key('staff-password', () => this.keypad.press('enter'), 'enter', 1);
  }

  async cancel(): Promise<void> {
    const pads = [...PIN_PADS, 'staff-password'];
    const pad = await this.hands.see((l) => (pads.includes(l.screen) ? l.screen : undefined), 'a pad to cancel');
    await this.hands.padTap([pad], 'cancel', 1);
  }

  /** When the frame showing display screen `screen` was written (once it is on the panel), bounded. */
  async drawnAt(screen: string, withinMs: number): Promise<number> {
    await this.hands.see((l) => (l.screen === screen ? l : undefined), `screen ${screen}`, withinMs);
    return this.display.lastFrameAt;
  }

  /**
   * Resolves true once `holds()` is true: checked now, then again after each frame the display
   * writes (once its layout is in place) and each change of the adapter's screen or of what it
   * waits for; false after `withinMs`. No polling; the listeners are removed either way.
   */
  when(holds: () => boolean, withinMs: number): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let queued = false;
      const check = (): void => {
        if (queued) return;
        queued = true;
        setImmediate(() => {
          queued = false;
          if (holds()) finish(true);
        });
      };
      const stopFrames = this.display.onFrame(check);
      const stopChanges = this.adapter.onChange(check);
      const timer = setTimeout(() => finish(holds()), withinMs);
      const finish = (v: boolean): void => {
        clearTimeout(timer);
        stopFrames();
        stopChanges();
        resolve(v);
      };
    });
  }

  frames(): number {
    return this.display.frames;
  }

  /** Reads the hint line of the face screen drawn now, in the language it is drawn in. */
  challenge(): Prompt | undefined {
    const layout = this.screenUi.layout;
    if (layout?.screen !== 'face') return undefined;
    const hint = layout.texts.find((t) => t.id === 'hint')?.text;
    return PROMPTS.find(([key]) => hint === translate(layout.lang, key))?.[1];
  }

  /** Whether the screen drawn now shows the message `key` (a message without arguments), in its language. */
  shows(key: MessageKey): boolean {
    const layout = this.screenUi.layout;
    if (!layout) return false;
    const text = translate(layout.lang, key);
    return layout.texts.some((t) => t.text === text) || layout.buttons.some((b) => b.label.text === text);
  }

  snapshot(): Promise<Uint8Array> {
    return this.display.capturePng();
  }

  redraw(): Promise<boolean> {
    return this.screenUi.redraw();
  }

  async close(): Promise<void> {
    await this.screenUi.close();
    await this.touch.close();
    await this.keypad.close();
    await this.display.close();
  }
}
