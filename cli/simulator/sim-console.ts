/**
 * The text console: the simulator driven by hand from a terminal. Each line on stdin is one
 * scenario step in YAML flow form (`insert: card`, `camera: live`, `tap: face`, `pin: "2468"`,
 * `pull: card`…), or `help`, `buttons`, `screen`. Every screen change and result is printed on
 * stdout; with a screens directory the screen is also kept as PNG. A step that cannot apply to
 * the screen shown is answered at once with the reason (ConsoleActions); a bad line gets a
 * one-line error and changes nothing.
 */
import { createInterface } from 'node:readline';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Service } from '../../firmware/ports/service.ts';
import type { VisitEvent } from '../../firmware/visit/events.ts';
import type { ConsoleActions } from './console/console-actions.ts';
import { parseScenario, type ScenarioStep } from './scenario.ts';
import { SCENES } from './scene-camera.ts';

type KeysOf<T> = T extends unknown ? keyof T : never;
type StepKey = Exclude<KeysOf<ScenarioStep>, 'within'>;

/** One line of help per step (the compiler asks for a line when a step is added). */
const STEP_HELP: Readonly<Record<StepKey, readonly [string, string]>> = {
  insert: ['insert: card', 'put the card in the slot'],
  pull: ['pull: card', 'take the card out (at any moment)'],
  tap: ['tap: face', 'press a button of the screen shown ("buttons" lists them)'],
  pin: ['pin: "2468"', 'type the PIN on the PIN pad'],
  password: ['password: "20261124"', 'type the staff password on its pad, then enter'],
  cancel: ['cancel: entry', '取消 on the PIN or password pad'],
  language: ['language: en', 'pick a language on the start screen'],
  camera: ['camera: live', `who is in front of the camera: ${SCENES.join(' | ')}`],
  facility: ['facility: down', 'the facility goes down, or up again'],
  fault: ['fault: no-answer', "the card's next command is not answered (a bad contact)"],
  expect: ['expect: consent', 'wait until that screen is shown'],
  see: ['see: method.faceThenPin', 'wait until the screen shows that message (a catalog key)'],
  wait: ['wait: 1500', 'wait that many milliseconds'],
};

export function helpText(): string {
  const steps = Object.values(STEP_HELP)
    .map(([ex, what]) => `  ${ex.padEnd(22)} ${what}`)
    .join('\n');
  return `steps, one per line:\n${steps}\nother lines:\n  ${'help'.padEnd(22)} this list\n  ${'buttons'.padEnd(22)} the buttons of the screen shown\n  ${'screen'.padEnd(22)} the screen shown\n`;
}

export interface SimConsoleOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly screensDir?: string;
  readonly log: Logger;
}

export class SimConsole implements Service {
  readonly name = 'sim-console';
  #rl: ReturnType<typeof createInterface> | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly actions: ConsoleActions,
    private readonly o: SimConsoleOptions,
  ) {}

  /** Observer for the reader: prints screens and results, saves screen PNGs. */
  onEvent = (e: VisitEvent): void => {
    if (e.type === 'screen') {
      this.o.output.write(`screen: ${e.screen}\n`);
      if (this.o.screensDir) this.#queue = this.#queue.then(() => this.#save(e.screen));
    } else if (e.type === 'result') {
      this.o.output.write(
        `result: ${JSON.stringify({ outcome: e.result.outcome, method: e.result.method, errorCode: e.result.errorCode, consent: e.result.consent, prescription: e.result.prescription })}\n`,
      );
    }
  };

  async #save(screen: string): Promise<void> {
    const ui = this.actions.target.reader?.ui;
    const dir = this.o.screensDir;
    if (!ui?.snapshot || !ui.frames || !dir) return;
    const before = ui.frames();
    for (let i = 0; i < 100 && ui.frames() === before; i++) await new Promise((r) => setTimeout(r, 5));
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'screen.png'), await ui.snapshot());
    } catch (err) {
      this.o.log.warn('could not save the screen', { screen, err });
    }
  }

  /** Answers one line (what a person typed). */
  async line(text: string): Promise<void> {
    const out = this.o.output;
    if (text === 'help' || text === '?') return void out.write(helpText());
    if (text === 'buttons') return void out.write(`screen ${this.actions.screenName()}: ${this.actions.describeButtons()}\n`);
    if (text === 'screen') return void out.write(`screen: ${this.actions.screenName()}\n`);
    try {
      const step = parseScenario(`name: console\nsteps:\n  - { ${text} }\n`, 'stdin').steps[0];
      if (step) await this.actions.perform(step);
    } catch (err) {
      out.write(`error: ${(err as Error).message.split('\n').slice(0, 2).join(' ')}\n`);
    }
  }

  start(): Promise<void> {
    this.#rl = createInterface({ input: this.o.input, terminal: false });
    this.#rl.on('line', (raw) => {
      const text = raw.trim();
      if (!text || text.startsWith('#')) return;
      this.#queue = this.#queue.then(() => this.line(text));
    });
    this.o.output.write(
      'text console: type steps such as "insert: card", "tap: face", "pin: \\"2468\\"", "pull: card"; "help" lists them\n',
    );
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#rl?.close();
    await this.#queue;
  }
}
