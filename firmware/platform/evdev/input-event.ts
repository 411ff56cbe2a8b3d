/**
 * Linux `struct input_event` decoding (linux/input.h). On 64-bit kernels the struct is 24 bytes:
 * `struct timeval` (tv_sec i64, tv_usec i64), `__u16 type`, `__u16 code`, `__s32 value`; 32-bit
 * userspace sees 16 bytes (i32 seconds and microseconds). Reads may split events: the decoder
 * keeps the remainder for the next chunk.
 */
export const EV_SYN = 0x00;
export const EV_KEY = 0x01;
export const EV_ABS = 0x03;
export const SYN_REPORT = 0;
export const SYN_DROPPED = 3;
export const BTN_TOUCH = 0x14a;
export const ABS_X = 0x00;
export const ABS_Y = 0x01;
export const ABS_MT_SLOT = 0x2f;
export const ABS_MT_POSITION_X = 0x35;
export const ABS_MT_POSITION_Y = 0x36;
export const ABS_MT_TRACKING_ID = 0x39;

export interface InputEvent {
  /** Event time in ms (from the kernel timestamp). */
  readonly time: number;
  readonly type: number;
  readonly code: number;
  readonly value: number;
}

export type EventLayout = 64 | 32;

export function eventSize(layout: EventLayout): number {
  return layout === 64 ? 24 : 16;
}

/** Encodes one event (tests, the simulator's evdev writer). */
export function encodeInputEvent(e: InputEvent, layout: EventLayout = 64): Buffer {
  const b = Buffer.alloc(eventSize(layout));
  const sec = Math.floor(e.time / 1000);
  const usec = Math.round((e.time - sec * 1000) * 1000);
  if (layout === 64) {
    b.writeBigInt64LE(BigInt(sec), 0);
    b.writeBigInt64LE(BigInt(usec), 8);
  } else {
    b.writeInt32LE(sec, 0);
    b.writeInt32LE(usec, 4);
  }
  const o = layout === 64 ? 16 : 8;
  b.writeUInt16LE(e.type, o);
  b.writeUInt16LE(e.code, o + 2);
  b.writeInt32LE(e.value, o + 4);
  return b;
}

export class InputEventDecoder {
  #rest: Buffer = Buffer.alloc(0);
  constructor(readonly layout: EventLayout = 64) {}

  push(chunk: Buffer): InputEvent[] {
    const buf = this.#rest.length ? Buffer.concat([this.#rest, chunk]) : chunk;
    const size = eventSize(this.layout);
    const n = Math.floor(buf.length / size);
    const out: InputEvent[] = [];
    for (let i = 0; i < n; i++) {
      const p = i * size;
      const sec = this.layout === 64 ? Number(buf.readBigInt64LE(p)) : buf.readInt32LE(p);
      const usec = this.layout === 64 ? Number(buf.readBigInt64LE(p + 8)) : buf.readInt32LE(p + 4);
      const o = p + (this.layout === 64 ? 16 : 8);
      out.push({ time: sec * 1000 + usec / 1000, type: buf.readUInt16LE(o), code: buf.readUInt16LE(o + 2), value: buf.readInt32LE(o + 4) });
    }
    this.#rest = Buffer.from(buf.subarray(n * size));
    return out;
  }
}
