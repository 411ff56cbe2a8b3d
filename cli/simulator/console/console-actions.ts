/**
 * What QA can do to the simulated reader, for both consoles (the page and the text console):
 * scenario steps (`insert: card`, `tap: face`, `pin: "2468"`…), taps at a point of the screen,
 * keypad keys, the staff password. Each is checked against the reader as it is now and refused
 * at once with the reason when it cannot apply (a button the screen does not have, a PIN with no
 * PIN pad shown, a second card), instead of waiting for something that will not come.
 * Buttons are the ones drawn (the layout's hit-test regions), by the ids the visit and the
 * display share (ports/screens.ts).
 */
import { KaoreaderError } from '../../../firmware/core/errors.ts';
import { hashStaffPassword, StaffPasswordPolicyError, type StaffPasswordHash } from '../../../firmware/core/staff-password-hash.ts';
import { hitTest } from '../../../firmware/display/layout/types.ts';
import type { Key } from '../../../firmware/ports/keypad.ts';
import type { ScreenId } from '../../../firmware/ports/screens.ts';
import { ReaderRig } from '../reader-rig.ts';
import { perform } from '../run-scenario.ts';
import type { ScenarioStep } from '../scenario.ts';
import type { Scene } from '../scene-camera.ts';
import { ScreenKit } from '../screen-kit.ts';
import type { SimReader } from '../sim-reader.ts';
import type { ActionName, ButtonView, ConsoleState } from './protocol.ts';
import { buttonViews } from './screen-view.ts';

export class StepNotApplicableError extends KaoreaderError {
  readonly code = 'STEP_NOT_APPLICABLE';
}

/** The reader the console acts on, and the parts of the world around it that QA changes. */
export interface ConsoleTarget {
  readonly reader: SimReader | undefined;
  readonly status: ConsoleState['status'];
  readonly scene: Scene;
  readonly facilityUp: boolean;
  showCamera(scene: Scene): void;
  setFacility(up: boolean): Promise<void>;
}

/** A target that is one reader for good (`kaoreader run --console`). */
export function fixedTarget(reader: SimReader): ConsoleTarget {
  let up = true;
  return {
    reader,
    status: 'ready',
    get scene() {
      return reader.camera.scene;
    },
    get facilityUp() {
      return up;
    },
    showCamera: (scene) => reader.showCamera(scene),
    async setFacility(v) {
      up = v;
      await (v ? reader.facility.up() : reader.facility.down());
    },
  };
}

const EXPECT_MS = 60_000;
/** A screen the visit asked for is drawn within this (a step typed right after waits for it). */
const SETTLE_MS = 3_000;

export class ConsoleActions {
  constructor(readonly target: ConsoleTarget) {}

  /** The rendered screen kit of the reader now running. */
  kit(): ScreenKit | undefined {
    const ui = this.target.reader?.ui;
    return ui instanceof ScreenKit ? ui : undefined;
  }

  /** True while the display has not drawn the screen the visit asked for last. */
  #changing(): boolean {
    const kit = this.kit();
    const visit = kit?.adapter.screen;
    const drawn = kit?.screenUi.layout?.screen;
    return visit !== undefined && drawn !== visit;
  }

  /** The visit's screen id now shown (or the display's, while the visit's next one is being drawn). */
  screenName(): string {
    const kit = this.kit();
    const drawn = kit?.screenUi.layout?.screen;
    const visit = kit?.adapter.screen;
    if (!this.#changing()) return visit ?? drawn ?? 'none';
    return `${drawn ?? 'none'} (about to show ${visit ?? 'another'})`;
  }

  /** Waits (bounded) until the display has drawn the screen the visit asked for. */
  async #settle(): Promise<void> {
    await this.kit()?.when(() => !this.#changing(), SETTLE_MS);
  }

  buttons(): ButtonView[] {
    const layout = this.kit()?.screenUi.layout;
    return layout ? buttonViews(layout) : [];
  }

  /** "its buttons: face (顔認証 · Face), pin (…)" or "it has no buttons". */
  describeButtons(): string {
    const b = this.buttons();
    return b.length === 0
      ? 'it has no buttons'
      : `its buttons: ${b.map((x) => `${x.id} (${x.label === x.english ? x.label : `${x.label} · ${x.english}`})`).join(', ')}`;
  }

  /** The display button `tap: id` presses on the screen now shown, or why there is none. */
  resolveButton(id: string): { readonly button: string } | { readonly error: string } {
    const kit = this.kit();
    const layout = kit?.screenUi.layout;
    if (!kit || !layout) return { error: 'nothing is on the screen yet' };
    const has = (b: string): boolean => layout.buttons.some((x) => x.id === b);
    if (has(id)) return { button: id };
    return { error: `no button "${id}" on screen ${this.screenName()}: ${this.describeButtons()}` };
  }

  #common(): string | undefined {
    if (this.target.status === 'scenario') return 'a scenario is running: wait until it ends';
    if (!this.target.reader) return 'the simulated reader is not running yet (starting or being rebuilt)';
    return undefined;
  }

  /** Why `step` cannot be done now, or undefined when it can. */
  whyNot(step: ScenarioStep): string | undefined {
    const common = this.#common();
    if (common) return common;
    const card = this.target.reader?.slot.card;
    const visit = this.kit()?.adapter.screen;
    const on = `the reader shows ${this.screenName()}`;
    if ('insert' in step) return card ? 'a card is already in the slot (pull: card first)' : undefined;
    if ('pull' in step) return card ? undefined : 'there is no card in the slot';
    if ('language' in step) {
      if (visit !== 'idle') return `languages are chosen on the start screen (idle); ${on}`;
      const r = this.resolveButton(`lang-${step.language}`);
      return 'error' in r ? r.error : undefined;
    }
    if ('pin' in step)
      return visit === 'pin' || visit === 'pin-after-face'
        ? undefined
        : `the PIN pad is not shown (${on}${this.#offers('pin') ? '; tap: pin first' : ''})`;
    if ('password' in step)
      return visit === 'staff-password'
        ? undefined
        : `the staff password pad is not shown (${on}${this.#offers('staff') ? '; tap: staff first' : ''})`;
    if ('cancel' in step)
      return visit === 'pin' || visit === 'pin-after-face' || visit === 'staff-password'
        ? undefined
        : `no PIN or password pad to cancel (${on})`;
    if ('tap' in step) {
      const r = this.resolveButton(step.tap);
      return 'error' in r ? r.error : undefined;
    }
    return undefined;
  }

  #offers(id: string): boolean {
    return 'button' in this.resolveButton(id);
  }

  /** Does `step`, or throws StepNotApplicableError at once with the reason. */
  async perform(step: ScenarioStep): Promise<void> {
    if (!('expect' in step) && !('see' in step) && !('wait' in step)) await this.#settle();
    const why = this.whyNot(step);
    if (why) throw new StepNotApplicableError(why);
    const reader = this.target.reader as SimReader;
    const kit = this.kit();
    if ('tap' in step && kit) {
      const r = this.resolveButton(step.tap);
      if ('button' in r) await kit.pressDisplay(r.button);
      return;
    }
    if ('camera' in step) return this.target.showCamera(step.camera);
    if ('facility' in step) return this.target.setFacility(step.facility === 'up');
    if ('expect' in step && kit) return this.#expect(kit, step.expect, step.within ?? EXPECT_MS);
    return perform(new ReaderRig(reader), step);
  }

  /** Resolves once the visit shows `screen` (at once if it does now). */
  async #expect(kit: ScreenKit, screen: string, withinMs: number): Promise<void> {
    const shown = await kit.when(() => kit.adapter.screen === (screen as ScreenId) && !this.#changing(), withinMs);
    if (!shown) throw new StepNotApplicableError(`screen ${screen} was not shown within ${withinMs} ms (${this.screenName()} is)`);
  }

  /** A tap at display pixel (x, y) through the touch panel; says which button is there, if any. */
  touch(x: number, y: number): { readonly button: ButtonView | undefined } {
    const why = this.blocked().touch;
    if (why) throw new StepNotApplicableError(why);
    const kit = this.kit() as ScreenKit;
    const layout = kit.screenUi.layout;
    const hit = layout ? hitTest(layout, x, y) : undefined;
    kit.touch.tap(x, y);
    return { button: hit && layout ? buttonViews(layout).find((b) => b.id === hit.id) : undefined };
  }

  /** A key of the reader's physical keypad. */
  key(key: Key): void {
    const why = this.blocked().keypad;
    if (why) throw new StepNotApplicableError(why);
    (this.kit() as ScreenKit).keypad.press(key);
  }

  /**
   * Facility IT sets the staff password: the facility hashes it (the one policy: 8–16 digits)
   * and sends only the hash in a signed command to the reader over MQTT.
   */
  async setStaffPassword(password: string): Promise<void> {
    const why = this.blocked().staffPassword;
    if (why) throw new StepNotApplicableError(why);
    const reader = this.target.reader as SimReader;
    const sim = reader.facility.simulator;
    if (!sim) throw new StepNotApplicableError('the facility is down: it sends the staff password');
    const bytes = new Uint8Array(Buffer.from(password, 'utf8'));
    let hash: StaffPasswordHash;
    try {
      hash = await hashStaffPassword(bytes, 1 << 14);
    } catch (err) {
      if (err instanceof StaffPasswordPolicyError) throw new StepNotApplicableError(err.message);
      throw err;
    } finally {
      bytes.fill(0);
    }
    const reply = await sim.command(reader.readerId, { command: 'set-staff-password', args: { hash } });
    if (!reply.ok) throw new StepNotApplicableError(`the reader refused the password: ${reply.error?.message ?? 'no reason given'}`);
  }

  /** Every action of the page that cannot apply now, with the reason. */
  blocked(): Partial<Record<ActionName, string>> {
    const out: Partial<Record<ActionName, string>> = {};
    const common = this.#common();
    const card = this.target.reader?.slot.card;
    const set = (name: ActionName, why: string | undefined): void => {
      if (why) out[name] = why;
    };
    for (const name of ['camera', 'facility', 'keypad', 'touch'] as const) set(name, common);
    set('insert', this.whyNot({ insert: 'card' }));
    set('pull', this.whyNot({ pull: 'card' }));
    set('setup', common ?? (card ? 'take the card out first: another patient or card rebuilds the reader' : undefined));
    set(
      'scenario',
      common ?? (card ? 'take the card out first' : this.target.status !== 'ready' ? 'wait until the reader is ready' : undefined),
    );
    set(
      'language',
      common ??
        (this.kit()?.adapter.screen === 'idle'
          ? undefined
          : `languages are chosen on the start screen (idle); the reader shows ${this.screenName()}`),
    );
    set('staffPassword', common ?? (this.target.facilityUp ? undefined : 'the facility is down: it sends the staff password'));
    return out;
  }
}
