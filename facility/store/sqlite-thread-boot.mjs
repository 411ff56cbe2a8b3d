// SQLite store thread bootstrap (plain JS, like bin/kaoreader.js): registers tsx inside this
// worker thread, whose module loader starts empty, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-thread.ts');
