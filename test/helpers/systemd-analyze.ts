/**
 * systemd-analyze for the unit tests: the exposure score `security --offline=yes` gives a unit
 * file. The tool is required (setup installs the Debian package systemd): missing, it throws.
 */
import { spawnSync } from 'node:child_process';

/** The security review's bar for the daemon's unit (issue #14). */
export const MAX_EXPOSURE = 2.5;

export function exposureOf(file: string, root?: string): number {
  const r = spawnSync('systemd-analyze', ['security', '--offline=yes', ...(root ? [`--root=${root}`] : []), file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error)
    throw new Error(`systemd-analyze is not installed (scripts/setup.sh installs the Debian package systemd): ${r.error.message}`);
  const m = /Overall exposure level for \S+: (\d+\.\d)/.exec(`${r.stdout}${r.stderr}`);
  if (!m?.[1]) throw new Error(`no exposure level in:\n${r.stdout}${r.stderr}`);
  return Number(m[1]);
}
