/**
 * `kaoreader staff-password`: facility IT sets or changes the staff password for 目視確認 mode on
 * this reader (read from stdin, never from the command line, stored only as a scrypt hash).
 */
import { loadConfig } from '../../firmware/config/load.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import { StaffPassword } from '../../firmware/visit/staff-password.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';

async function readStdin(limit = 1024): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) break;
    chunks.push(chunk);
  }
  const all = Buffer.concat(chunks);
  let end = all.length;
  while (end > 0 && (all[end - 1] === 0x0a || all[end - 1] === 0x0d)) end--;
  const out = new Uint8Array(all.subarray(0, end));
  all.fill(0);
  for (const c of chunks) c.fill(0);
  return out;
}

export const staffPasswordCommand: Command = {
  name: 'staff-password',
  summary: 'set or change the facility staff password (reads it from stdin)',
  usage: `kaoreader staff-password [--config FILE]

Reads the new staff password from stdin (one line) and stores its scrypt hash in the reader's
state directory. The password is needed on the reader to enter the staff visual check (目視確認).
Facility IT can also change it with the facility command "set staff password".`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' } });
    const config = await loadConfig(values.config ?? process.env['KAOREADER_CONFIG']);
    const staff = new StaffPassword(new FileStore(config.reader.stateDir), systemClock, { ...config.visit.staff, cost: 1 << 15 });
    const password = await readStdin();
    try {
      await staff.set(password);
    } finally {
      password.fill(0);
    }
    ctx.stdout.write('staff password set\n');
    return 0;
  },
};
