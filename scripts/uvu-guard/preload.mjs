// `node --import ./scripts/uvu-guard/preload.mjs`: every test file's uvu reports hook errors (guard.ts).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
