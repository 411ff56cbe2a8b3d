/** `kaoreader bench display`: render + convert + write per screen, key press → PIN pad, RSS; prints JSON. */
import { isLang } from '../../../firmware/display/i18n/languages.ts';
import type { FramebufferFormat } from '../../../firmware/ports/display.ts';
import { runDisplayBench } from '../../bench/display-bench.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';
import { parseSize } from '../screens.ts';
import { allocator } from '../../bench/soak-stats.ts';

const FORMATS: readonly FramebufferFormat[] = ['RGB565', 'XRGB8888', 'RGB888', 'XBGR8888'];

export const displayBench: Command = {
  name: 'display',
  summary: 'render + convert + write p50/p95 per screen, key press → PIN pad p95, RSS',
  usage: `kaoreader bench display [--size 1024x600] [--format XRGB8888|RGB565|…] [--iterations N] [--lang ja] [--json]

Renders every screen N times through the real framebuffer driver writing to a regular file
(with a generated sysfs geometry), then measures key press → redrawn PIN pad. Targets:
p50 ≤ 25 ms per full screen, key press p95 ≤ 30 ms, display part of RSS ≤ 150 MB. Memory depends on
the malloc ("allocator" in the output): measure it as the daemon runs, LD_PRELOAD=libjemalloc.so.2
MALLOC_CONF=narenas:2 (ota/systemd/kaoreader.service).`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      size: { type: 'string', default: '1024x600' },
      format: { type: 'string', default: 'XRGB8888' },
      iterations: { type: 'string', default: '20' },
      lang: { type: 'string', default: 'ja' },
      json: { type: 'boolean' },
    });
    const { width, height } = parseSize(values.size);
    const iterations = Number(values.iterations);
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000)
      throw new UsageError('--iterations must be an integer 1…10000');
    if (!FORMATS.includes(values.format as FramebufferFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (!isLang(values.lang)) throw new UsageError(`unknown language "${values.lang}"`);
    const result = await runDisplayBench({
      width,
      height,
      format: values.format as FramebufferFormat,
      iterations,
      lang: values.lang,
      signal: ctx.signal,
    });
    const out = {
      area: 'display',
      machine: { arch: process.arch, cpus: (await import('node:os')).cpus().length, node: process.version },
      allocator: allocator(),
      ...result,
    };
    if (values.json) ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else
      ctx.stdout.write(
        `all screens p50 ${result.allScreens.p50} ms p95 ${result.allScreens.p95} ms (worst screen p50 ${result.worstScreenP50} ms); key → pad p95 ${result.keyPressToPinPad.p95} ms; RSS ${result.rssMb} MB (peak ${result.peakRssMb}), display part ${result.memory.displayPart.rssMb} MB (anon ${result.memory.displayPart.anonMb}, file ${result.memory.displayPart.fileMb})\n`,
      );
    return 0;
  },
};
