/**
 * evdev touch: input_event decoding across split reads (64- and 32-bit layouts), multitouch
 * protocol B with two fingers, SYN_DROPPED, single-touch panels, calibration and rotation,
 * debounce, and the driver end to end reading a FIFO that stands in for /dev/input/eventN.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createWriteStream, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { mapTouch, type Mapping } from '../../../../firmware/platform/evdev/calibration.ts';
import { ContactTracker } from '../../../../firmware/platform/evdev/contact-tracker.ts';
import { Debouncer } from '../../../../firmware/platform/evdev/debounce.ts';
import { EvdevTouch } from '../../../../firmware/platform/evdev/evdev-touch.ts';
import {
  ABS_MT_POSITION_X,
  ABS_MT_POSITION_Y,
  ABS_MT_SLOT,
  ABS_MT_TRACKING_ID,
  ABS_X,
  ABS_Y,
  BTN_TOUCH,
  EV_ABS,
  EV_KEY,
  EV_SYN,
  encodeInputEvent,
  InputEventDecoder,
  SYN_DROPPED,
  SYN_REPORT,
  type InputEvent,
} from '../../../../firmware/platform/evdev/input-event.ts';
import { systemClock } from '../../../../firmware/platform/system-clock.ts';

const ev = (time: number, type: number, code: number, value: number): InputEvent => ({ time, type, code, value });
const syn = (t: number): InputEvent => ev(t, EV_SYN, SYN_REPORT, 0);

/** One finger down at (x, y) at t, lifted at t + holdMs, in slot `slot` (protocol B). */
function fingerTap(t: number, slot: number, id: number, x: number, y: number, holdMs = 60): InputEvent[] {
  return [
    ev(t, EV_ABS, ABS_MT_SLOT, slot),
    ev(t, EV_ABS, ABS_MT_TRACKING_ID, id),
    ev(t, EV_ABS, ABS_MT_POSITION_X, x),
    ev(t, EV_ABS, ABS_MT_POSITION_Y, y),
    syn(t),
    ev(t + holdMs, EV_ABS, ABS_MT_SLOT, slot),
    ev(t + holdMs, EV_ABS, ABS_MT_TRACKING_ID, -1),
    syn(t + holdMs),
  ];
}

test('decoder: 24-byte events split across reads, and the 16-byte 32-bit layout', () => {
  const events = [
    ev(1700000000123.456, EV_ABS, ABS_MT_POSITION_X, 1234),
    ev(1700000000124, EV_SYN, SYN_REPORT, 0),
    ev(5, EV_ABS, ABS_MT_TRACKING_ID, -1),
  ];
  const bytes = Buffer.concat(events.map((e) => encodeInputEvent(e)));
  assert.is(bytes.length, 72);
  const d = new InputEventDecoder(64);
  const out = [...d.push(bytes.subarray(0, 30)), ...d.push(bytes.subarray(30, 31)), ...d.push(bytes.subarray(31))];
  assert.is(out.length, 3);
  assert.is(out[0]?.code, ABS_MT_POSITION_X);
  assert.is(out[0]?.value, 1234);
  assert.ok(Math.abs((out[0]?.time ?? 0) - 1700000000123.456) < 0.01);
  assert.is(out[2]?.value, -1);
  const d32 = new InputEventDecoder(32);
  const b32 = encodeInputEvent(ev(1000.5, EV_KEY, BTN_TOUCH, 1), 32);
  assert.is(b32.length, 16);
  assert.equal(d32.push(b32), [ev(1000.5, EV_KEY, BTN_TOUCH, 1)]);
});

test('protocol B: two fingers in two slots give two lifts at their own positions', () => {
  const t = new ContactTracker();
  const seq = [
    ev(0, EV_ABS, ABS_MT_SLOT, 0),
    ev(0, EV_ABS, ABS_MT_TRACKING_ID, 10),
    ev(0, EV_ABS, ABS_MT_POSITION_X, 100),
    ev(0, EV_ABS, ABS_MT_POSITION_Y, 200),
    syn(0),
    ev(10, EV_ABS, ABS_MT_SLOT, 1),
    ev(10, EV_ABS, ABS_MT_TRACKING_ID, 11),
    ev(10, EV_ABS, ABS_MT_POSITION_X, 900),
    ev(10, EV_ABS, ABS_MT_POSITION_Y, 50),
    syn(10),
    ev(20, EV_ABS, ABS_MT_SLOT, 0),
    ev(20, EV_ABS, ABS_MT_POSITION_X, 110),
    syn(20),
    ev(50, EV_ABS, ABS_MT_TRACKING_ID, -1),
    syn(50),
    ev(80, EV_ABS, ABS_MT_SLOT, 1),
    ev(80, EV_ABS, ABS_MT_TRACKING_ID, -1),
    syn(80),
  ];
  const lifts = seq.flatMap((e) => t.feed(e));
  assert.equal(lifts, [
    { x: 110, y: 200, downAt: 0, upAt: 50 },
    { x: 900, y: 50, downAt: 10, upAt: 80 },
  ]);
});

test('a new tracking id in an active slot ends the previous contact there', () => {
  const t = new ContactTracker();
  const lifts = [
    ...fingerTap(0, 0, 1, 10, 20).slice(0, 5),
    ev(40, EV_ABS, ABS_MT_TRACKING_ID, 2),
    ev(40, EV_ABS, ABS_MT_POSITION_X, 500),
    syn(40),
    ev(90, EV_ABS, ABS_MT_TRACKING_ID, -1),
    syn(90),
  ].flatMap((e) => t.feed(e));
  assert.equal(lifts, [
    { x: 10, y: 20, downAt: 0, upAt: 40 },
    { x: 500, y: 20, downAt: 40, upAt: 90 },
  ]);
});

test('SYN_DROPPED discards the frame and resets contacts; single-touch panels work', () => {
  const t = new ContactTracker();
  const lifts = [
    ...fingerTap(0, 0, 1, 10, 10).slice(0, 5),
    ev(5, EV_SYN, SYN_DROPPED, 0),
    ev(6, EV_ABS, ABS_MT_TRACKING_ID, -1),
    syn(7),
    ev(8, EV_ABS, ABS_MT_TRACKING_ID, -1),
    syn(9),
  ].flatMap((e) => t.feed(e));
  assert.equal(lifts, [], 'no lift from a dropped state');
  const st = new ContactTracker();
  const single = [
    ev(0, EV_ABS, ABS_X, 300),
    ev(0, EV_ABS, ABS_Y, 400),
    ev(0, EV_KEY, BTN_TOUCH, 1),
    syn(0),
    ev(40, EV_ABS, ABS_X, 305),
    ev(70, EV_KEY, BTN_TOUCH, 0),
    syn(70),
  ].flatMap((e) => st.feed(e));
  assert.equal(single, [{ x: 305, y: 400, downAt: 0, upAt: 70 }]);
});

test('calibration: ranges, swapped/inverted axes, and the display rotation', () => {
  const base: Mapping = {
    calibration: { minX: 0, maxX: 4095, minY: 0, maxY: 4095, swapXY: false, invertX: false, invertY: false },
    rotate: 0,
    width: 1024,
    height: 600,
  };
  assert.equal(mapTouch(base, 0, 0), { x: 0, y: 0 });
  assert.equal(mapTouch(base, 4095, 4095), { x: 1023, y: 599 });
  assert.equal(mapTouch(base, 2048, 1024), { x: 512, y: 150 });
  assert.equal(mapTouch(base, -50, 99999), { x: 0, y: 599 }, 'clamped');
  assert.equal(mapTouch({ ...base, calibration: { ...base.calibration, invertX: true } }, 0, 0), { x: 1023, y: 0 });
  assert.equal(mapTouch({ ...base, calibration: { ...base.calibration, swapXY: true } }, 4095, 0), { x: 0, y: 599 });
  // Portrait UI (600×1024) on a landscape panel rotated 90°: panel top-left is logical bottom-left.
  const portrait: Mapping = { ...base, rotate: 90, width: 600, height: 1024 };
  assert.equal(mapTouch(portrait, 0, 0), { x: 0, y: 1023 });
  assert.equal(mapTouch(portrait, 4095, 0), { x: 0, y: 0 });
  assert.equal(mapTouch({ ...portrait, rotate: 270 }, 0, 0), { x: 599, y: 0 });
  assert.equal(mapTouch({ ...base, rotate: 180 }, 0, 0), { x: 1023, y: 599 });
});

test('debounce: too-short contacts and bounces are dropped', () => {
  const d = new Debouncer({ minPressMs: 15, minIntervalMs: 250 });
  assert.not.ok(d.accept({ x: 0, y: 0, downAt: 0, upAt: 5 }));
  assert.ok(d.accept({ x: 0, y: 0, downAt: 0, upAt: 60 }));
  assert.not.ok(d.accept({ x: 0, y: 0, downAt: 70, upAt: 120 }));
  assert.ok(d.accept({ x: 0, y: 0, downAt: 300, upAt: 360 }));
});

test('EvdevTouch reads a FIFO like an event node, maps, debounces, and reopens after the writer goes away', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-evdev-'));
  const fifo = join(dir, 'event0');
  execFileSync('mkfifo', [fifo]);
  const touch = new EvdevTouch({
    device: fifo,
    clock: systemClock,
    log: createLogger({ sink: new MemorySink(), level: 'error' }),
    retryMs: 20,
    mapping: {
      calibration: { minX: 0, maxX: 4095, minY: 0, maxY: 4095, swapXY: false, invertX: false, invertY: false },
      rotate: 0,
      width: 800,
      height: 480,
    },
  });
  const ac = new AbortController();
  const got: { x: number; y: number }[] = [];
  const reader = (async () => {
    for await (const tap of touch.taps(ac.signal)) {
      got.push({ x: tap.x, y: tap.y });
      if (got.length === 2) break;
    }
  })();
  const write = (events: InputEvent[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = createWriteStream(fifo);
      w.on('error', reject);
      w.end(Buffer.concat(events.map((e) => encodeInputEvent(e))), () => resolve());
    });
  await write([...fingerTap(1000, 0, 5, 2048, 2048), ...fingerTap(1100, 0, 6, 0, 0)]); // second is a bounce: dropped
  // After the writer closed, the driver reopens the node. A FIFO's bytes die with its last reader, so a
  // writer that slips in between the driver's end-of-stream and its close loses them: write again until the
  // tap lands (a repeat of the same tap is a bounce to the debouncer, so it can never count twice).
  for (let attempt = 0; attempt < 20 && got.length < 2; attempt++) {
    await write(fingerTap(2000, 0, 7, 4095, 0));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.is(got.length, 2, 'the tap after the reopen arrived');
  await reader;
  assert.equal(got, [
    { x: 400, y: 240 },
    { x: 799, y: 0 },
  ]);
  assert.is(touch.accepted, 2);
  await touch.close();
  await touch.close();
  await releaseBlockedOpens(fifo);
});

/**
 * A reader's open of a FIFO blocks until a writer comes (a real event node never does), and a blocked
 * open keeps the process alive. The driver may have started its reopen just before close(): open and
 * close the write end a few times so any such open completes and the stream it feeds is discarded.
 */
async function releaseBlockedOpens(fifo: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      /* ENXIO: no reader waiting */
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

test.run();
