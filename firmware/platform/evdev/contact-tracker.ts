/**
 * Turns evdev events into finger lifts. Multitouch protocol B (kernel doc multi-touch-protocol):
 * ABS_MT_SLOT selects a slot, ABS_MT_TRACKING_ID ≥ 0 starts a contact in it and -1 ends it,
 * positions update the current slot, and nothing takes effect before SYN_REPORT. Single-touch
 * panels (ABS_X/ABS_Y + BTN_TOUCH) are handled too. After SYN_DROPPED everything up to the next
 * SYN_REPORT is discarded and contacts are reset without a lift (the state is unknown).
 */
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
  SYN_DROPPED,
  SYN_REPORT,
  type InputEvent,
} from './input-event.ts';

export interface Lift {
  /** Raw panel coordinates of the last position. */
  readonly x: number;
  readonly y: number;
  readonly downAt: number;
  readonly upAt: number;
}

interface Slot {
  id: number;
  x: number;
  y: number;
  downAt: number;
  active: boolean;
  ending: boolean;
  starting: boolean;
}

const MAX_SLOTS = 16;

export class ContactTracker {
  readonly #slots: Slot[] = Array.from({ length: MAX_SLOTS }, () => ({
    id: -1,
    x: 0,
    y: 0,
    downAt: 0,
    active: false,
    ending: false,
    starting: false,
  }));
  #slot = 0;
  #dropping = false;
  /** Contacts replaced in their slot by a new tracking id without a -1 first (they ended). */
  #replaced: Lift[] = [];
  #single: { x: number; y: number; down: boolean; downAt: number; changed: 'down' | 'up' | undefined } = {
    x: 0,
    y: 0,
    down: false,
    downAt: 0,
    changed: undefined,
  };

  /** Feeds one event; returns the lifts completed by it (only on SYN_REPORT). */
  feed(e: InputEvent): Lift[] {
    if (e.type === EV_SYN && e.code === SYN_DROPPED) {
      this.#dropping = true;
      return [];
    }
    if (this.#dropping) {
      if (e.type === EV_SYN && e.code === SYN_REPORT) {
        this.#dropping = false;
        for (const s of this.#slots) Object.assign(s, { id: -1, active: false, ending: false, starting: false });
        this.#replaced = [];
        this.#single = { ...this.#single, down: false, changed: undefined };
      }
      return [];
    }
    if (e.type === EV_ABS) this.#abs(e);
    else if (e.type === EV_KEY && e.code === BTN_TOUCH) {
      this.#single.changed = e.value ? 'down' : 'up';
      if (e.value) this.#single.downAt = e.time;
    } else if (e.type === EV_SYN && e.code === SYN_REPORT) return this.#report(e.time);
    return [];
  }

  #abs(e: InputEvent): void {
    const s = this.#slots[this.#slot];
    switch (e.code) {
      case ABS_MT_SLOT:
        this.#slot = e.value >= 0 && e.value < MAX_SLOTS ? e.value : this.#slot;
        break;
      case ABS_MT_TRACKING_ID:
        if (!s) break;
        if (e.value < 0) {
          if (s.active) s.ending = true;
        } else {
          if (s.active && !s.ending && s.id !== e.value) this.#replaced.push({ x: s.x, y: s.y, downAt: s.downAt, upAt: e.time });
          Object.assign(s, { id: e.value, active: true, ending: false, starting: true, downAt: e.time });
        }
        break;
      case ABS_MT_POSITION_X:
        if (s) s.x = e.value;
        break;
      case ABS_MT_POSITION_Y:
        if (s) s.y = e.value;
        break;
      case ABS_X:
        this.#single.x = e.value;
        break;
      case ABS_Y:
        this.#single.y = e.value;
        break;
      default:
        break;
    }
  }

  #report(time: number): Lift[] {
    const lifts: Lift[] = this.#replaced;
    this.#replaced = [];
    let mt = false;
    for (const s of this.#slots) {
      if (s.active || s.ending) mt = true;
      s.starting = false;
      if (s.ending) {
        lifts.push({ x: s.x, y: s.y, downAt: s.downAt, upAt: time });
        Object.assign(s, { id: -1, active: false, ending: false });
      }
    }
    const st = this.#single;
    if (st.changed === 'down') st.down = true;
    if (st.changed === 'up' && st.down) {
      st.down = false;
      if (!mt && lifts.length === 0) lifts.push({ x: st.x, y: st.y, downAt: st.downAt, upAt: time });
    }
    st.changed = undefined;
    return lifts;
  }
}
