/** Opens the SQLite store in its thread, makes one call and never closes it: the process must still end. Argument: the directory for the file. */
import { join } from 'node:path';
import { SqliteThreadStore } from '../../../../facility/store/sqlite-thread-store.ts';

const store = await SqliteThreadStore.open(join(process.argv[2] ?? '.', 'facility.db'));
process.stdout.write(`versions ${(await store.versions()).join(',')}\n`);
