/**
 * `kaoreader run` on the simulator, driven by hand: each line on stdin is one scenario step in
 * YAML flow form (`insert: card`, `camera: live`, `tap: face`, `pin: "2468"`, `pull: card`…);
 * every screen change is printed on stdout and the screen is saved as PNG (when rendered).
 * A bad line gets a one-line error and changes nothing.
 */
import { createInterface } from 'node:readline';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../firmware/core/logger.ts';
import type { Service } from '../../firmware/daemon/service.ts';
import type { VisitEvent } from '../../firmware/visit/events.ts';
import { ReaderRig } from './reader-rig.ts';
import { perform } from './run-scenario.ts';
import { parseScenario } from './scenario.ts';
import type { SimReader } from './sim-reader.ts';

export class SimConsole implements Service {
  readonly name = 'sim-console';
  #rl: ReturnType<typeof createInterface> | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly reader: SimReader, private readonly o: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; screensDir?: string; log: Logger }) {}

  /** Observer for the reader: prints screens and results, saves screen PNGs. */
  onEvent = (e: VisitEvent): void => {
    if (e.type === 'screen') {
      this.o.output.write(`screen: ${e.screen}\n`);
      if (this.o.screensDir) this.#queue = this.#queue.then(() => this.#save(e.screen));
    } else if (e.type === 'result') {
      this.o.output.write(`result: ${JSON.stringify({ outcome: e.result.outcome, method: e.result.method, errorCode: e.result.errorCode, consent: e.result.consent, prescription: e.result.prescription })}\n`);
    }
  };

  async #save(screen: string): Promise<void> {
    const ui = this.reader.ui;
    const dir = this.o.screensDir;
    if (!ui.snapshot || !ui.frames || !dir) return;
    const before = ui.frames();
    for (let i = 0; i < 100 && ui.frames() === before; i++) await new Promise((r) => setTimeout(r, 5));
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'screen.png'), await ui.snapshot());
    } catch (err) {
      this.o.log.warn('could not save the screen', { screen, err });
    }
  }

  start(): Promise<void> {
    const rig = new ReaderRig(this.reader);
    this.#rl = createInterface({ input: this.o.input, terminal: false });
    this.#rl.on('line', (line) => {
      const text = line.trim();
      if (!text || text.startsWith('#')) return;
      this.#queue = this.#queue.then(async () => {
        try {
          const step = parseScenario(`name: console\nsteps:\n  - { ${text} }\n`, 'stdin').steps[0];
          if (step) await perform(rig, 'expect' in step ? { ...step, within: step.within ?? 60_000 } : step);
        } catch (err) {
          this.o.output.write(`error: ${(err as Error).message.split('\n').slice(0, 2).join(' ')}\n`);
        }
      });
    });
    this.o.output.write('simulator ready: type steps such as "insert: card", "camera: live", "tap: face", "pin: \\"2468\\"", "pull: card"\n');
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#rl?.close();
    await this.#queue;
  }
}
