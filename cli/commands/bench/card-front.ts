/** `kaoreader bench card-front`: the 照合番号B OCR on generated card fronts; prints JSON. */
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { runCardFrontBench } from '../../bench/card-front-bench.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

export const cardFrontBench: Command = {
  name: 'card-front',
  summary: 'OCR of 照合番号B on generated card fronts: exact/wrong/unreadable, ms per read',
  usage: `kaoreader bench card-front [--count N] [--seed S] [--variation normal|easy|hard] [--json]

Renders N random card fronts (Noto CJK fonts, random dates and codes), places each on the
simulated scanner tray (rotation, perspective, light, glare, blur, noise, JPEG) and reads it
with the card-front OCR. Targets: exact reads ≥ 99.5 %, wrong reads 0. "hard" goes beyond a
working scanner (heavy blur, glare, noise, JPEG): many fronts must be refused, none misread.`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      variation: { type: 'string', default: 'normal' },
      json: { type: 'boolean' },
    });
    const count = Number(values.count);
    const seed = Number(values.seed);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UsageError('--count must be an integer 1…1000000');
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    if (values.variation !== 'normal' && values.variation !== 'easy' && values.variation !== 'hard')
      throw new UsageError('--variation must be normal, easy or hard');
    const result = await runCardFrontBench({ count, seed, variation: values.variation, clock: systemClock, signal: ctx.signal });
    const out = { area: 'card-front', machine: { arch: process.arch, node: process.version }, ...result };
    if (values.json) ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else
      ctx.stdout.write(
        `${result.exact}/${result.count} exact (${(100 * result.exactRate).toFixed(2)} %), ${result.wrong} wrong, ${result.unreadable} unreadable; read p50 ${result.readMs.p50} ms, p95 ${result.readMs.p95} ms\n`,
      );
    return result.wrong === 0 ? 0 : 1;
  },
};
