import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultConfig, loadConfig, validateConfig } from '../../../firmware/config/load.ts';
import { ConfigError } from '../../../firmware/core/errors.ts';

test('embedded defaults run the simulator', () => {
  const c = defaultConfig();
  assert.is(c.hardware.mode, 'sim');
  assert.is(c.log.level, 'info');
  assert.is(c.hardware.camera.fps, 30);
});

test('every problem is reported at once, with its path', () => {
  try {
    validateConfig({ hardware: { mode: 'x', camera: { fps: 0 } }, nope: 1 }, 'f.yaml');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ConfigError);
    const problems = (err as ConfigError).problems;
    assert.ok(problems.some((p) => p.includes('/hardware/mode')));
    assert.ok(problems.some((p) => p.includes('/hardware/camera/fps')));
    assert.ok(problems.some((p) => p.includes('"nope"')));
    assert.is((err as ConfigError).code, 'CONFIG_INVALID');
  }
});

test('a YAML file is read and defaults filled in; a missing file names the fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kao-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'hardware:\n  mode: real\n  cardReader: { name: ACS }\n');
  const c = await loadConfig(file);
  assert.is(c.hardware.mode, 'real');
  assert.is(c.hardware.cardReader.name, 'ACS');
  assert.is(c.hardware.display.device, '/dev/fb0');
  try {
    await loadConfig(join(dir, 'missing.yaml'));
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, 'omit --config');
  }
  writeFileSync(file, 'a: [');
  try {
    await loadConfig(file);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ConfigError);
  }
});

test.run();
