/**
 * The live view of a simulated display. Every frame the display writes is numbered and
 * timestamped; a browser asks for the first frame after the one it has (a long poll, so the
 * request is already waiting when the frame comes) and gets the newest one, encoded as PNG once.
 * The browser reports when it drew each frame; the feed turns that into the delay from display
 * write to drawn. A frame replaced by a newer one before it was sent counts as delivered when
 * that newer one is drawn (what QA sees is at least that new). A browser that still has a recent
 * frame gets only the rectangle that changed since (a PIN pad redraw: the dots), as a small PNG
 * it draws at that place (frame-diff.ts).
 */
import sharp from 'sharp';
import { frameToRgba } from '../../../firmware/display/render/pixel-format.ts';
import type { Clock, TimerHandle } from '../../../firmware/ports/clock.ts';
import type { DisplayGeometry } from '../../../firmware/ports/display.ts';
import type { SimDisplay } from '../../../hardware-sim/display/sim-display.ts';
import type { LatencyView } from './protocol.ts';
import { stats } from '../../bench/visit-bench.ts';
import { changedRect, cropFrame, type Rect } from './frame-diff.ts';

export interface EncodedFrame {
  readonly seq: number;
  /** Epoch ms when the display wrote it. */
  readonly at: number;
  readonly width: number;
  readonly height: number;
  readonly png: Buffer;
  /** Set when `png` is only the part of the screen that changed since the frame the browser has, to draw at this place. */
  readonly rect?: Rect;
}

/** A frame as the display wrote it, numbered by the feed; `at` epoch ms. */
export interface FeedFrame {
  readonly seq: number;
  readonly at: number;
  readonly bytes: Buffer;
  readonly geometry: DisplayGeometry;
}

/** Shown frames remembered for the delay (a browser draws within a second or is far behind). */
const SHOWN_KEPT = 2_000;
const DELAYS_KEPT = 5_000;
/** Frames kept to send a browser only what changed since the one it has (each is the display's own copy). */
const RECENT_KEPT = 4;
/** A change over this share of the screen goes as the whole frame. */
const PATCH_MAX_SHARE = 0.5;

/**
 * Device bytes → PNG; fast settings (a live view, not an archive): RGB without the always-opaque
 * alpha (a quarter less to deflate, the PNG 15–20 % smaller), deflate level 1, no adaptive
 * filtering (both measured faster; a palette was 3–8× slower): docs/benchmarks/console.md.
 */
export async function encodePng(bytes: Buffer, geometry: DisplayGeometry): Promise<Buffer> {
  const rgba = frameToRgba(bytes, geometry);
  return sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 1, adaptiveFiltering: false })
    .toBuffer();
}

const sameGeometry = (a: DisplayGeometry, b: DisplayGeometry): boolean =>
  a.width === b.width && a.height === b.height && a.stride === b.stride && a.format === b.format;

export class FrameFeed {
  #seq = 0;
  #latest: FeedFrame | undefined;
  #encoded: { seq: number; frame: Promise<EncodedFrame> } | undefined;
  #recent = new Map<number, FeedFrame>();
  #patch: { after: number; seq: number; frame: Promise<EncodedFrame> } | undefined;
  #waiters = new Set<() => void>();
  #listeners = new Set<(frame: FeedFrame) => void>();
  #shown = new Map<number, number>();
  #drawnUpTo = 0;
  #drawn = 0;
  #delays: number[] = [];
  #encodeMs: number[] = [];
  #detach: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  /** Follows `display` from now on (instead of the one followed before). */
  attach(display: SimDisplay): void {
    this.#detach?.();
    this.#detach = display.onFrame((bytes) => this.#onFrame(bytes, display.geometry));
  }

  detach(): void {
    this.#detach?.();
    this.#detach = undefined;
  }

  /** Calls `fn` for each frame written (after the feed numbered it). */
  listen(fn: (frame: FeedFrame) => void): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  #onFrame(bytes: Buffer, geometry: DisplayGeometry): void {
    const frame = { seq: ++this.#seq, at: this.clock.now(), bytes, geometry };
    this.#latest = frame;
    this.#recent.set(frame.seq, frame);
    if (this.#recent.size > RECENT_KEPT) this.#recent.delete(this.#recent.keys().next().value as number);
    this.#shown.set(frame.seq, frame.at);
    if (this.#shown.size > SHOWN_KEPT) this.#shown.delete(this.#shown.keys().next().value as number);
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const w of waiters) w();
    for (const l of this.#listeners) l(frame);
  }

  /** The newest frame, encoded (undefined before the first frame). */
  current(): Promise<EncodedFrame> | undefined {
    const f = this.#latest;
    if (!f) return undefined;
    if (this.#encoded?.seq !== f.seq) {
      const t0 = performance.now();
      this.#encoded = {
        seq: f.seq,
        frame: encodePng(f.bytes, f.geometry).then((png) => {
          this.#noteEncode(t0);
          return { seq: f.seq, at: f.at, width: f.geometry.width, height: f.geometry.height, png };
        }),
      };
    }
    return this.#encoded.frame;
  }

  #noteEncode(t0: number): void {
    this.#encodeMs.push(performance.now() - t0);
    if (this.#encodeMs.length > DELAYS_KEPT) this.#encodeMs.shift();
  }

  /**
   * The newest frame for a browser that has frame `after`: only the rectangle that changed since
   * when that frame is still kept and the change is small, else the whole frame.
   */
  #since(after: number): Promise<EncodedFrame> | undefined {
    const f = this.#latest;
    const base = this.#recent.get(after);
    if (!f || !base || base.seq >= f.seq || !sameGeometry(base.geometry, f.geometry)) return this.current();
    if (this.#patch?.after === after && this.#patch.seq === f.seq) return this.#patch.frame;
    const g = f.geometry;
    const t0 = performance.now();
    const rect = changedRect(base.bytes, f.bytes, g) ?? { x: 0, y: 0, w: 1, h: 1 };
    if (rect.w * rect.h > PATCH_MAX_SHARE * g.width * g.height) return this.current();
    const crop = cropFrame(f.bytes, g, rect);
    const frame = encodePng(crop.bytes, crop.geometry).then((png) => {
      this.#noteEncode(t0);
      return { seq: f.seq, at: f.at, width: g.width, height: g.height, png, rect };
    });
    this.#patch = { after, seq: f.seq, frame };
    return frame;
  }

  /** `frame` as PNG: the live view's own encoding when it is still the newest (one encoding for both). */
  png(frame: FeedFrame): Promise<Buffer> {
    if (this.#latest?.seq === frame.seq) return (this.current() as Promise<EncodedFrame>).then((e) => e.png);
    return encodePng(frame.bytes, frame.geometry);
  }

  /**
   * The newest frame once it is newer than `after` (only what changed since `after` when it can,
   * see EncodedFrame.rect); undefined after `waitMs` or when `signal` fires.
   */
  async next(after: number, waitMs: number, signal: AbortSignal): Promise<EncodedFrame | undefined> {
    if ((this.#latest?.seq ?? 0) <= after) {
      const arrived = await new Promise<boolean>((resolve) => {
        let timer: TimerHandle | undefined;
        const done = (v: boolean): void => {
          timer?.cancel();
          this.#waiters.delete(onFrame);
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        };
        const onFrame = (): void => done(true);
        const onAbort = (): void => done(false);
        if (signal.aborted) return done(false);
        this.#waiters.add(onFrame);
        signal.addEventListener('abort', onAbort, { once: true });
        timer = this.clock.setTimeout(() => done(false), waitMs);
      });
      if (!arrived) return undefined;
    }
    return this.#since(after);
  }

  /**
   * A browser that had frame `after` drew frame `seq` at `at` (epoch ms): every frame since was
   * delivered then. A page's first frame (`after` 0) is not a delay: it was drawn before the page opened.
   */
  drawn(seq: number, after: number, at: number): void {
    if (seq <= this.#drawnUpTo || seq > this.#seq) return;
    this.#drawn++;
    const from = Math.max(this.#drawnUpTo, after);
    this.#drawnUpTo = seq;
    if (after === 0) return;
    for (let s = from + 1; s <= seq; s++) {
      const shownAt = this.#shown.get(s);
      if (shownAt === undefined) continue;
      this.#delays.push(Math.max(0, at - shownAt));
      this.#shown.delete(s);
    }
    if (this.#delays.length > DELAYS_KEPT) this.#delays.splice(0, this.#delays.length - DELAYS_KEPT);
  }

  latency(): LatencyView {
    const s = stats(this.#delays);
    const ms = (v: number): number | null => (Number.isFinite(v) ? v : null);
    const e = stats(this.#encodeMs);
    return {
      frames: this.#seq,
      drawn: this.#drawn,
      p50: ms(s.p50),
      p95: ms(s.p95),
      max: ms(s.max),
      n: s.n,
      encodeP50: ms(e.p50),
      encodeP95: ms(e.p95),
    };
  }

  /** Forgets the delays measured so far (a bench measures one phase). */
  resetLatency(): void {
    this.#delays = [];
    this.#encodeMs = [];
    this.#drawn = 0;
  }

  close(): void {
    this.detach();
    for (const w of this.#waiters) w();
    this.#waiters.clear();
    this.#listeners.clear();
    this.#recent.clear();
  }
}
