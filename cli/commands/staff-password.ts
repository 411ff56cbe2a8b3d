/**
 * `kaoreader staff-password`: facility IT sets or changes the staff password for 目視確認 mode on
 * this reader (read from stdin, never from the command line; 8–16 digits, the one policy; stored
 * only as a scrypt hash in the one store the daemon checks: `openStaffPassword(reader.stateDir)`).
 */
import { loadConfig } from '../../firmware/config/load.ts';
import { STAFF_PASSWORD_MAX_DIGITS, STAFF_PASSWORD_MIN_DIGITS } from '../../firmware/core/staff-password-hash.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { openStaffPassword, STAFF_PASSWORD_COST } from '../../firmware/visit/staff-password.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';

async function readStdin(stdin: AsyncIterable<Buffer>, limit = 1024): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
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

Reads the new staff password from stdin (one line: ${STAFF_PASSWORD_MIN_DIGITS}–${STAFF_PASSWORD_MAX_DIGITS} digits, what the reader's pad
takes) and stores its scrypt hash in the reader's state directory, where the daemon checks it.
The password is needed on the reader to enter the staff visual check (目視確認). Facility IT can
also change it with the signed facility command "set-staff-password" (which carries only the hash).`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' } });
    const config = await loadConfig(values.config ?? process.env['KAOREADER_CONFIG']);
    const staff = openStaffPassword(config.reader.stateDir, (dir) => new FileStore(dir), systemClock, {
      ...config.visit.staff,
      cost: STAFF_PASSWORD_COST,
    });
    const password = await readStdin(process.stdin as AsyncIterable<Buffer>);
    try {
      await staff.set(password);
    } finally {
      password.fill(0);
    }
    ctx.stdout.write('staff password set\n');
    return 0;
  },
};
