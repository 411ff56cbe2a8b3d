/**
 * The SimRig of one SimReader: a scripted patient's hands (card slot, touch, keypad, standing in
 * front of the camera) and eyes (the screens the visit asked for, the results it handed to the
 * facility link). Every wait polls with a deadline.
 */
import { TimeoutError } from '../../firmware/core/errors.ts';
import type { VisitResult } from '../../firmware/ports/facility-link.ts';
import type { SeenScreen, SimRig } from './rig.ts';
import type { Scene } from './scene-camera.ts';
import type { SimReader } from './sim-reader.ts';

const POLL_MS = 5;

async function until<T>(probe: () => T | undefined, withinMs: number, what: string): Promise<T> {
  const end = performance.now() + withinMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new TimeoutError(what, withinMs);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export class ReaderRig implements SimRig {
  #cursor = 0;
  constructor(readonly reader: SimReader) {}

  get screens(): readonly SeenScreen[] {
    const t0 = this.reader.started;
    return this.reader.events.flatMap((e) => (e.type === 'screen' ? [{ screen: e.screen, at: Math.round(e.at - t0) }] : []));
  }

  get results(): readonly VisitResult[] {
    return this.reader.results;
  }

  insertCard(): Promise<void> {
    this.reader.cardReader.insert(this.reader.card);
    return Promise.resolve();
  }

  pullCard(): Promise<void> {
    this.reader.cardReader.remove();
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
    const [index, screen] = await until((): [number, string] | undefined => {
      for (let i = this.#cursor; i < events.length; i++) {
        const e = events[i];
        if (e?.type === 'screen' && screens.includes(e.screen)) return [i, e.screen];
      }
      return undefined;
    }, withinMs, `screen ${screens.join(' or ')} (last shown: ${this.screens.at(-1)?.screen ?? 'none'})`);
    this.#cursor = index + 1;
    return screen;
  }

  waitForResult(n: number, withinMs: number): Promise<VisitResult> {
    return until(() => this.reader.results[n - 1], withinMs, `result #${n}`);
  }

  /** Drops the events and results seen so far (a long soak must not keep every visit's). */
  forgetHistory(): void {
    this.reader.events.length = 0;
    this.reader.results.length = 0;
    this.#cursor = 0;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
