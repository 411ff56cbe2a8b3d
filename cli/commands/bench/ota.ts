/**
 * `kaoreader bench ota`: one full update over loopback HTTP and the two rollbacks, timed.
 * Builds a real release for this machine's arch (or a small synthetic one with --synthetic),
 * signs it into a fresh TUF repository, installs a tiny 0.0.1 release as the device's current
 * one, then lets the agent download, verify, unpack and switch; then rolls back by the
 * agent (failed self-test) and by the start guard (crash at start). Prints JSON.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { OtaAgent } from '../../../ota/agent/agent.ts';
import { installRelease } from '../../../ota/agent/install.ts';
import { readTrial, writeTrial } from '../../../ota/agent/trial.ts';
import { UpdateLock } from '../../../ota/agent/update-lock.ts';
import { buildRelease, packFolder, targetCustom } from '../../../ota/release/build.ts';
import { hostArch } from '../../../ota/release/manifest.ts';
import { npmPackFetcher } from '../../../ota/release/npm-platform.ts';
import { TufRepository } from '../../../ota/tuf/repository.ts';
import { serveStatic } from '../../../ota/tuf/static-server.ts';
import { withWorkDir } from '../../bench/work-dir.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const root = new URL('../../../', import.meta.url).pathname;

export const ota: Command = {
  name: 'ota',
  summary: 'release size; download+verify+unpack+switch over loopback; rollback time',
  usage:
    'kaoreader bench ota [--json] [--synthetic] [--keep]\n\n--synthetic: a 4 MiB release instead of the real one (fast). --keep: leave the work folder.',
  async run(argv, ctx) {
    const { values } = parse(argv, { json: { type: 'boolean' }, synthetic: { type: 'boolean' }, keep: { type: 'boolean' } });
    const arch = hostArch();
    if (!arch) throw new UsageError(`this machine (${process.platform}-${process.arch}) is not a release architecture`);
    const fetchPackage = npmPackFetcher(join(root, 'var', 'cache', 'ota-npm'));
    return withWorkDir('kao-bench-ota-', values.keep === true, async (work) => {
      const tiny = join(work, 'tiny');
      mkdirSync(join(tiny, 'bin'), { recursive: true });
      writeFileSync(join(tiny, 'package.json'), '{"name":"kaoreader","version":"0.0.1"}');
      writeFileSync(join(tiny, 'bin', 'kaoreader.js'), 'console.log("0.0.1")\n');
      const old = await packFolder({ projectRoot: tiny, arch, outDir: join(work, 'out'), version: '0.0.1' });
      let t = performance.now();
      let src = root;
      if (values.synthetic) {
        src = join(work, 'synthetic');
        mkdirSync(join(src, 'firmware'), { recursive: true });
        writeFileSync(join(src, 'package.json'), '{"name":"kaoreader","version":"0.1.0"}');
        for (let i = 0; i < 400; i++) writeFileSync(join(src, 'firmware', `f${i}.ts`), `export const x${i} = ${i};\n`.repeat(200));
        writeFileSync(join(src, 'firmware', 'blob.bin'), randomBytes(2 << 20));
      }
      const rel = values.synthetic
        ? await packFolder({ projectRoot: src, arch, outDir: join(work, 'out'), version: '0.1.0' })
        : await buildRelease({
            projectRoot: src,
            arch,
            outDir: join(work, 'out'),
            version: '0.1.0',
            workDir: join(root, 'build', 'work'),
            fetchPackage,
          });
      const buildMs = performance.now() - t;
      const repoDir = join(work, 'repo');
      const repo = new TufRepository({ repoDir, keysDir: join(work, 'keys') });
      t = performance.now();
      await repo.init();
      await repo.addTargets([
        { file: old.file, custom: targetCustom(old.manifest) },
        { file: rel.file, custom: targetCustom(rel.manifest) },
      ]);
      const signMs = performance.now() - t;
      const base = join(work, 'device');
      mkdirSync(join(base, 'releases'), { recursive: true });
      mkdirSync(join(base, 'state', 'ota', 'tuf'), { recursive: true });
      await installRelease(old.file, join(base, 'releases'), { version: '0.0.1', arch, nodeAbi: process.versions.modules });
      symlinkSync(join('releases', '0.0.1'), join(base, 'current'));
      copyFileSync(join(repoDir, 'metadata', '1.root.json'), join(base, 'state', 'ota', 'tuf', 'root.json'));
      const srv = await serveStatic(repoDir);
      const marks: Record<string, number> = {};
      let restarts = 0;
      const make = (healthOk: boolean): OtaAgent => {
        const a = new OtaAgent({
          base,
          stateDir: join(base, 'state'),
          repoUrl: srv.url,
          arch,
          nodeAbi: process.versions.modules,
          clock: systemClock,
          log: ctx.log.child('ota'),
          lock: new UpdateLock(),
          health: () => Promise.resolve([{ name: 'bench', ok: healthOk, detail: healthOk ? 'ok' : 'forced failure' }]),
          restart: () => {
            restarts++;
            marks['restart'] = performance.now();
            return Promise.resolve();
          },
          healthWindowMs: 1,
        });
        a.on((e) => {
          marks[e.type] ??= performance.now();
        });
        return a;
      };
      try {
        const agent = make(true);
        await agent.start(ctx.signal);
        const t0 = performance.now();
        const outcome = await agent.checkForUpdate();
        const updateMs = performance.now() - t0;
        const span = (a: string, b: string): number => Math.round(((marks[b] ?? NaN) - (marks[a] ?? NaN)) * 10) / 10;
        const phases = {
          refreshMetadataMs: span('checking', 'available'),
          downloadMs: span('available', 'downloaded'),
          verifyMs: span('downloaded', 'verified'),
          unpackMs: span('verified', 'unpacked'),
          switchMs: span('unpacked', 'switched'),
        };
        await agent.stop();
        // the installed release runs from its own tree (its own runtime and node_modules, nothing from here)
        const installed = join(base, 'releases', '0.1.0');
        const selfContained = values.synthetic
          ? undefined
          : spawnSync(join(installed, 'runtime', 'bin', 'node'), [join(installed, 'bin', 'kaoreader.js'), '--help'], {
              cwd: installed,
              timeout: 60_000,
            }).status === 0;
        // rollback by the agent: the trial's self-test fails
        const trial = await readTrial(agent.layout);
        if (!trial) throw new Error('no trial after the switch');
        const failing = make(false);
        const r0 = performance.now();
        await failing.rollback(trial, 'bench: forced self-test failure');
        const agentRollbackMs = performance.now() - r0;
        // rollback by the start guard: the trial release crashed 3 times
        rmSync(agent.layout.intentFile, { force: true });
        await writeTrial(agent.layout, { version: '0.1.0', from: '0.0.1', attempts: 3 });
        symlinkSync(join('releases', '0.1.0'), join(base, 'current.next'));
        spawnSync('mv', ['-T', join(base, 'current.next'), join(base, 'current')]);
        const g0 = performance.now();
        const g = spawnSync('/bin/sh', [join(root, 'ota', 'systemd', 'start-guard.sh'), base, '3', join(base, 'state')]);
        const guardRollbackMs = performance.now() - g0;
        const result = {
          arch,
          nodeAbi: process.versions.modules,
          synthetic: Boolean(values.synthetic),
          outcome: outcome.kind,
          release: {
            bytes: rel.bytes,
            unpackedBytes: rel.manifest.unpackedBytes,
            files: Object.keys(rel.manifest.files).length,
            buildMs: Math.round(buildMs),
            signMs: Math.round(signMs),
          },
          update: { totalMs: Math.round(updateMs), ...phases, mbPerS: Math.round((rel.bytes / 1e6 / (updateMs / 1000)) * 10) / 10 },
          rollback: {
            agentMs: Math.round(agentRollbackMs * 10) / 10,
            guardMs: Math.round(guardRollbackMs * 10) / 10,
            guardExit: g.status,
            guardRolledBackTo: readlinkSync(join(base, 'current')),
          },
          restarts,
          ...(selfContained === undefined ? {} : { installedReleaseRuns: selfContained }),
          machine: `${process.arch}, Node ${process.versions.node}`,
        };
        ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
      } finally {
        await srv.close();
      }
      return 0;
    });
  },
};
