/**
 * The rendered screens of the simulator: ScreenUi drawing real framebuffer bytes into a simulated
 * display, read by a simulated touch panel and keypad, behind the visit's ScreenUi adapter. A
 * scripted finger waits until the reader is waiting for that very button (or pad) before
 * pressing, then until the press was taken: ScreenUi drops presses nobody waits for.
 */
import { TimeoutError } from '../../firmware/core/errors.ts';
import type { Logger } from '../../firmware/core/logger.ts';
import { translate } from '../../firmware/display/i18n/translate.ts';
import { ScreenUi } from '../../firmware/display/screen-ui.ts';
import { decodeJpeg2000 } from '../../firmware/face/enrol/jp2-decode.ts';
import { displayButton } from '../../firmware/visit/adapters/screen-map.ts';
import { ScreenUiAdapter, type UiInput } from '../../firmware/visit/adapters/screen-ui.ts';
import { SimDisplay } from '../../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../../hardware-sim/touch/sim-touch.ts';
import type { Prompt } from '../../hardware-sim/patients/prompt-reaction.ts';
import type { SimUiKit } from './sim-reader.ts';
import { PanelInputError } from './text-panel.ts';

const INPUT_WAIT_MS = 15_000;

async function until(probe: () => boolean, what: string, ms = INPUT_WAIT_MS): Promise<void> {
  const end = performance.now() + ms;
  while (!probe()) {
    if (performance.now() > end) throw new TimeoutError(what, ms);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export class ScreenKit implements SimUiKit {
  readonly display: SimDisplay;
  readonly touch: SimTouch;
  readonly keypad = new SimKeypad();
  readonly screenUi: ScreenUi;
  readonly adapter: ScreenUiAdapter;
  readonly #waitMs: number;

  /** `patience` multiplies how long the scripted finger waits for the reader (emulation). */
  constructor(log: Logger, size: { width: number; height: number } = { width: 1024, height: 600 }, patience = 1) {
    this.#waitMs = INPUT_WAIT_MS * patience;
    this.display = new SimDisplay(size.width, size.height, 'XRGB8888');
    let ui: ScreenUi | undefined;
    this.touch = new SimTouch(() => ui?.layout);
    ui = new ScreenUi({ display: this.display, touch: this.touch, keypad: this.keypad, log: log.child('screen') });
    this.screenUi = ui;
    this.screenUi.start();
    this.adapter = new ScreenUiAdapter(ui, { log, decodePhoto: decodeJpeg2000 });
  }

  get ui(): ScreenUiAdapter {
    return this.adapter;
  }

  /** Waits for the reader to want `fits`, presses, then waits until the press was taken. */
  async #press(fits: (i: UiInput) => boolean, what: string, press: () => void): Promise<void> {
    await until(() => { const i = this.adapter.input; return i !== undefined && fits(i); }, `${what} on screen ${this.adapter.screen ?? 'none'}`, this.#waitMs);
    const seq = this.adapter.waits;
    press();
    await until(() => this.adapter.waits > seq || this.adapter.input === undefined, `${what} to be taken`, this.#waitMs);
  }

  tap(id: string): Promise<void> {
    return this.#press((i) => i.kind === 'action' && i.accept.includes(id), `button ${id}`, () => {
      const screen = this.adapter.screen;
      this.touch.tapButton(screen ? displayButton(screen, id) : id);
    });
  }

  /**
   * Taps the display's button `id` (an id of the layout shown) once the reader waits for any
   * input, then waits until the press was taken; what the reader makes of it is its business.
   */
  pressDisplay(id: string): Promise<void> {
    return this.#press(() => true, `button ${id}`, () => { this.touch.tapButton(id); });
  }

  async digits(digits: string): Promise<void> {
    for (const d of digits) await this.#press((i) => i.kind === 'pin', 'the PIN pad', () => this.touch.tapButton(`digit-${d}`));
  }

  async text(text: string): Promise<void> {
    if (!/^[0-9]{1,8}$/.test(text)) throw new PanelInputError('the staff password pad takes 1–8 digits');
    for (const d of text) await this.#press((i) => i.kind === 'password', 'the staff password pad', () => this.keypad.press(Number(d)));
    await this.#press((i) => i.kind === 'password', 'the staff password pad', () => this.keypad.press('enter'));
  }

  cancel(): Promise<void> {
    return this.#press((i) => i.kind === 'pin' || i.kind === 'password', 'a pad to cancel', () => this.touch.tapButton('cancel'));
  }

  frames(): number {
    return this.display.frames;
  }

  /** Reads the hint line of the face screen drawn now, in the language it is drawn in. */
  challenge(): Prompt | undefined {
    const layout = this.screenUi.layout;
    if (layout?.screen !== 'face-guidance') return undefined;
    const hint = layout.texts.find((t) => t.id === 'hint')?.text;
    if (hint === translate(layout.lang, 'face.hint.blink')) return 'blink';
    if (hint === translate(layout.lang, 'face.hint.turn')) return 'turn';
    return undefined;
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
