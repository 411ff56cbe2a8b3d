import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UpdateRejectedError } from '../../../ota/agent/errors.ts';
import { refreshTargets } from '../../../ota/agent/tuf-client.ts';
import { canonicalize, CanonicalJsonError } from '../../../ota/tuf/canonical-json.ts';
import { readKeyFile } from '../../../ota/tuf/keys.ts';
import { envelopeBytes, signEnvelope, type TimestampSigned } from '../../../ota/tuf/metadata.ts';
import { publishRepository } from '../../../ota/tuf/publish.ts';
import { TufRepository } from '../../../ota/tuf/repository.ts';
import { withRepository } from '../support/http-repo.ts';

async function setup(): Promise<{ work: string; repo: TufRepository; repoDir: string; device: string; target: string }> {
  const work = mkdtempSync(join(tmpdir(), 'kao-tuf-'));
  const repoDir = join(work, 'repo');
  const repo = new TufRepository({ repoDir, keysDir: join(work, 'keys') });
  await repo.init({ rootKeys: 2, rootThreshold: 2 });
  const target = join(work, 'kaoreader-1.0.0-linux-x64.tar.gz');
  writeFileSync(target, 'release bytes');
  await repo.addTargets([{ file: target, custom: { kaoreader: { version: '1.0.0' } } }]);
  const device = join(work, 'device', 'tuf');
  mkdirSync(device, { recursive: true });
  cpSync(join(repoDir, 'metadata', '1.root.json'), join(device, 'root.json'));
  return { work, repo, repoDir, device, target };
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UpdateRejectedError) return err.reason;
    throw err;
  }
  return 'accepted';
}

test('canonical JSON: sorted keys, minimal escaping, integers only', () => {
  assert.is(
    canonicalize({ b: 1, a: [true, null, 'x"\\y'], c: { z: 'é', y: -3 } }),
    '{"a":[true,null,"x\\"\\\\y"],"b":1,"c":{"y":-3,"z":"é"}}',
  );
  assert.throws(
    () => canonicalize({ a: 1.5 }),
    (e: unknown) => e instanceof CanonicalJsonError,
  );
});

test('canonical JSON is byte-identical to the encoder tuf-js verifies with', () => {
  const req = createRequire(createRequire(import.meta.url).resolve('tuf-js'));
  const theirs = (req('@tufjs/canonical-json') as { canonicalize: (v: unknown) => string }).canonicalize;
  const samples: unknown[] = [
    { z: 1, a: { y: [1, 2, { k: 'v' }], b: null }, ä: 'ü', '\u0001': 'ctl\n\t', q: 'a"b\\c' },
    { keys: { b: { keytype: 'ed25519' } }, roles: {}, version: 9007199254740991, neg: -1, t: true, f: false },
    ['😀', '', 'A'],
    'plain',
    0,
  ];
  for (const v of samples) assert.is(canonicalize(v), theirs(v));
});

test('client verifies our metadata and follows root and timestamp key rotation', async () => {
  const s = await setup();
  await withRepository(s.repoDir, async (srv) => {
    const first = await refreshTargets({ metadataDir: s.device, repoUrl: srv.url });
    assert.equal(
      first.map((t) => t.path),
      ['kaoreader-1.0.0-linux-x64.tar.gz'],
    );
    assert.equal(first[0]?.info.custom, { kaoreader: { version: '1.0.0' } });
    await s.repo.rotate('timestamp');
    await s.repo.rotate('root');
    const after = await refreshTargets({ metadataDir: s.device, repoUrl: srv.url });
    assert.is(after.length, 1);
    const root3 = JSON.parse(readFileSync(join(s.device, 'root.json'), 'utf8')) as {
      signed: { version: number; roles: { root: { keyids: string[]; threshold: number } } };
      signatures: unknown[];
    };
    assert.is(root3.signed.version, 3);
    assert.is(root3.signed.roles.root.threshold, 2, 'rotation keeps the threshold');
    assert.is(root3.signed.roles.root.keyids.length, 2);
    assert.is(root3.signatures.length, 4, 'signed by the two old and the two new root keys');
    // a timestamp signed with the retired timestamp key is refused
    const retired = readdirSync(join(s.work, 'keys', 'retired')).find((n) => n.startsWith('timestamp-')) as string;
    const oldKey = await readKeyFile(join(s.work, 'keys', 'retired', retired));
    const ts = JSON.parse(readFileSync(join(s.repoDir, 'metadata', 'timestamp.json'), 'utf8')).signed as TimestampSigned;
    const forged = envelopeBytes(signEnvelope({ ...ts, version: ts.version + 1 }, [oldKey]));
    srv.override = (_req, res, path) => (path === '/metadata/timestamp.json' ? (res.end(forged), true) : false);
    assert.is(await reason(refreshTargets({ metadataDir: s.device, repoUrl: srv.url })), 'metadata-signature');
  });
});

test('freeze: an expired timestamp is refused', async () => {
  const s = await setup();
  const past = new TufRepository({ repoDir: s.repoDir, keysDir: join(s.work, 'keys'), now: () => Date.now() - 3 * 86_400_000 });
  await past.refreshTimestamp();
  await withRepository(s.repoDir, async (srv) => {
    assert.is(await reason(refreshTargets({ metadataDir: s.device, repoUrl: srv.url })), 'metadata-expired');
    await s.repo.refreshTimestamp();
    assert.is(await reason(refreshTargets({ metadataDir: s.device, repoUrl: srv.url })), 'accepted');
  });
});

test('replayed old metadata and mix-and-match are refused', async () => {
  const s = await setup();
  await withRepository(s.repoDir, async (srv) => {
    const oldTimestamp = readFileSync(join(s.repoDir, 'metadata', 'timestamp.json'));
    const oldSnapshot = readFileSync(join(s.repoDir, 'metadata', '2.snapshot.json'));
    await refreshTargets({ metadataDir: s.device, repoUrl: srv.url });
    await s.repo.addTargets([{ file: s.target, custom: { kaoreader: { version: '1.0.0' } } }]);
    await refreshTargets({ metadataDir: s.device, repoUrl: srv.url });
    srv.override = (_req, res, path) => (path === '/metadata/timestamp.json' ? (res.end(oldTimestamp), true) : false);
    assert.is(await reason(refreshTargets({ metadataDir: s.device, repoUrl: srv.url })), 'metadata-rollback');
    // new timestamp, but the snapshot it names is served with an older snapshot's bytes
    const fresh = mkdtempSync(join(tmpdir(), 'kao-tuf-dev-'));
    cpSync(join(s.repoDir, 'metadata', '1.root.json'), join(fresh, 'root.json'));
    srv.override = (_req, res, path) => (path === '/metadata/3.snapshot.json' ? (res.end(oldSnapshot), true) : false);
    assert.is(await reason(refreshTargets({ metadataDir: fresh, repoUrl: srv.url })), 'metadata-inconsistent');
  });
});

test('a torn root.json is restored from the atomic backup; without one it is a typed refusal', async () => {
  const s = await setup();
  await withRepository(s.repoDir, async (srv) => {
    const fresh = mkdtempSync(join(tmpdir(), 'kao-tuf-dev-'));
    const tuf = join(fresh, 'tuf');
    mkdirSync(tuf);
    writeFileSync(join(tuf, 'root.json'), '{"signed": {"_ty');
    assert.is(await reason(refreshTargets({ metadataDir: tuf, repoUrl: srv.url })), 'metadata-invalid');
    await refreshTargets({ metadataDir: s.device, repoUrl: srv.url });
    const whole = readFileSync(join(s.device, 'root.json'));
    writeFileSync(join(s.device, 'root.json'), whole.subarray(0, whole.length >> 1));
    assert.is((await refreshTargets({ metadataDir: s.device, repoUrl: srv.url })).length, 1);
  });
});

test('publish copies targets and versioned metadata before timestamp.json', async () => {
  const s = await setup();
  const web = join(s.work, 'www');
  const n = await publishRepository(s.repoDir, web);
  assert.ok(n >= 6);
  await withRepository(web, async (srv) => {
    assert.is((await refreshTargets({ metadataDir: s.device, repoUrl: srv.url })).length, 1);
  });
});

test.run();
