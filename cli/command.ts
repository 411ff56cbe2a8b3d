/** A CLI command: a name, one line of help, a usage text, and a function from argv to exit code. */
import type { Logger } from '../firmware/core/logger.ts';

export interface CommandContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly log: Logger;
  /** Fires on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], ctx: CommandContext): Promise<number>;
}

/** A command made of subcommands (`sim card`, `bench face`…). */
export function group(name: string, summary: string, children: readonly Command[]): Command {
  const usage = `kaoreader ${name} <command> [options]\n\nCommands:\n${children.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`).join('\n')}\n\nRun "kaoreader ${name} <command> --help" for the options of each.`;
  return {
    name,
    summary,
    usage,
    async run(argv, ctx) {
      const [sub, ...rest] = argv;
      if (!sub || sub === '--help' || sub === '-h') {
        ctx.stdout.write(`${usage}\n`);
        return sub ? 0 : 2;
      }
      const child = children.find((c) => c.name === sub);
      if (!child) {
        ctx.stderr.write(`kaoreader ${name}: unknown command "${sub}". Commands: ${children.map((c) => c.name).join(', ')}\n`);
        return 2;
      }
      if (rest.includes('--help') || rest.includes('-h')) {
        ctx.stdout.write(`${child.usage}\n`);
        return 0;
      }
      return child.run(rest, ctx);
    },
  };
}
