#!/usr/bin/env node
// kaoreader CLI entry in a source checkout: the TypeScript sources through tsx, on the project's
// runtime (node_modules/node-linux-<cpu>, the Node.js that releases ship and that the native
// addons are built for, see scripts/runtime.sh). Started by another node (a shell's `node`), it
// hands over to that runtime with the same arguments and exit status. A release has its own
// compiled entry and no tsx (ota/release/compile.ts).
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const runtime = fileURLToPath(new URL(`../node_modules/node-linux-${process.arch}/bin/node`, import.meta.url));

if (existsSync(runtime) && realpathSync(process.execPath) !== realpathSync(runtime)) {
  const child = spawn(runtime, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`kaoreader: cannot start ${runtime}: ${err.message}\n`);
    process.exitCode = 70;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
