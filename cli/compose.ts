/**
 * Composition root: the one place that chooses real or simulated drivers and builds the
 * daemon's services from the configuration. Native modules are imported lazily from here only.
 */
import type { Config } from '../firmware/config/schema.ts';
import type { Logger } from '../firmware/core/logger.ts';
import type { Service } from '../firmware/daemon/service.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { Gpio } from '../firmware/ports/gpio.ts';
import { systemClock } from '../firmware/platform/system-clock.ts';
import { SimGpio } from '../hardware-sim/gpio.ts';
import { DeviceUnavailableError } from '../firmware/core/errors.ts';
import { logicalSize } from '../firmware/display/render/pixel-format.ts';
import { ScreenUi } from '../firmware/display/screen-ui.ts';
import { VoiceGuide } from '../firmware/display/voice.ts';
import { EvdevTouch } from '../firmware/platform/evdev/evdev-touch.ts';
import { FbDisplay } from '../firmware/platform/fb/fb-display.ts';
import { HidKeypad } from '../firmware/platform/hid/hid-keypad.ts';
import { loadNodeHid } from '../firmware/platform/hid/node-hid-loader.ts';
import { SimDisplay } from '../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../hardware-sim/touch/sim-touch.ts';

export interface Composition {
  readonly clock: Clock;
  readonly gpio: Gpio;
  readonly services: readonly Service[];
}

export function compose(_config: Config, _log: Logger): Promise<Composition> {
  const gpio = new SimGpio();
  return Promise.resolve({ clock: systemClock, gpio, services: [] });
}

/** The patient screen with its inputs, real or simulated; `sim` is there in sim mode for QA and tests. */
export interface ScreenComposition {
  readonly ui: ScreenUi;
  readonly sim: { readonly display: SimDisplay; readonly touch: SimTouch; readonly keypad: SimKeypad } | undefined;
  close(): Promise<void>;
}

export async function composeScreen(config: Config, log: Logger, clock: Clock): Promise<ScreenComposition> {
  const s = config.screen;
  const hw = config.hardware;
  const voice = new VoiceGuide({ log: log.child('voice'), player: s.voicePlayer });
  const accessibility = { largeText: s.largeText, highContrast: s.highContrast };
  if (hw.mode === 'sim') {
    const display = new SimDisplay(hw.display.width, hw.display.height, s.framebufferFormat ?? 'XRGB8888');
    let ui: ScreenUi | undefined;
    const touch = new SimTouch(() => ui?.layout);
    const keypad = new SimKeypad();
    ui = new ScreenUi({ display, touch, keypad, log: log.child('screen'), voice, accessibility });
    ui.start();
    const u = ui;
    return { ui: u, sim: { display, touch, keypad }, close: async () => { await u.close(); await touch.close(); await keypad.close(); await display.close(); } };
  }
  const display = await FbDisplay.open({ device: hw.display.device, ...(s.framebufferFormat ? { format: s.framebufferFormat } : {}) });
  const rotate = hw.display.rotate;
  const logical = logicalSize(display.geometry, rotate);
  const touch = new EvdevTouch({
    device: hw.touch.device ?? '/dev/input/event0', clock, log: log.child('touch'),
    mapping: { calibration: s.touch, rotate, width: logical.width, height: logical.height },
    debounce: { minPressMs: s.touch.minPressMs, minIntervalMs: s.touch.minIntervalMs },
  });
  let keypad: HidKeypad | undefined;
  if (hw.keypad.vendorId !== undefined && hw.keypad.productId !== undefined) {
    const hid = await loadNodeHid();
    const info = hid.devices().find((d) => d.vendorId === hw.keypad.vendorId && d.productId === hw.keypad.productId && d.path);
    if (!info?.path) throw new DeviceUnavailableError(`HID keypad ${hw.keypad.vendorId}:${hw.keypad.productId}`, 'plug it in, or remove hardware.keypad from the config');
    keypad = new HidKeypad(hid.open(info.path), clock, log.child('keypad'));
  }
  const ui = new ScreenUi({ display, touch, keypad, log: log.child('screen'), rotate, voice, accessibility });
  ui.start();
  if (s.voice) await ui.setAccessibility({ voice: true });
  return { ui, sim: undefined, close: async () => { await ui.close(); await touch.close(); await keypad?.close(); await display.close(); } };
}
