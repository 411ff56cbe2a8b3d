/**
 * Display bench: per screen, render + convert + write p50/p95 through the real framebuffer driver
 * (FbDisplay on a regular file with a generated sysfs directory: real bytes, real writes), the
 * latency from a keypad press to the updated PIN pad on the panel, and the process memory. Wall
 * times suffer from other processes on a loaded machine; CPU times per frame are reported too.
 *
 * Memory: "the display part" is the process's RSS after all the display work minus its RSS just
 * before the first display call (same process, both after a full GC), split into anonymous,
 * file-backed and V8 memory. The bench's own samples (a few thousand numbers) are in it too.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../../firmware/core/errors.ts';
import { createLogger } from '../../firmware/core/logger.ts';
import { FontSet } from '../../firmware/display/fonts/font-set.ts';
import type { Lang } from '../../firmware/display/i18n/languages.ts';
import { themeFor } from '../../firmware/display/layout/theme.ts';
import { ScreenRenderer } from '../../firmware/display/screen-renderer.ts';
import { ScreenUi } from '../../firmware/display/screen-ui.ts';
import { sampleParams } from '../../firmware/display/screens/index.ts';
import { SCREEN_IDS } from '../../firmware/display/screens/screen-def.ts';
import { FbDisplay } from '../../firmware/platform/fb/fb-display.ts';
import type { FramebufferFormat } from '../../firmware/ports/display.ts';
import { collectGarbage, difference, residentFiles, snapshot } from './process-memory.ts';
import { SimDisplay } from '../../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../../hardware-sim/touch/sim-touch.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { decodeJpeg2000 } from '../../firmware/face/enrol/jp2-decode.ts';
import { ScreenUiAdapter } from '../../firmware/visit/adapters/screen-ui.ts';

export interface Stats {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export function stats(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(2));
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

export interface DisplayBenchOptions {
  readonly width: number;
  readonly height: number;
  readonly format: FramebufferFormat;
  readonly iterations: number;
  readonly lang: Lang;
  readonly signal: AbortSignal;
}

/** `p`, or a TimeoutError after 10 s (a lost frame must not hang the bench). */
async function within<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const silent = createLogger({ sink: { write: () => undefined }, level: 'error' });

type ScreenStats = Record<string, { total: Stats; cpu: Stats; layout: Stats; render: Stats; convert: Stats; write: Stats }>;

/**
 * Every screen `o.iterations` times, full renders, through FbDisplay on `fb`. A function of its
 * own so its renderer (and output buffer) is garbage once it returns: the daemon has one
 * renderer, the ScreenUi's, which the key press phase keeps.
 */
async function fullScreens(
  o: DisplayBenchOptions,
  fb: { device: string; sysfs: string },
  fonts: FontSet,
  sample: () => void,
): Promise<{ perScreen: ScreenStats; allTotals: number[]; allCpu: number[] }> {
  const display = await FbDisplay.open({ device: fb.device, sysfs: fb.sysfs, format: o.format });
  const renderer = new ScreenRenderer(display, 0, fonts);
  const theme = themeFor({ largeText: false, highContrast: false });
  const perScreen: ScreenStats = {};
  const allTotals: number[] = [];
  const allCpu: number[] = [];
  for (const screen of SCREEN_IDS) {
    if (o.signal.aborted) break;
    const params = sampleParams(screen);
    await renderer.present(screen, params, o.lang, theme); // warm-up
    const t: { total: number[]; cpu: number[]; layout: number[]; render: number[]; convert: number[]; write: number[] } = {
      total: [],
      cpu: [],
      layout: [],
      render: [],
      convert: [],
      write: [],
    };
    for (let i = 0; i < o.iterations; i++) {
      renderer.forgetCache(); // every iteration a full render, also for the pads
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const { timing } = await renderer.present(screen, params, o.lang, theme);
      const total = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      t.total.push(total);
      allTotals.push(total);
      t.cpu.push(cpu);
      allCpu.push(cpu);
      t.layout.push(timing.layoutMs);
      t.render.push(timing.renderMs);
      t.convert.push(timing.convertMs);
      t.write.push(timing.writeMs);
    }
    sample();
    perScreen[screen] = {
      total: stats(t.total),
      cpu: stats(t.cpu),
      layout: stats(t.layout),
      render: stats(t.render),
      convert: stats(t.convert),
      write: stats(t.write),
    };
  }
  await display.close();
  return { perScreen, allTotals, allCpu };
}

export async function runDisplayBench(o: DisplayBenchOptions) {
  collectGarbage();
  const baseline = snapshot();
  const dir = mkdtempSync(join(tmpdir(), 'kao-bench-fb-'));
  let peakRss = process.memoryUsage().rss;
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  try {
    const bpp = o.format === 'RGB565' ? 16 : o.format === 'RGB888' ? 24 : 32;
    const sysfs = join(dir, 'sys');
    mkdirSync(sysfs);
    writeFileSync(join(sysfs, 'modes'), `U:${o.width}x${o.height}p-60\n`);
    writeFileSync(join(sysfs, 'bits_per_pixel'), `${bpp}\n`);
    writeFileSync(join(sysfs, 'stride'), `${(o.width * bpp) / 8}\n`);
    const device = join(dir, 'fb0');
    writeFileSync(device, Buffer.alloc((o.width * o.height * bpp) / 8));
    const fonts = new FontSet();
    const full = await fullScreens(o, { device, sysfs }, fonts, sample);

    // Key press → updated PIN pad: time from the press to the redrawn frame on the panel.
    const sim = new SimDisplay(o.width, o.height, o.format);
    const keypad = new SimKeypad();
    const ui = new ScreenUi({ display: sim, touch: new SimTouch(), keypad, log: silent, fonts, clock: systemClock });
    ui.start();
    // The PIN pad as the visit runs it (ScreenUiAdapter.readSecret).
    const pads = new ScreenUiAdapter(ui, { log: silent, decodePhoto: decodeJpeg2000 });
    pads.setLanguage(o.lang);
    const keyMs: number[] = [];
    const keyCpuMs: number[] = [];
    for (let entry = 0; entry < Math.max(3, Math.ceil(o.iterations / 2)) && !o.signal.aborted; entry++) {
      const shown = sim.nextFrame();
      const result = pads.readSecret('pin', { triesLeft: 3 }, o.signal);
      await within(shown, 'the PIN pad');
      for (const d of [1, 2, 3, 4]) {
        const frame = sim.nextFrame();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        keypad.press(d);
        await within(frame, 'the PIN pad redraw');
        keyMs.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        keyCpuMs.push((c.user + c.system) / 1000);
      }
      const r = await result;
      if (r.kind === 'entered') r.value.fill(0);
      sample();
    }
    // Live camera preview: a 640×480 frame drawn into the face screen (cached base frame).
    const previewMs: number[] = [];
    const cam = { data: new Uint8Array(640 * 480 * 3), width: 640, height: 480, channels: 3 as const };
    for (let i = 0; i < o.iterations && !o.signal.aborted; i++) {
      cam.data.fill(40 + (i % 100));
      const t0 = performance.now();
      await ui.show('face', { hint: 'closer', preview: cam }, o.lang);
      previewMs.push(performance.now() - t0);
    }
    sample();
    await ui.close();
    const end = snapshot();
    collectGarbage();
    const endGc = snapshot();
    const totals = stats(full.allTotals);
    const screenP50s = Object.values(full.perScreen).map((s) => s.total.p50);
    return {
      size: `${o.width}x${o.height}`,
      format: o.format,
      lang: o.lang,
      iterations: o.iterations,
      screens: Object.keys(full.perScreen).length,
      allScreens: totals,
      /** CPU time of the process per frame (all threads): what the frame costs without the machine's load. */
      allScreensCpuMs: stats(full.allCpu),
      worstScreenP50: Math.max(...screenP50s),
      keyPressToPinPad: stats(keyMs),
      keyPressCpuMs: stats(keyCpuMs),
      facePreviewFrame: stats(previewMs.slice(1)),
      rssMb: Number((process.memoryUsage().rss / 1048576).toFixed(1)),
      peakRssMb: Number((peakRss / 1048576).toFixed(1)),
      memory: {
        /** Before the first display call (after the CLI's modules loaded, sharp included). */
        baseline,
        /** After all the display work, as it was, and after a full GC. */
        end,
        endAfterGc: endGc,
        /** endAfterGc − baseline: what the display holds. */
        displayPart: difference(endGc, baseline),
        /** end − baseline (garbage not yet collected included). */
        displayPartBeforeGc: difference(end, baseline),
        residentFiles: residentFiles(),
      },
      targets: { screenP50Ms: 25, keyP95Ms: 30, displayPartMb: 150 },
      perScreen: full.perScreen,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
