/**
 * Writes docs/schemas/ from the code (firmware/facility/messages/schema-docs.ts): one JSON Schema
 * per message schema id and version, and the AsyncAPI document. Removes files there that the
 * code no longer describes. Usage: node --import tsx scripts/generate-schemas.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DOCS_DIR, schemaDocs } from '../firmware/facility/messages/schema-docs.ts';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, SCHEMA_DOCS_DIR);
mkdirSync(dir, { recursive: true });
const docs = schemaDocs();
for (const f of readdirSync(dir)) if (!docs.has(f)) rmSync(join(dir, f));
for (const [name, text] of docs) writeFileSync(join(dir, name), text);
process.stdout.write(`${docs.size} files in ${SCHEMA_DOCS_DIR}\n`);
