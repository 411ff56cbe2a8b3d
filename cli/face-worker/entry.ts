/**
 * Where the face worker thread starts: from the sources, boot.mjs registers tsx in the worker and
 * loads main.ts; a compiled release starts main.js directly (ota/release/compile.ts).
 */
export const FACE_WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './boot.mjs' : './main.js', import.meta.url);
