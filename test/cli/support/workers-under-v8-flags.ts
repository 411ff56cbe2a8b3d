/**
 * Starts the service's two worker threads, the face worker (models loaded) and the SQLite store's
 * thread, in a process the test runs with V8 flags, then closes them. Argument: a directory for the
 * database file. Prints one line per worker that started.
 */
import { join } from 'node:path';
import { FaceWorkerClient } from '../../../firmware/face/worker/face-worker-client.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { FACE_WORKER_ENTRY } from '../../../cli/face-worker/entry.ts';
import { SqliteThreadStore } from '../../../facility/store/sqlite-thread-store.ts';
import { testModelSet } from '../../firmware/face/support/demo-faces.ts';

const face = await FaceWorkerClient.start(testModelSet(), systemClock, FACE_WORKER_ENTRY);
process.stdout.write('face worker started\n');
await face.close();
const store = await SqliteThreadStore.open(join(process.argv[2] ?? '.', 'facility.db'));
process.stdout.write(`store thread started at version ${(await store.versions()).at(-1)}\n`);
await store.close();
