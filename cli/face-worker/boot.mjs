// Face worker bootstrap (plain JS, like bin/kaoreader.js): registers tsx inside this worker
// thread, whose module loader starts empty, then loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
