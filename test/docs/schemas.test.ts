/**
 * docs/schemas/ is what the code says: every schema file and the AsyncAPI document match what
 * schema-docs.ts generates from firmware/facility/messages/schemas.ts and topics (regenerate with
 * `node --import tsx scripts/generate-schemas.ts`), no stale file is left, every topic of the
 * code is documented, and each published schema accepts a real message and validates like the codec.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SCHEMA_DOCS_DIR, schemaDocs } from '../../firmware/facility/messages/schema-docs.ts';
import { facilitySubscriptions, readerTopics, FACILITY_STATUS_TOPIC } from '../../firmware/facility/messages/topics.ts';
import { sampleResult } from '../firmware/facility/fixtures.ts';

const dir = join(new URL('../..', import.meta.url).pathname, SCHEMA_DOCS_DIR);
const fix = 'regenerate: node --import tsx scripts/generate-schemas.ts';

test('every generated file is on disk with the same content, and nothing else is', () => {
  const docs = schemaDocs();
  assert.equal(readdirSync(dir).sort(), [...docs.keys()].sort(), `files in ${SCHEMA_DOCS_DIR} (${fix})`);
  for (const [name, text] of docs) assert.is(readFileSync(join(dir, name), 'utf8'), text, `${name} drifted from the code (${fix})`);
});

test('one file per schema id, named by it', () => {
  const names = readdirSync(dir).filter((f) => f !== 'asyncapi.json');
  for (const f of names) {
    const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { title: string };
    assert.is(f, `${doc.title.replace('/', '-')}.json`);
  }
  assert.ok(names.includes('kaoreader.result-1.json') && names.includes('kaoreader.request-2.json'));
});

test('the AsyncAPI document names every topic the code uses, with its message file', () => {
  const api = JSON.parse(readFileSync(join(dir, 'asyncapi.json'), 'utf8')) as {
    channels: Record<string, { publish?: { message: { $ref: string } }; subscribe?: { message: { $ref: string } } }>;
    components: { messages: Record<string, { payload: { $ref: string } }> };
  };
  const t = readerTopics('{readerId}');
  const codeTopics = [...Object.values(t), FACILITY_STATUS_TOPIC].sort();
  assert.equal(Object.keys(api.channels).sort(), codeTopics);
  for (const sub of facilitySubscriptions)
    assert.ok(api.channels[sub.replace('+', '{readerId}')]?.publish, `${sub}: the facility receives it`);
  for (const m of Object.values(api.components.messages))
    assert.ok(readdirSync(dir).includes(m.payload.$ref.replace('./', '')), m.payload.$ref);
});

test('the published result schema accepts a real result and refuses what the codec refuses', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(JSON.parse(readFileSync(join(dir, 'kaoreader.result-1.json'), 'utf8')) as object);
  assert.ok(check(sampleResult()), JSON.stringify(check.errors));
  assert.not.ok(check({ ...sampleResult(), outcome: 'maybe' }));
});

test.run();
