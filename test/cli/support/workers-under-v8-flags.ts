/**
 * Starts the facility service's SQLite store thread in a process the test runs with V8 flags, then
 * closes it. Argument: a directory for the database file. Prints a line once the thread started.
 */
import { join } from 'node:path';
import { SqliteThreadStore } from '../../../facility/store/sqlite-thread-store.ts';

const store = await SqliteThreadStore.open(join(process.argv[2] ?? '.', 'facility.db'));
process.stdout.write(`store thread started at version ${(await store.versions()).at(-1)}\n`);
await store.close();
