/** The screens of the console's session as PNG, each as first drawn; the oldest go past `keep`. */
import type { ShotView } from './protocol.ts';

export class ScreenShots {
  #n = 0;
  readonly #shots: { view: ShotView; png: Buffer }[] = [];

  constructor(private readonly keep: number) {}

  add(what: Omit<ShotView, 'n' | 'file'>, png: Buffer): ShotView {
    const n = ++this.#n;
    const view: ShotView = { ...what, n, file: `${String(n).padStart(3, '0')}-${what.visit ?? what.display}-${what.lang}.png` };
    this.#shots.push({ view, png });
    if (this.#shots.length > this.keep) this.#shots.shift();
    return view;
  }

  get(n: number): { view: ShotView; png: Buffer } | undefined {
    return this.#shots.find((s) => s.view.n === n);
  }

  list(): ShotView[] {
    return this.#shots.map((s) => s.view);
  }
}
