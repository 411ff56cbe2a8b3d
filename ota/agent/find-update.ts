/**
 * The first half of an update check: refresh the TUF metadata, choose the release for this
 * device (select.ts), and download, verify and unpack it into releases/<version> (stage.ts)
 * unless it is there already. A rejection is recorded (a signed but inconsistent release is
 * blocked: it will not get better); switching to it is the agent's (agent.ts).
 */
import { join } from 'node:path';
import { exists } from '../../firmware/core/fs.ts';
import type { CheckOptions, OtaAgentDeps } from './agent-deps.ts';
import { UpdateRejectedError } from './errors.ts';
import type { ReleaseInstaller } from './installer.ts';
import { currentVersion, type Layout } from './layout.ts';
import type { AgentReporter } from './reporter.ts';
import { chooseRelease, releaseTargetOf, type ReleaseTarget } from './select.ts';
import { stageRelease } from './stage.ts';
import { readRecord } from './state.ts';
import { readTrial } from './trial.ts';
import { refreshTargets, type OfferedTarget } from './tuf-client.ts';

export type Found =
  | { readonly kind: 'up-to-date'; readonly version: string | undefined }
  | { readonly kind: 'on-trial'; readonly version: string }
  /** Unpacked in releases/<version>, ready to switch to from `current`. */
  | { readonly kind: 'staged'; readonly version: string; readonly current: string | undefined };

export interface FindContext {
  readonly deps: OtaAgentDeps;
  readonly layout: Layout;
  readonly installer: ReleaseInstaller;
  readonly reporter: AgentReporter;
}

export async function findAndStage(c: FindContext, o: CheckOptions): Promise<Found> {
  const { deps, layout: l, reporter } = c;
  reporter.emit({ type: 'checking', source: o.source ?? 'api' });
  const current = await currentVersion(l);
  const trial = await readTrial(l);
  if (trial && trial.version === current) return { kind: 'on-trial', version: trial.version };
  const record = await readRecord(l.agentState);
  let offered: OfferedTarget[];
  try {
    offered = await refreshTargets({
      metadataDir: l.tufDir,
      repoUrl: deps.repoUrl,
      ...(deps.fetchTimeoutMs ? { fetchTimeoutMs: deps.fetchTimeoutMs } : {}),
    });
  } catch (err) {
    if (err instanceof UpdateRejectedError) await reporter.remember({ version: o.version ?? '?', outcome: 'rejected', reason: err.reason });
    throw err;
  }
  const releases: { t: ReleaseTarget; o: OfferedTarget }[] = [];
  for (const off of offered) {
    const t = releaseTargetOf(off.path, off.info.custom);
    if (t) releases.push({ t, o: off });
  }
  let choice: ReleaseTarget | undefined;
  try {
    const device = { arch: deps.arch, nodeAbi: deps.nodeAbi, current, floor: record.floor, blocked: record.blocked };
    choice = chooseRelease(
      releases.map((r) => r.t),
      device,
      o.version,
    );
  } catch (err) {
    if (err instanceof UpdateRejectedError) await reporter.remember({ version: o.version ?? '?', outcome: 'rejected', reason: err.reason });
    throw err;
  }
  if (!choice) {
    reporter.emit({ type: 'up-to-date', version: current });
    return { kind: 'up-to-date', version: current };
  }
  const target = releases.find((r) => r.t === choice)?.o as OfferedTarget;
  const version = choice.version;
  reporter.emit({ type: 'available', version, bytes: target.info.length });
  if (!(await exists(join(l.releases, version, 'manifest.json')))) {
    try {
      await stageRelease({
        layout: l,
        installer: c.installer,
        choice,
        target,
        arch: deps.arch,
        nodeAbi: deps.nodeAbi,
        emit: (e) => reporter.emit(e),
        sleep: (ms, signal) => deps.clock.sleep(ms, signal),
        clock: deps.clock,
        ...(deps.freeBytes ? { freeBytes: deps.freeBytes } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (err) {
      if (err instanceof UpdateRejectedError) {
        // a signed release that is itself inconsistent will not get better: do not retry it
        const blocked =
          err.reason === 'manifest-invalid' ? { blocked: { ...record.blocked, [version]: `${err.reason}: ${err.detail}` } } : {};
        await reporter.remember({ version, outcome: 'rejected', reason: err.reason }, blocked);
      }
      throw err;
    }
  }
  return { kind: 'staged', version, current };
}
