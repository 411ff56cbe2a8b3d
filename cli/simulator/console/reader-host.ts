/**
 * The simulated reader the console drives, under the real daemon. A different patient or card
 * (another person walks up with another card) rebuilds the reader from the same builder
 * (SimReader.create) with the same reader id, so its state directory (outbox, staff password,
 * the card's retry counters) and the facility's records (kept on disk) carry over; the camera
 * scene and whether the facility is up carry over too. A scenario run takes the reader's place
 * until it ends, then the console's reader comes back. One change at a time, in order.
 */
import { join } from 'node:path';
import { KaoreaderError, TimeoutError } from '../../../firmware/core/errors.ts';
import type { VisitConfig } from '../../../firmware/config/sections/visit.ts';
import { Daemon } from '../../../firmware/daemon/daemon.ts';
import { systemdNotifier } from '../../../firmware/daemon/sd-notify.ts';
import type { VisitEvent } from '../../../firmware/visit/events.ts';
import { ReaderRig } from '../reader-rig.ts';
import type { ScenarioReport } from '../run-scenario.ts';
import type { Scenario } from '../scenario.ts';
import type { Scene } from '../scene-camera.ts';
import { ScreenKit } from '../screen-kit.ts';
import { SimReader, type SimWorld } from '../sim-reader.ts';
import { runScenarioOnSim } from '../visit-on-sim.ts';
import type { ConsoleSetup, ConsoleState } from './protocol.ts';

export class HostBusyError extends KaoreaderError {
  readonly code = 'CONSOLE_BUSY';
}

export interface ReaderHostOptions {
  readonly world: SimWorld;
  readonly readerId: string;
  readonly visit: VisitConfig;
  readonly setup: ConsoleSetup;
  readonly language?: string;
  /** A reader took over the screen (undefined: none for now). */
  readonly onReader: (reader: SimReader | undefined) => void;
  readonly onEvent: (e: VisitEvent) => void;
  readonly onChange: () => void;
}

const IDLE_WITHIN_MS = 30_000;

export class ReaderHost {
  #reader: SimReader | undefined;
  #stop: (() => Promise<void>) | undefined;
  #status: ConsoleState['status'] = 'starting';
  #setup: ConsoleSetup;
  #scene: Scene = 'nobody';
  #facilityUp = true;
  #scenario: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ReaderHostOptions) {
    this.#setup = o.setup;
  }

  get reader(): SimReader | undefined {
    return this.#reader;
  }
  get status(): ConsoleState['status'] {
    return this.#status;
  }
  get setup(): ConsoleSetup {
    return this.#setup;
  }
  get scene(): Scene {
    return this.#scene;
  }
  get facilityUp(): boolean {
    return this.#facilityUp;
  }
  get scenario(): string | undefined {
    return this.#scenario;
  }

  /** Builds the first reader; resolves once it shows the idle screen. */
  start(): Promise<void> {
    return this.#serial(() => this.#open());
  }

  /** Another patient or card: rebuilds the reader (refused while a card is in the slot). */
  change(setup: ConsoleSetup): Promise<void> {
    return this.#serial(async () => {
      if (this.#reader?.slot.card) throw new HostBusyError('take the card out first: a new patient or card rebuilds the reader');
      this.#setup = setup;
      this.#status = 'rebuilding';
      this.o.onChange();
      await this.#close();
      await this.#open();
    });
  }

  showCamera(scene: Scene): void {
    this.#scene = scene;
    this.#reader?.showCamera(scene);
    this.o.onChange();
  }

  async setFacility(up: boolean): Promise<void> {
    this.#facilityUp = up;
    const f = this.#reader?.facility;
    if (f) await (up ? f.up() : f.down());
    this.o.onChange();
  }

  /** Runs `scenario` on its own reader (the console's reader stands aside until it ends). */
  runScenario(file: string, scenario: Scenario): Promise<ScenarioReport> {
    return this.#serial(async () => {
      this.#scenario = file;
      this.#status = 'scenario';
      await this.#close();
      this.o.onChange();
      try {
        return await runScenarioOnSim(this.o.world, scenario, {
          onReader: (r) => {
            this.#reader = r;
            this.o.onReader(r);
            this.o.onChange();
          },
          onEvent: this.o.onEvent,
        });
      } finally {
        this.#reader = undefined;
        this.#scenario = undefined;
        this.o.onReader(undefined);
        await this.#open();
      }
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      await this.#close();
      this.#status = 'stopped';
      this.o.onChange();
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #open(): Promise<void> {
    const s = this.#setup;
    const reader = await SimReader.create(this.o.world, {
      readerId: this.o.readerId,
      patient: s.patient,
      card: s.card,
      facility: {
        registered: s.registered,
        ePrescription: s.ePrescription,
        reachable: this.#facilityUp,
        dataDir: join(this.o.world.dir, 'facility'),
      },
      visit: this.o.visit,
      ...(this.o.language ? { language: this.o.language } : {}),
      onEvent: this.o.onEvent,
    });
    reader.showCamera(this.#scene);
    const daemon = new Daemon({
      services: reader.services,
      notifier: systemdNotifier({}),
      clock: this.o.world.clock,
      log: this.o.world.log.child('daemon'),
    });
    const stop = new AbortController();
    const running = daemon.run(stop.signal).catch((err: unknown) => this.o.world.log.error('the console reader stopped', { err }));
    this.#stop = async () => {
      stop.abort();
      await running;
      await reader.close();
    };
    this.#reader = reader;
    this.o.onReader(reader);
    await new ReaderRig(reader).waitForScreen('idle', IDLE_WITHIN_MS);
    // the visit asked for the idle screen; QA acts on it once it is on the panel
    const kit = reader.ui;
    if (kit instanceof ScreenKit && !(await kit.when(() => kit.screenUi.layout?.screen === 'idle', IDLE_WITHIN_MS))) {
      throw new TimeoutError('the idle screen to be drawn', IDLE_WITHIN_MS);
    }
    this.#status = 'ready';
    this.o.onChange();
  }

  async #close(): Promise<void> {
    const stop = this.#stop;
    this.#stop = undefined;
    this.#reader = undefined;
    this.o.onReader(undefined);
    await stop?.();
  }
}
