/**
 * `kaoreader installer`: the installer unit's one step (kaoreader-installer.service, started by
 * kaoreader-installer.path when the daemon writes a request). Runs as root with write access to
 * the release side only; see ota/agent/serve-install.ts.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../firmware/config/load.ts';
import { writeAtomic } from '../../ota/fsx.ts';
import { InstallRequestError, parseInstallRequest } from '../../ota/agent/install-request.ts';
import { layoutOf } from '../../ota/agent/layout.ts';
import { serveInstallRequest } from '../../ota/agent/serve-install.ts';
import { hostArch } from '../../ota/release/manifest.ts';
import { parse, UsageError } from '../args.ts';
import type { Command } from '../command.ts';

export const installerCommand: Command = {
  name: 'installer',
  summary: "(installer unit) carry out the daemon's pending update step as root",
  usage: `kaoreader installer [--config FILE]

Reads <reader.stateDir>/ota/request.json (written by the daemon's update agent), checks it,
does the step on <ota.base> (unpack a download after verifying it against the installer's own
TUF metadata in <ota.base>/ota/tuf, switch, commit, roll back, recover), answers in
<reader.stateDir>/ota/response.json and removes the request. Exit 0 when there was nothing to
do or the step was done, 1 when it was refused. Run by kaoreader-installer.service.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' } });
    const config = await loadConfig(values.config ?? process.env['KAOREADER_CONFIG']);
    const arch = hostArch();
    if (!arch) throw new UsageError(`this machine (${process.platform}-${process.arch}) is not a release architecture`);
    const layout = layoutOf(config.ota.base, config.reader.stateDir);
    let text: string;
    try {
      text = await readFile(layout.requestFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    let req;
    try {
      req = parseInstallRequest(text);
    } catch (err) {
      if (!(err instanceof InstallRequestError)) throw err;
      await rm(layout.requestFile, { force: true });
      ctx.stderr.write(`kaoreader installer: ${err.message}\n`);
      return 1;
    }
    const res = await serveInstallRequest(
      { layout, arch, nodeAbi: process.versions.modules, repoUrl: config.ota.repositoryUrl, tufDir: join(layout.installDir, 'tuf') },
      req,
    );
    // the request goes before the answer: the daemon may write its next request as soon as it reads this one
    await rm(layout.requestFile, { force: true });
    await writeAtomic(layout.responseFile, `${JSON.stringify(res)}\n`, 0o644);
    ctx.stdout.write(`${req.op} ${res.ok ? 'done' : `refused: ${res.detail ?? ''}`}\n`);
    return res.ok ? 0 : 1;
  },
};
