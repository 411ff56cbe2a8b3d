/** `kaoreader bench console`: display write → drawn in the QA console page (headless Chromium); prints JSON. */
import { join } from 'node:path';
import { MemorySink, createLogger } from '../../../firmware/core/logger.ts';
import { UsageError, parse } from '../../args.ts';
import type { Command } from '../../command.ts';
import { runConsoleBench } from '../../simulator/console/console-bench.ts';

export const consoleBench: Command = {
  name: 'console',
  summary: 'QA console: display frame → drawn in the browser p50/p95 (target p95 ≤ 100 ms)',
  usage: `kaoreader bench console [--visits 3] [--presses 40] [--json]

Starts the QA console on the simulator, opens it in Debian's headless Chromium (/usr/bin/chromium,
playwright-core) and plays PIN visits on the reader: on each PIN pad, --presses keypad presses
(digit, clear, …) 0.12 s apart redraw the pad, then the PIN, consent, done, card out. Every frame
the display writes is timed until the page has drawn it (or a newer one). Prints JSON with
p50/p95/max, frames written and drawn, and /proc/loadavg before and after (the machine may be shared).`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      visits: { type: 'string', default: '3' },
      presses: { type: 'string', default: '40' },
      json: { type: 'boolean' },
    });
    const visits = Number(values.visits);
    const presses = Number(values.presses);
    if (!Number.isInteger(visits) || visits < 1 || visits > 1_000) throw new UsageError('--visits must be an integer 1…1000');
    if (!Number.isInteger(presses) || presses < 0 || presses > 10_000) throw new UsageError('--presses must be an integer 0…10000');
    const report = await runConsoleBench({
      visits,
      presses,
      log: createLogger({ sink: new MemorySink(1_000), level: 'warn' }),
      root: join(import.meta.dirname, '..', '..', '..'),
    });
    if (values.json) ctx.stdout.write(`${JSON.stringify({ area: 'console', ...report }, null, 2)}\n`);
    else
      ctx.stdout.write(
        `display → browser p50 ${report.delayMs.p50} ms, p95 ${report.delayMs.p95} ms, max ${report.delayMs.max} ms over ${report.delayMs.n} frames (${report.delayMs.drawn} drawn); target p95 ≤ ${report.target.p95Ms} ms: ${report.target.met ? 'met' : 'NOT met'}; load ${report.loadavg.before} → ${report.loadavg.after}\n`,
      );
    return 0;
  },
};
