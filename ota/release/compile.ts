/**
 * The release's program: the TypeScript of the shipped folders compiled to JavaScript by tsc on
 * the build machine (relative `.ts` imports rewritten to `.js`, same tree), the folders' other
 * files (units, the start guard) as they are, and an entry `bin/kaoreader.js` that imports the
 * compiled CLI. The device runs plain JavaScript: no tsx, esbuild or TypeScript in a release.
 * Hand-written JavaScript ships as it is (the QA console's page), except the development boots
 * that register tsx (cli/face-worker/boot.mjs): a compiled release starts the compiled module.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { walk, type FileRef } from './modules.ts';

export class CompileError extends KaoreaderError {
  readonly code = 'COMPILE_FAILED';
}

/** Folders tsconfig.json compiles that a release leaves out (development only). */
export const DEV_DIRS: readonly string[] = ['test', 'scripts'];

/**
 * The folders a release runs: every top-level folder tsconfig.json includes but the development
 * ones (the simulator and the facility side too: `sim` commands and the arm64 check use them),
 * so a new folder ships without a change here.
 */
export async function appDirs(projectRoot: string): Promise<string[]> {
  const cfg = JSON.parse(await readFile(join(projectRoot, 'tsconfig.json'), 'utf8')) as { include?: readonly string[] };
  const dirs = (cfg.include ?? []).map((p) => p.split('/')[0] ?? '').filter((d) => d !== '' && !d.includes('*') && !DEV_DIRS.includes(d));
  return [...new Set(dirs)].sort();
}

export const RELEASE_ENTRY = 'bin/kaoreader.js';

/** A development boot: JavaScript that loads tsx to run TypeScript. */
const TSX_BOOT = /from\s+['"]tsx(\/[^'"]*)?['"]|import\(\s*['"]tsx/;

const ENTRY = `#!/usr/bin/env node
// kaoreader release entry: the compiled CLI (built by ota/release/compile.ts; no TypeScript on the device).
import '../cli/main.js';
`;

function tsc(projectRoot: string, tsconfig: string): Promise<void> {
  const bin = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, '-p', tsconfig],
      { cwd: projectRoot, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        if (err) reject(new CompileError(`tsc failed:\n${stdout.trim().split('\n').slice(0, 30).join('\n')}`, { cause: err }));
        else resolve();
      },
    );
  });
}

/** Compiles into `outDir` (emptied first); returns every file of the program, with the entry. */
export async function compileApp(projectRoot: string, outDir: string): Promise<FileRef[]> {
  const dirs = await appDirs(projectRoot);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const tsconfig = join(outDir, '..', `${outDir.split('/').pop() ?? 'app'}.tsconfig.json`);
  await writeFile(
    tsconfig,
    JSON.stringify(
      {
        extends: join(projectRoot, 'tsconfig.json'),
        compilerOptions: {
          noEmit: false,
          outDir,
          rootDir: projectRoot,
          rewriteRelativeImportExtensions: true,
          declaration: false,
          sourceMap: false,
          noEmitOnError: true,
          incremental: false,
          removeComments: false,
          // types are checked by `tsc --noEmit` in the test command; the release only needs the emit
          noCheck: true,
        },
        include: dirs.map((d) => join(projectRoot, d, '**', '*.ts')),
      },
      null,
      1,
    ),
  );
  await tsc(projectRoot, tsconfig);
  const files: FileRef[] = [];
  for (const d of dirs) {
    for (const r of await walk(join(outDir, d))) if (r.endsWith('.js')) files.push({ rel: `${d}/${r}`, abs: join(outDir, d, r) });
    for (const r of await walk(join(projectRoot, d))) {
      if (/\.[cm]?ts$/.test(r)) continue;
      const abs = join(projectRoot, d, r);
      if (/\.[cm]?js$/.test(r) && TSX_BOOT.test(await readFile(abs, 'utf8'))) continue;
      files.push({ rel: `${d}/${r}`, abs });
    }
  }
  await mkdir(join(outDir, 'bin'), { recursive: true });
  await writeFile(join(outDir, RELEASE_ENTRY), ENTRY, { mode: 0o755 });
  files.push({ rel: RELEASE_ENTRY, abs: join(outDir, RELEASE_ENTRY) });
  return files.sort((a, b) => a.rel.localeCompare(b.rel));
}
