// @ts-check
/**
 * The reader's screen, live: asks the server for the next frame as soon as it has drawn the
 * last one (the request waits on the server until the display writes a newer frame), draws it
 * (whole, or only the part that changed since the frame it has, at its place),
 * and reports when each frame was drawn (the console shows the delay; `bench console` measures
 * it). A click or tap on the screen is sent as a touch at that pixel of the display.
 */
import { call, ConsoleRequestError } from './api.js';
import { h } from './dom.js';

/** @typedef {import('../protocol.ts').ScreenView} ScreenView */
/** @typedef {import('../protocol.ts').ButtonView} ButtonView */

const REPORT_MS = 500;
const RETRY_MS = 1000;

export class LiveScreen {
  /** @type {{ seq: number; after: number; at: number }[]} */
  #drawn = [];
  #seq = 0;
  #running = true;

  /**
   * @param {HTMLCanvasElement} canvas
   * @param {HTMLElement} wrap
   * @param {HTMLElement} hits
   * @param {(text: string, error: boolean) => void} note
   */
  constructor(canvas, wrap, hits, note) {
    this.canvas = canvas;
    this.hits = hits;
    this.note = note;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    this.ctx = ctx;
    wrap.addEventListener('click', (e) => { void this.#tap(e, wrap); });
    setInterval(() => { void this.#report(); }, REPORT_MS);
    window.addEventListener('pagehide', () => { this.#running = false; });
  }

  /** Fetches and draws frames until the page goes away. */
  async run() {
    while (this.#running) {
      try {
        const res = await fetch(`/api/frame?after=${this.#seq}`, { cache: 'no-store' });
        if (res.status === 204) continue;
        if (!res.ok) throw new Error(`frame request answered ${res.status}`);
        const seq = Number(res.headers.get('x-frame-seq'));
        const after = this.#seq;
        // only the part that changed since the frame drawn (x,y,w,h), or the whole frame
        const [x, y] = (res.headers.get('x-frame-rect') ?? '0,0').split(',').map(Number);
        const bitmap = await createImageBitmap(await res.blob());
        if (!res.headers.has('x-frame-rect') && (this.canvas.width !== bitmap.width || this.canvas.height !== bitmap.height)) {
          this.canvas.width = bitmap.width;
          this.canvas.height = bitmap.height;
        }
        this.ctx.drawImage(bitmap, x ?? 0, y ?? 0);
        bitmap.close();
        this.#seq = seq;
        requestAnimationFrame(() => { this.#drawn.push({ seq, after, at: performance.timeOrigin + performance.now() }); });
      } catch (err) {
        if (!this.#running) return;
        this.note(`live screen: ${err instanceof Error ? err.message : String(err)}; retrying`, true);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  async #report() {
    if (this.#drawn.length === 0) return;
    const frames = this.#drawn.splice(0, 1000);
    await call('/api/frames-drawn', { frames }).catch(() => undefined);
  }

  /**
   * @param {MouseEvent} e
   * @param {HTMLElement} wrap
   */
  async #tap(e, wrap) {
    const box = this.canvas.getBoundingClientRect();
    const x = Math.round(((e.clientX - box.left) / box.width) * this.canvas.width);
    const y = Math.round(((e.clientY - box.top) / box.height) * this.canvas.height);
    const ripple = h('div', { class: 'ripple', style: `left:${e.clientX - wrap.getBoundingClientRect().left}px;top:${e.clientY - wrap.getBoundingClientRect().top}px` });
    wrap.append(ripple);
    setTimeout(() => ripple.remove(), 500);
    await this.touch(x, y);
  }

  /**
   * A touch at display pixel (x, y); notes what was there.
   * @param {number} x
   * @param {number} y
   */
  async touch(x, y) {
    try {
      /** @type {{ button: ButtonView | undefined }} */
      const r = await call('/api/touch', { x, y });
      this.note(r.button ? `Tapped “${r.button.label}”${r.button.label === r.button.english ? '' : ` (${r.button.english})`}` : 'Tapped where the screen has no button', false);
    } catch (err) {
      this.note(err instanceof ConsoleRequestError ? err.message : String(err), true);
    }
  }

  /**
   * Outlines the buttons of the screen shown (the display's hit-test regions).
   * @param {ScreenView | undefined} screen
   */
  showButtons(screen) {
    this.hits.replaceChildren(...(screen?.buttons ?? []).map((b) => h('div', { 'data-button': b.id, title: `${b.label} · ${b.english}`, style: `left:${b.rect.x}%;top:${b.rect.y}%;width:${b.rect.w}%;height:${b.rect.h}%` })));
  }
}
