// SQLite store thread bootstrap (plain JS, like bin/kaoreader.js): registers tsx inside this
// worker thread, whose module loader starts empty, then loads the TypeScript module the thread
// runs (workerData.module: the store's thread, or its checkpointer).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
