/**
 * The installer unit's one read of a download. The downloads folder belongs to the daemon, which
 * may replace the file at any moment (or put a FIFO there, answering one thing to the hash check
 * and another to the unpack), so the installer never opens that path twice: it opens it once
 * (O_NOFOLLOW, non-blocking so a FIFO cannot stall it), requires a regular file, and copies at
 * most the signed length + 1 bytes from that descriptor into its own staging folder
 * (`<base>/ota/staging`, root's). Verifying and unpacking then read only the copy.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UpdateRejectedError } from './errors.ts';

const CHUNK = 1 << 20;

/**
 * Copies `dir/name` into a new file under `stagingDir` and returns its path; the caller removes it.
 * Refuses (`download-unsafe`) a symlink, a FIFO or anything else that is not a regular file.
 */
export async function takeDownload(dir: string, name: string, stagingDir: string, signedLength: number): Promise<string> {
  let src;
  try {
    src = await open(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UpdateRejectedError('download-unsafe', `${name} is a symbolic link`, { cause: err });
    throw err;
  }
  try {
    const st = await src.stat();
    if (!st.isFile()) throw new UpdateRejectedError('download-unsafe', `${name} is not a regular file`);
    if (st.size > signedLength) throw new UpdateRejectedError('target-oversized', `${name} is longer than the signed length`);
    await mkdir(stagingDir, { recursive: true, mode: 0o700 });
    const staged = join(stagingDir, `${randomBytes(8).toString('hex')}.tar.gz`);
    const dst = await open(staged, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      const buf = Buffer.alloc(CHUNK);
      let total = 0;
      // bounded: every turn reads ≥ 1 byte and the total stops at signedLength + 1
      for (let turn = 0; turn <= signedLength + 1; turn++) {
        const { bytesRead } = await src.read(buf, 0, Math.min(CHUNK, signedLength + 1 - total), total);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > signedLength) throw new UpdateRejectedError('target-oversized', `${name} grew past the signed length`);
        await dst.write(buf, 0, bytesRead);
      }
      await dst.sync();
    } catch (err) {
      await dst.close();
      await rm(staged, { force: true });
      throw err;
    }
    await dst.close();
    return staged;
  } finally {
    await src.close();
  }
}
