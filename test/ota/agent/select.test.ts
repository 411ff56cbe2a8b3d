import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UpdateRejectedError } from '../../../ota/agent/errors.ts';
import { pruneReleases } from '../../../ota/agent/prune.ts';
import { chooseRelease, releaseTargetOf, type DeviceFacts } from '../../../ota/agent/select.ts';
import { UpdateLock } from '../../../ota/agent/update-lock.ts';

const dev: DeviceFacts = { arch: 'linux-arm64', nodeAbi: '115', current: '1.2.0', floor: '1.2.0', blocked: {} };
const t = (version: string, arch = 'linux-arm64', nodeAbi = '115') => ({
  path: `kaoreader-${version}-${arch}.tar.gz`,
  version,
  arch,
  nodeAbi,
  unpackedBytes: 1,
});

test('chooses the newest build for this arch and ABI; up to date returns undefined', () => {
  assert.is(chooseRelease([t('1.2.0'), t('1.3.0', 'linux-x64'), t('1.3.0'), t('1.2.5')], dev)?.path, 'kaoreader-1.3.0-linux-arm64.tar.gz');
  assert.is(chooseRelease([t('1.2.0')], dev), undefined);
  assert.is(chooseRelease([t('1.3.0')], { ...dev, blocked: { '1.3.0': 'self-test failed' } }), undefined);
  assert.is(chooseRelease([t('1.10.0'), t('1.9.0')], dev)?.version, '1.10.0', 'numeric, not string, order');
});

test('refusals carry their reason', () => {
  const reason = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      if (err instanceof UpdateRejectedError) return err.reason;
      throw err;
    }
    return 'none';
  };
  assert.is(
    reason(() => chooseRelease([t('1.1.0')], dev)),
    'release-rollback',
  );
  assert.is(
    reason(() => chooseRelease([t('1.1.0')], { ...dev, current: '1.0.0' })),
    'release-rollback',
    'the committed floor counts too',
  );
  assert.is(
    reason(() => chooseRelease([t('1.3.0', 'linux-x64')], dev)),
    'wrong-arch',
  );
  assert.is(
    reason(() => chooseRelease([t('1.3.0', 'linux-arm64', '127')], dev)),
    'wrong-abi',
  );
  assert.is(releaseTargetOf('x', { kaoreader: { version: '1.2', arch: 'linux-x64', nodeAbi: '115' } }), undefined);
  assert.is(releaseTargetOf('x', {}), undefined);
});

test('prune keeps the current and the rollback target, then the newest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-prune-'));
  for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '.partial-1.5.0']) mkdirSync(join(dir, v));
  const removed = await pruneReleases(dir, 3, ['1.4.0', '1.0.0']);
  assert.equal(removed.sort(), ['1.1.0', '1.2.0']);
  assert.equal(readdirSync(dir).sort(), ['.partial-1.5.0', '1.0.0', '1.3.0', '1.4.0']);
});

test('update lock: no switch during a visit, no visit during a switch', () => {
  const lock = new UpdateLock();
  const visit = lock.tryBeginVisit();
  assert.ok(visit);
  assert.is(lock.tryBeginUpdate(), undefined);
  visit?.();
  visit?.();
  assert.ok(lock.idle);
  const upd = lock.tryBeginUpdate();
  assert.ok(upd);
  assert.is(lock.tryBeginVisit(), undefined);
  upd?.();
  assert.ok(lock.tryBeginVisit());
});

test.run();
