/**
 * `kaoreader release init|sign|timestamp|rotate|publish`: the manufacturer's TUF repository.
 * Keys stay in --keys (never on a device); --repo is the signed folder; publish copies it to
 * the folder a web server serves.
 */
import { targetCustom } from '../../../ota/release/build.ts';
import { readManifestFromTarball } from '../../../ota/release/read-manifest.ts';
import { ROLES, type RoleName } from '../../../ota/tuf/metadata.ts';
import { publishRepository } from '../../../ota/tuf/publish.ts';
import { TufRepository } from '../../../ota/tuf/repository.ts';
import { serveStatic } from '../../../ota/tuf/static-server.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const REPO_OPTS = { repo: { type: 'string' }, keys: { type: 'string' } } as const;

function repository(values: { repo?: string; keys?: string }, ttlTimestampHours?: string): TufRepository {
  if (!values.repo || !values.keys) throw new UsageError('--repo DIR and --keys DIR are required');
  const hours = ttlTimestampHours ? Number(ttlTimestampHours) : undefined;
  if (hours !== undefined && !(hours > 0)) throw new UsageError('--timestamp-hours must be positive');
  return new TufRepository({ repoDir: values.repo, keysDir: values.keys, ...(hours ? { ttl: { timestamp: hours * 3_600_000 } } : {}) });
}

export const initCommand: Command = {
  name: 'init',
  summary: 'create a TUF repository and its role keys',
  usage:
    'kaoreader release init --repo DIR --keys DIR [--root-keys N] [--root-threshold M]\n\nWrites version-1 root/targets/snapshot/timestamp. Give devices metadata/1.root.json as trust anchor.',
  async run(argv, ctx) {
    const { values } = parse(argv, { ...REPO_OPTS, 'root-keys': { type: 'string' }, 'root-threshold': { type: 'string' } });
    const rootKeys = Number(values['root-keys'] ?? 1);
    await repository(values).init({ rootKeys, rootThreshold: Number(values['root-threshold'] ?? 1) });
    ctx.stdout.write(`repository created in ${values.repo}; keys in ${values.keys} (keep them off devices)\n`);
    return 0;
  },
};

export const signCommand: Command = {
  name: 'sign',
  summary: 'add release tarballs as signed targets (new targets, snapshot, timestamp)',
  usage: 'kaoreader release sign --repo DIR --keys DIR [--timestamp-hours H] TARBALL...',
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { ...REPO_OPTS, 'timestamp-hours': { type: 'string' } }, true);
    if (positionals.length === 0) throw new UsageError('name at least one release tarball');
    const files = [];
    for (const file of positionals) files.push({ file, custom: targetCustom(await readManifestFromTarball(file)) });
    const added = await repository(values, values['timestamp-hours']).addTargets(files);
    ctx.stdout.write(`${JSON.stringify(added, null, 2)}\n`);
    return 0;
  },
};

export const timestampCommand: Command = {
  name: 'timestamp',
  summary: 're-sign the short-lived timestamp (run before it expires)',
  usage: 'kaoreader release timestamp --repo DIR --keys DIR [--timestamp-hours H]',
  async run(argv, ctx) {
    const { values } = parse(argv, { ...REPO_OPTS, 'timestamp-hours': { type: 'string' } });
    ctx.stdout.write(`timestamp version ${await repository(values, values['timestamp-hours']).refreshTimestamp()}\n`);
    return 0;
  },
};

export const rotateCommand: Command = {
  name: 'rotate',
  summary: "replace a role's key through new root metadata signed by old and new root keys",
  usage: `kaoreader release rotate --repo DIR --keys DIR --role ${ROLES.join('|')}`,
  async run(argv, ctx) {
    const { values } = parse(argv, { ...REPO_OPTS, role: { type: 'string' } });
    if (!ROLES.includes(values.role as RoleName)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    ctx.stdout.write(`root version ${await repository(values).rotate(values.role as RoleName)}\n`);
    return 0;
  },
};

export const publishCommand: Command = {
  name: 'publish',
  summary: 'copy the signed repository to the served folder (timestamp last)',
  usage: 'kaoreader release publish --repo DIR --to WEBROOT',
  async run(argv, ctx) {
    const { values } = parse(argv, { repo: { type: 'string' }, to: { type: 'string' } });
    if (!values.repo || !values.to) throw new UsageError('--repo DIR and --to DIR are required');
    ctx.stdout.write(`${await publishRepository(values.repo, values.to)} file(s) published to ${values.to}\n`);
    return 0;
  },
};

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve a published repository folder over HTTP (facility network)',
  usage: 'kaoreader release serve --dir WEBROOT [--host 127.0.0.1] [--port 8080]',
  async run(argv, ctx) {
    const { values } = parse(argv, { dir: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } });
    if (!values.dir) throw new UsageError('--dir is required');
    const srv = await serveStatic(values.dir, { host: values.host ?? '127.0.0.1', port: Number(values.port ?? 8080) });
    ctx.stdout.write(`serving ${values.dir} at ${srv.url}\n`);
    await new Promise<void>((ok) => ctx.signal.addEventListener('abort', () => ok(), { once: true }));
    await srv.close();
    return 0;
  },
};
