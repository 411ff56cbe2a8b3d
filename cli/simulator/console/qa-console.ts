/**
 * The QA console's parts put together: the reader host, the live frame feed following whichever
 * reader is on, the screens captured as they are first drawn, the visit's events and audit
 * records, the facility side's MQTT traffic, the stored results, and the state every page shows
 * (sent again whenever it changes: on each frame, visit event, action, and each change of what the
 * reader waits for, told by the ScreenUi adapter; nothing polls). The HTTP server (http-server.ts) and the text console
 * (sim-console.ts) are the two ways in.
 */
import { readdir } from 'node:fs/promises';
import type { VisitConfig } from '../../../firmware/config/sections/visit.ts';
import type { Logger } from '../../../firmware/core/logger.ts';
import type { VisitEvent } from '../../../firmware/visit/events.ts';
import type { ScenarioReport } from '../run-scenario.ts';
import type { Scenario } from '../scenario.ts';
import { ScreenKit } from '../screen-kit.ts';
import type { SimReader, SimWorld } from '../sim-reader.ts';
import { ConsoleActions } from './console-actions.ts';
import { EventHub } from './event-hub.ts';
import { FacilityTap } from './facility-tap.ts';
import { FrameFeed, type FeedFrame } from './frame-feed.ts';
import { nextHint } from './next-hint.ts';
import type { AuditView, ConsoleSetup, ConsoleState, ShotView } from './protocol.ts';
import { ReaderHost } from './reader-host.ts';
import { screenView } from './screen-view.ts';
import { ScreenShots } from './screen-shots.ts';
import { simFacilityResults, type StoredResults } from './stored-results.ts';

/** What a captured screen shows: the visit screen, the display's screen and its language. */
type ShotLabel = Omit<ShotView, 'n' | 'file' | 'at'>;

export interface QaConsoleOptions {
  readonly world: SimWorld;
  readonly readerId: string;
  readonly visit: VisitConfig;
  readonly setup: ConsoleSetup;
  readonly language?: string;
  /** Where the scenario files QA can run are. */
  readonly scenariosDir: string;
  readonly log: Logger;
}

export class QaConsole {
  readonly hub = new EventHub();
  readonly feed: FrameFeed;
  readonly shots = new ScreenShots(100);
  readonly host: ReaderHost;
  readonly actions: ConsoleActions;
  readonly results: StoredResults;
  #tap: FacilityTap | undefined;
  #staffSet = false;
  #lastState = '';
  #stateQueued = false;
  #shotKey = '';
  #visitListeners = new Set<(e: VisitEvent) => void>();
  /** Stops following the ScreenUi adapter of the reader shown (what it waits for). */
  #unwatch: (() => void) | undefined;

  private constructor(readonly o: QaConsoleOptions) {
    this.feed = new FrameFeed(o.world.clock);
    this.host = new ReaderHost({
      world: o.world,
      readerId: o.readerId,
      visit: o.visit,
      setup: o.setup,
      ...(o.language ? { language: o.language } : {}),
      onReader: (r) => this.#onReader(r),
      onEvent: (e) => this.#onVisitEvent(e),
      onChange: () => this.changed(),
    });
    this.actions = new ConsoleActions(this.host);
    this.results = simFacilityResults(() => this.host.reader?.facility);
    // What the frame shows is read when it is written: by the next turn the visit may have moved
    // on (a scenario pulls the card right after its screen), and the capture would be misnamed.
    this.feed.listen((f) => {
      const seen = this.#seen();
      setImmediate(() => this.#afterFrame(f, seen));
    });
  }

  /** Starts the reader and the MQTT tap; resolves once the reader shows its idle screen. */
  static async start(o: QaConsoleOptions): Promise<QaConsole> {
    const c = new QaConsole(o);
    c.#tap = await FacilityTap.start({
      brokerUrl: o.world.broker.url,
      clock: o.world.clock,
      log: o.log,
      onMessage: (m) => c.hub.send('mqtt', m),
    });
    try {
      await c.host.start();
    } catch (err) {
      await c.close();
      throw err;
    }
    return c;
  }

  /** An audit record line (JSON) from the world's audit log. */
  audit(line: string): void {
    const { t, audit, ...fields } = JSON.parse(line) as { t: string; audit: string } & Record<string, unknown>;
    const view: AuditView = { at: t, event: audit, fields };
    this.hub.send('audit', view);
  }

  /** Also tells `fn` of every visit event (the text console prints them). */
  onVisitEvent(fn: (e: VisitEvent) => void): void {
    this.#visitListeners.add(fn);
  }

  #onVisitEvent(e: VisitEvent): void {
    const started = this.host.reader?.started ?? 0;
    const what =
      e.type === 'state'
        ? e.state
        : e.type === 'screen'
          ? e.screen
          : e.type === 'decision'
            ? `${e.method}: ${e.accepted ? 'accepted' : 'refused'}`
            : `${e.result.outcome} (${e.result.method ?? 'no method'})`;
    this.hub.send('visit', { type: e.type, what, at: Math.round(e.at - started) });
    if (e.type === 'result') this.hub.send('result', e.result);
    for (const l of this.#visitListeners) l(e);
    this.changed();
  }

  #onReader(r: SimReader | undefined): void {
    const kit = r?.ui;
    this.#unwatch?.();
    this.#unwatch = undefined;
    if (kit instanceof ScreenKit) {
      this.feed.attach(kit.display);
      this.#unwatch = kit.adapter.onChange(() => this.changed());
    } else this.feed.detach();
    if (r) void this.refreshStaffPassword();
    this.changed();
  }

  /** Reads whether the reader has a staff password now (after a change of reader or password). */
  async refreshStaffPassword(): Promise<void> {
    try {
      this.#staffSet = (await this.host.reader?.staff.isSet()) ?? false;
    } catch (err) {
      this.o.log.warn('could not read whether a staff password is set', { err });
    }
    this.changed();
  }

  /** The screen, language and visit screen the reader shows now (undefined without a reader UI). */
  #seen(): ShotLabel | undefined {
    const kit = this.actions.kit();
    const layout = kit?.screenUi.layout;
    return kit && layout ? { visit: kit.adapter.screen, display: layout.screen, lang: layout.lang } : undefined;
  }

  /** Captures a screen the first time it is drawn (screen, language or visit screen changed). */
  #afterFrame(f: FeedFrame, seen: ShotLabel | undefined): void {
    this.changed();
    if (!seen) return;
    const key = `${seen.display}|${seen.lang}|${seen.visit ?? ''}`;
    if (key === this.#shotKey) return;
    this.#shotKey = key;
    this.feed
      .png(f)
      .then((png) => this.hub.send('shot', this.shots.add({ ...seen, at: f.at }, png)))
      .catch((err: unknown) => this.o.log.warn('screen capture failed', { err }));
  }

  state(): ConsoleState {
    const a = this.actions;
    const kit = a.kit();
    const layout = kit?.screenUi.layout;
    const reader = this.host.reader;
    return {
      status: this.host.status,
      readerId: reader?.readerId,
      screen: kit && layout ? screenView(layout, kit.adapter.screen, kit.adapter.input) : undefined,
      cardInSlot: reader?.slot.card !== undefined,
      setup: this.host.setup,
      camera: this.host.scene,
      facility: this.host.facilityUp ? 'up' : 'down',
      staffPasswordSet: this.#staffSet,
      hint: nextHint(a),
      blocked: a.blocked(),
      scenario: this.host.scenario,
    };
  }

  /** Sends the state to the pages if it changed (at most once per turn of the event loop). */
  changed(): void {
    if (this.#stateQueued) return;
    this.#stateQueued = true;
    setImmediate(() => {
      this.#stateQueued = false;
      const s = this.state();
      const text = JSON.stringify(s);
      if (text === this.#lastState) return;
      this.#lastState = text;
      this.hub.send('state', s);
    });
  }

  async scenarioFiles(): Promise<string[]> {
    return (await readdir(this.o.scenariosDir)).filter((f) => f.endsWith('.yaml')).sort();
  }

  async runScenario(file: string, scenario: Scenario): Promise<ScenarioReport> {
    this.hub.send('note', { text: `scenario ${file} started`, error: false });
    const report = await this.host.runScenario(file, scenario);
    this.hub.send('scenario', {
      file,
      name: report.name,
      passed: report.passed,
      problems: report.problems,
      screens: report.screens,
      result: report.result,
      ms: report.ms,
    });
    return report;
  }

  shot(n: number): { view: ShotView; png: Buffer } | undefined {
    return this.shots.get(n);
  }

  async close(): Promise<void> {
    await this.host.close();
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.feed.close();
    await this.#tap?.close();
    this.hub.close();
  }
}
