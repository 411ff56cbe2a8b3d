/**
 * kaoreader CLI. The composition root: the only place that picks real or simulated drivers
 * (see compose.ts). Errors end as one clear line and a non-zero exit, never a bare stack.
 */
import { KaoreaderError } from '../firmware/core/errors.ts';
import { createLogger, stderrSink } from '../firmware/core/logger.ts';
import type { CommandContext } from './command.ts';
import { commands } from './commands/index.ts';

const HELP = `kaoreader: the open runtime for face-authentication My Number Card readers

Usage: kaoreader <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "kaoreader <command> --help" for details.`;

async function main(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const stop = (sig: string): void => controller.abort(new Error(sig));
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const ctx: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    log: createLogger({ sink: stderrSink, level: process.env['KAOREADER_LOG'] === 'debug' ? 'debug' : 'info' }),
    signal: controller.signal,
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    ctx.stdout.write(`${(await import('../package.json', { with: { type: 'json' } })).default.version}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    ctx.stderr.write(`kaoreader: unknown command "${name}". Run "kaoreader --help".\n`);
    return 2;
  }
  const cmd = await entry.load();
  if (rest[0] === '--help' || rest[0] === '-h') {
    ctx.stdout.write(`${cmd.usage}\n`);
    return 0;
  }
  return cmd.run(rest, ctx);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof KaoreaderError) {
    process.stderr.write(`kaoreader: ${err.message}\n`);
    process.exitCode = err.code === 'USAGE' ? 2 : 1;
  } else {
    process.stderr.write(`kaoreader: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  }
}
