/**
 * The layer rules of docs/architecture.md, checked on every import of every source file
 * (static, `export … from`, dynamic `import()`, `require()` and `createRequire(…)(…)`, type-only
 * imports included: a type import is a dependency too). A rule broken on purpose must be listed
 * in ALLOWED with the issue that removes it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '../..');
const SOURCE_DIRS = ['bin', 'cli', 'firmware', 'facility', 'ota', 'hardware-sim', 'scripts', 'tools'];

/** firmware/: nothing imports a higher layer (siblings on one layer may import each other). */
const LAYER: Readonly<Record<string, number>> = {
  'firmware/core': 0,
  'firmware/ports': 1,
  'firmware/config': 1,
  'firmware/apdu': 2,
  'firmware/face': 2,
  'firmware/card-front': 2,
  'firmware/display': 2,
  'firmware/facility': 2,
  'firmware/platform': 2,
  'firmware/visit': 3,
  'firmware/daemon': 4,
};

/** Native (and database) modules: the only files that may load each. */
const NATIVE: Readonly<Record<string, readonly string[]>> = {
  pcsclite: ['firmware/platform/pcsc/binding.ts', 'firmware/platform/probes/services.ts'],
  'onnxruntime-node': ['firmware/platform/onnx-runtime.ts'],
  'node-hid': ['firmware/platform/hid/node-hid-loader.ts', 'firmware/platform/probes/services.ts'],
  rpio: ['firmware/platform/gpio/rpio-binding.ts'],
  'better-sqlite3': ['facility/store/sqlite-store.ts'],
  pg: ['facility/store/postgres-store.ts'],
  // the display's image library (prebuilt libvips); the tools draw with it too
  sharp: ['firmware/display/', 'cli/', 'hardware-sim/'],
};

/** Known violations, each with the issue that removes it: `from -> to` (a file or a module). */
const ALLOWED: ReadonlySet<string> = new Set([]);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|mts|mjs|js)$/.test(name)) out.push(relative(ROOT, p).split(sep).join('/'));
  }
  return out;
}

const REQUIRE = /\b(?:require|createRequire\([^)]*\))\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a file imports. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const info = ts.preProcessFile(text, true, true);
  return [...info.importedFiles.map((f) => f.fileName), ...[...text.matchAll(REQUIRE)].map((m) => m[1] ?? '')];
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly local: boolean;
}

function edges(files: readonly string[]): Edge[] {
  const out: Edge[] = [];
  for (const from of files) {
    for (const spec of specifiers(from)) {
      if (spec.startsWith('.'))
        out.push({
          from,
          to: normalize(join(dirname(from), spec))
            .split(sep)
            .join('/'),
          local: true,
        });
      else if (!spec.startsWith('node:'))
        out.push({ from, to: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec), local: false });
    }
  }
  return out;
}

/** `firmware/<part>` for firmware files, else the top folder. */
function area(file: string): string {
  const [top, part] = file.split('/');
  return top === 'firmware' && part !== undefined && file.split('/').length > 2 ? `firmware/${part}` : (top ?? file);
}

const under = (file: string, prefix: string): boolean => file === prefix || file.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** The rule an edge breaks, or undefined. */
export function broken(e: Edge): string | undefined {
  if (!e.local) {
    const allowed = NATIVE[e.to];
    if (allowed && !allowed.some((p) => (p.endsWith('/') ? e.from.startsWith(p) : e.from === p)))
      return `${e.to} is loaded only in ${allowed.join(', ')}`;
    return undefined;
  }
  const a = area(e.from);
  const b = area(e.to);
  if (['firmware', 'ota', 'facility'].some((top) => under(e.from, top)) && (under(e.to, 'cli') || under(e.to, 'hardware-sim')))
    return 'firmware/, ota/ and facility/ never import cli/ or hardware-sim/';
  if (under(e.from, 'hardware-sim') && under(e.to, 'cli')) return 'hardware-sim/ never imports cli/';
  if (
    ['firmware', 'facility', 'tools'].some((top) => under(e.from, top)) &&
    (under(e.to, 'tools') || under(e.to, 'scripts')) &&
    area(e.from) !== area(e.to)
  ) {
    return 'the build tooling (tools/) and scripts/ are used by cli/, ota/ and scripts/ only, and tools/ never imports scripts/';
  }
  if (under(e.from, 'facility') && under(e.to, 'firmware') && !['firmware/core', 'firmware/ports', 'firmware/facility'].includes(b))
    return "facility/ uses firmware's core, ports and facility messages only";
  if (under(e.from, 'ota') && under(e.to, 'firmware') && !['firmware/core', 'firmware/ports', 'firmware/config'].includes(b))
    return "ota/ uses firmware's core, ports and config only";
  if (a !== b && under(e.from, 'firmware')) {
    const la = LAYER[a];
    const lb = LAYER[b];
    if (la === undefined || lb === undefined) return `${la === undefined ? a : b} has no layer in docs/architecture.md`;
    if (lb > la) return `${a} (layer ${la}) imports upward into ${b} (layer ${lb})`;
    if (b === 'firmware/platform') return 'only the composition root (cli/) and hardware-sim/ pick real drivers from firmware/platform/';
  }
  return undefined;
}

/** Strongly connected components of more than one file (Tarjan, iterative depth bound by the file count). */
function cycles(files: readonly string[], all: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of all) if (e.local && next.has(e.to)) next.get(e.from)?.push(e.to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let guard = 0; guard <= files.length; guard++) {
        const w = stack.pop() as string;
        onStack.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

const FILES = SOURCE_DIRS.flatMap((d) => sources(join(ROOT, d)));
const EDGES = edges(FILES);

test('every import keeps the layer rules of docs/architecture.md', () => {
  const problems = EDGES.flatMap((e) => {
    const why = broken(e);
    return why && !ALLOWED.has(`${e.from} -> ${e.to}`) ? [`${e.from} -> ${e.to}: ${why}`] : [];
  });
  assert.equal(problems, []);
});

test('every allowed exception still exists (an allowlist entry is removed with its violation)', () => {
  const seen = new Set(EDGES.map((e) => `${e.from} -> ${e.to}`));
  assert.equal(
    [...ALLOWED].filter((a) => !seen.has(a)),
    [],
  );
});

test('no import cycles', () => {
  assert.equal(cycles(FILES, EDGES), []);
});

test('the checker sees what it checks: the parser finds static, type-only, dynamic and required imports', () => {
  assert.ok(FILES.length > 300, `${FILES.length} files`);
  const of = (file: string): string[] => EDGES.filter((e) => e.from === file).map((e) => e.to);
  assert.ok(of('firmware/platform/onnx-runtime.ts').includes('onnxruntime-node'), 'import type + import()');
  assert.ok(of('firmware/platform/gpio/rpio-binding.ts').includes('rpio'), 'createRequire(…)(…)');
  assert.ok(of('firmware/platform/pcsc/binding.ts').includes('pcsclite'), 'require()');
  assert.ok(of('firmware/display/render/dots.ts').includes('firmware/display/render/rgba.ts'), 'type-only import');
  assert.is(broken({ from: 'firmware/visit/x.ts', to: 'firmware/daemon/daemon.ts', local: true })?.includes('upward'), true);
  assert.ok(broken({ from: 'firmware/apdu/x.ts', to: 'hardware-sim/card/x.ts', local: true }));
  assert.ok(broken({ from: 'firmware/face/x.ts', to: 'onnxruntime-node', local: false }));
  assert.ok(broken({ from: 'firmware/visit/x.ts', to: 'firmware/platform/file-store.ts', local: true }));
  assert.ok(broken({ from: 'firmware/face/x.ts', to: 'tools/models/build-models.ts', local: true }));
  assert.equal(
    cycles(
      ['a.ts', 'b.ts', 'c.ts'],
      [
        { from: 'a.ts', to: 'b.ts', local: true },
        { from: 'b.ts', to: 'a.ts', local: true },
        { from: 'b.ts', to: 'c.ts', local: true },
      ],
    ),
    [['a.ts', 'b.ts']],
  );
});

test.run();
