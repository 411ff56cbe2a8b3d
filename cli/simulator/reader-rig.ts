/**
 * The SimRig of one SimReader: a scripted patient's hands (card slot, touch, keypad, standing in
 * front of the camera) and eyes (the screens the visit asked for, the results it handed to the
 * facility link, and what the facility stored of them). Every wait polls with a deadline.
 */
import { KaoreaderError, TimeoutError } from '../../firmware/core/errors.ts';
import { pollUntil } from './poll-until.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import type { MessageKey } from '../../firmware/display/i18n/catalog.ts';
import { en } from '../../firmware/display/i18n/catalogs/en.ts';
import type { SeenScreen, SimRig } from './rig.ts';
import type { Scene } from './scene-camera.ts';
import { PanelInputError } from './text-panel.ts';
import type { SimReader } from './sim-reader.ts';

/** Longer than any command deadline of the reader: a command delayed this long is never answered. */
const NO_ANSWER_MS = 3_600_000;

const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** The facility refused a result the reader handed over (it is recorded there as refused, not stored). */
export class ResultRefusedError extends KaoreaderError {
  readonly code = 'RESULT_REFUSED_BY_FACILITY';
  constructor(readonly refused: string) {
    super(`the facility refused the result for good: ${refused}`);
  }
}

export class ReaderRig implements SimRig {
  #cursor = 0;
  /** Results the facility stored before `forgetHistory()`: not this rig's any more. */
  #before = new Set<string>();
  constructor(readonly reader: SimReader) {}

  get screens(): readonly SeenScreen[] {
    const t0 = this.reader.started;
    return this.reader.events.flatMap((e) => (e.type === 'screen' ? [{ screen: e.screen, at: Math.round(e.at - t0) }] : []));
  }

  async storedResults(): Promise<readonly VisitResult[]> {
    return (await this.reader.facility.stored()).filter((r) => !this.#before.has(r.id)).reverse();
  }

  get handedOver(): readonly VisitResult[] {
    return this.reader.results;
  }

  challengeIssued(challenge: string): Promise<boolean | undefined> {
    return this.reader.facility.issued(challenge);
  }

  get cardCertificate(): Uint8Array {
    return this.reader.card.authCertificate;
  }

  insertCard(): Promise<void> {
    this.reader.slot.insert(this.reader.card);
    return Promise.resolve();
  }

  cardNoAnswer(): Promise<void> {
    this.reader.slot.faults.add({ kind: 'slow', delayMs: NO_ANSWER_MS });
    return Promise.resolve();
  }

  pullCard(): Promise<void> {
    this.reader.slot.remove();
    return Promise.resolve();
  }

  tap(id: string): Promise<void> {
    return this.reader.ui.tap(id);
  }

  pin(digits: string): Promise<void> {
    return this.reader.ui.digits(digits);
  }

  password(text: string): Promise<void> {
    return this.reader.ui.text(text);
  }

  cancelEntry(): Promise<void> {
    return this.reader.ui.cancel();
  }

  camera(mode: Scene): Promise<void> {
    this.reader.showCamera(mode);
    return Promise.resolve();
  }

  facility(state: 'down' | 'up'): Promise<void> {
    return state === 'down' ? this.reader.facility.down() : this.reader.facility.up();
  }

  /** The next showing of `screen` after the previous one waited for. */
  async waitForScreen(screen: string, withinMs: number): Promise<void> {
    await this.waitForAnyScreen([screen], withinMs);
  }

  /** The next showing of any of `screens`; resolves with the one shown. */
  async waitForAnyScreen(screens: readonly string[], withinMs: number): Promise<string> {
    const events = this.reader.events;
    const [index, screen] = await pollUntil(
      (): [number, string] | undefined => {
        for (let i = this.#cursor; i < events.length; i++) {
          const e = events[i];
          if (e?.type === 'screen' && screens.includes(e.screen)) return [i, e.screen];
        }
        return undefined;
      },
      withinMs,
      () => `screen ${screens.join(' or ')} (last shown: ${this.screens.at(-1)?.screen ?? 'none'})`,
    );
    this.#cursor = index + 1;
    return screen;
  }

  async waitForText(key: string, withinMs: number): Promise<void> {
    if (!isMessageKey(key)) throw new PanelInputError(`"${key}" is not a message of the catalogs`);
    await pollUntil(
      () => (this.reader.ui.shows(key) ? true : undefined),
      withinMs,
      () => `text ${key} on screen ${this.screens.at(-1)?.screen ?? 'none'}`,
    );
  }

  async waitForResult(n: number, withinMs: number): Promise<VisitResult> {
    const end = performance.now() + withinMs;
    for (;;) {
      const r = (await this.storedResults())[n - 1];
      if (r) return r;
      // A result the facility refused for good will never be stored: say so now, with its code.
      const refused = await this.reader.facility.refused(this.reader.results.map((x) => x.id));
      if (refused.size > 0) throw new ResultRefusedError([...refused].map(([id, code]) => `${id}: ${code}`).join(', '));
      if (performance.now() > end) throw new TimeoutError(`result #${n} stored at the facility`, withinMs);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Drops the events and results seen so far (a long soak must not keep every visit's). */
  async forgetHistory(): Promise<void> {
    this.reader.events.length = 0;
    this.reader.results.length = 0;
    this.#before = new Set((await this.reader.facility.stored()).map((r) => r.id));
    this.#cursor = 0;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
