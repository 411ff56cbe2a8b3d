import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { productionModules } from '../../../ota/release/modules.ts';

function put(root: string, rel: string, text = 'x'): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** A project with a plain package, a dev-only one, a node-gyp addon, a prebuilt addon and sharp-style platform packages. */
function project(): { root: string; armPkg: string } {
  const root = mkdtempSync(join(tmpdir(), 'kao-mods-'));
  const lock = {
    packages: {
      '': { name: 'p' },
      'node_modules/plain': { version: '1.0.0' },
      'node_modules/plain/node_modules/nested': { version: '2.0.0' },
      'node_modules/devonly': { version: '1.0.0', dev: true },
      'node_modules/gyp': { version: '1.0.0' },
      'node_modules/pre': { version: '1.0.0' },
      'node_modules/@img/sharp-linux-x64': { version: '0.1.0', cpu: ['x64'], os: ['linux'], libc: ['glibc'], optional: true },
      'node_modules/@img/sharp-linux-arm64': { version: '0.1.0', cpu: ['arm64'], os: ['linux'], libc: ['glibc'], optional: true, integrity: 'sha512-abc' },
      'node_modules/@img/sharp-linuxmusl-arm64': { version: '0.1.0', cpu: ['arm64'], os: ['linux'], libc: ['musl'], optional: true },
    },
  };
  put(root, 'package-lock.json', JSON.stringify(lock));
  put(root, 'node_modules/plain/package.json', '{}');
  put(root, 'node_modules/plain/build/index.js');
  put(root, 'node_modules/plain/node_modules/nested/package.json', '{}');
  put(root, 'node_modules/devonly/package.json', '{}');
  put(root, 'node_modules/gyp/package.json', '{}');
  put(root, 'node_modules/gyp/binding.gyp');
  put(root, 'node_modules/gyp/build/Release/gyp.node');
  put(root, 'node_modules/gyp/build/Release/obj.target/gyp.o');
  put(root, 'node_modules/pre/package.json', '{}');
  put(root, 'node_modules/pre/binding.gyp');
  put(root, 'node_modules/pre/prebuilds/linux-arm64/pre.node');
  put(root, 'node_modules/pre/prebuilds/linux-x64/pre.node');
  put(root, 'node_modules/@img/sharp-linux-x64/package.json', '{}');
  put(root, 'node_modules/@img/sharp-linux-x64/lib/sharp.node');
  const armPkg = join(root, 'fetched', 'sharp-linux-arm64');
  put(armPkg, 'package.json', '{}');
  put(armPkg, 'lib/sharp-arm64.node');
  return { root, armPkg };
}

test('cross-arch (arm64 from x64): platform package fetched, other arch dropped, gyp addon recorded missing', async () => {
  const { root, armPkg } = project();
  const calls: string[] = [];
  const r = await productionModules(root, 'linux-arm64', (name, version, integrity) => {
    calls.push(`${name}@${version} ${integrity}`);
    return name === '@img/sharp-linux-arm64' ? Promise.resolve(armPkg) : Promise.reject(new Error(`unexpected ${name}`));
  }, 'x64');
  const rels = r.files.map((f) => f.rel).sort();
  assert.equal(calls, ['@img/sharp-linux-arm64@0.1.0 sha512-abc']);
  assert.equal(rels, [
    'node_modules/@img/sharp-linux-arm64/lib/sharp-arm64.node',
    'node_modules/@img/sharp-linux-arm64/package.json',
    'node_modules/gyp/binding.gyp',
    'node_modules/gyp/package.json',
    'node_modules/plain/build/index.js',
    'node_modules/plain/node_modules/nested/package.json',
    'node_modules/plain/package.json',
    'node_modules/pre/binding.gyp',
    'node_modules/pre/package.json',
    'node_modules/pre/prebuilds/linux-arm64/pre.node',
  ]);
  const gyp = r.addons.find((a) => a.package === 'gyp');
  assert.is(gyp?.status, 'missing');
  assert.match(gyp?.note ?? '', /cannot be cross-built/);
  assert.is(r.addons.find((a) => a.package === 'pre')?.status, 'included');
});

test('same arch: the locally built gyp addon ships (its .node only), nothing is fetched', async () => {
  const { root } = project();
  const r = await productionModules(root, 'linux-x64', () => Promise.reject(new Error('no fetch expected')), 'x64');
  const rels = r.files.map((f) => f.rel);
  assert.ok(rels.includes('node_modules/gyp/build/Release/gyp.node'));
  assert.not.ok(rels.includes('node_modules/gyp/build/Release/obj.target/gyp.o'));
  assert.ok(rels.includes('node_modules/@img/sharp-linux-x64/lib/sharp.node'));
  assert.not.ok(rels.some((f) => f.includes('arm64')));
  assert.is(r.addons.find((a) => a.package === 'gyp')?.status, 'included');
});

test.run();
