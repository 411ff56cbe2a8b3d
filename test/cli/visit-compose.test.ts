/**
 * One wiring: the visit loop is built in one place (cli/visit-compose.ts), and both the daemon on
 * hardware (cli/compose.ts) and the simulated reader (cli/simulator/sim-reader.ts) go through it. Read
 * from the source tree as written (not from what the code under test reports about itself): no
 * other file constructs the loop, the card opener or the visit's settings, and both compositions
 * call the builder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = join(import.meta.dirname, '..', '..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(path)));
    else if (e.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const production = async (): Promise<Map<string, string>> => {
  const files = (await Promise.all(['cli', 'firmware', 'hardware-sim', 'facility', 'ota'].map(sources))).flat();
  return new Map(
    await Promise.all(files.map(async (f) => [relative(ROOT, join(ROOT, f)), await readFile(join(ROOT, f), 'utf8')] as const)),
  );
};

test('only cli/visit-compose.ts builds the visit loop and its card opener', async () => {
  const files = await production();
  for (const what of ['new VisitLoop(', 'new MynaCardOpener(']) {
    const where = [...files].filter(([, text]) => text.includes(what)).map(([f]) => f);
    assert.equal(where, ['cli/visit-compose.ts'], `${what} in ${where.join(', ')}`);
  }
});

test('the daemon and the simulated reader both build their visit loop with composeVisitLoop', async () => {
  const files = await production();
  for (const f of ['cli/compose.ts', 'cli/simulator/sim-reader.ts']) {
    const text = files.get(f) ?? '';
    assert.match(text, /import \{ composeVisitLoop \} from '\.\.?\/(\.\.\/)?visit-compose\.ts';/, `${f} imports the builder`);
    assert.match(text, /composeVisitLoop\(\s*\{/, `${f} calls it`);
  }
});

test.run();
