import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cardProofProblems, deliveryProblems, orderProblems, subsetProblems } from '../../../cli/simulator/run-scenario.ts';
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import { testIdentity } from '../../firmware/visit/doubles/cert.ts';
import { ScenarioError, loadScenario, parseScenario } from '../../../cli/simulator/scenario.ts';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');

test('every scenario file in test/scenarios parses, with defaults filled in', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 25, `found ${files.length}`);
  for (const f of files) {
    const s = await loadScenario(join(DIR, f));
    assert.ok(s.steps.length > 0, f);
    assert.is(typeof s.facility.reachable, 'boolean');
    assert.is(typeof s.visit.timeouts?.choiceMs, 'number');
  }
});

test('a bad scenario lists every problem at once, with paths', () => {
  try {
    parseScenario('name: x\ncard: plastic\nsteps:\n  - tap: face\n  - pin: 12\n', 'bad.yaml');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ScenarioError);
    const e = err as ScenarioError;
    assert.ok(
      e.problems.some((p) => p.startsWith('/card')),
      e.problems.join('\n'),
    );
    assert.ok(
      e.problems.some((p) => p.startsWith('/steps/1')),
      e.problems.join('\n'),
    );
  }
  assert.throws(() => parseScenario('name: x\nsteps:\n  - fly: away\n'), /unknown step "fly"/);
  assert.throws(() => parseScenario('name: [', 'y.yaml'), /not valid YAML/);
});

test('result subset and screen order checks report what differs', () => {
  assert.equal(
    subsetProblems(
      { outcome: 'accepted', consent: { mode: 'all' }, signature: 'absent' },
      { outcome: 'accepted', consent: { mode: 'all', items: {} } },
    ),
    [],
  );
  assert.equal(subsetProblems({ outcome: 'accepted', signature: 'present' }, { outcome: 'rejected' }), [
    'result.outcome: expected "accepted", got "rejected"',
    'result.signature: missing',
  ]);
  assert.equal(orderProblems(['a', 'c'], ['a', 'b', 'c']), []);
  assert.is(orderProblems(['c', 'a'], ['a', 'b', 'c']).length, 1);
});

test('every accepted result must carry a card signature over an issued challenge, by the card inserted', async () => {
  const id = await testIdentity();
  const challenge = 'ab'.repeat(32);
  const good = {
    schema: 'kaoreader.result/1',
    id: '0190e2c0-0000-7000-8000-000000000000',
    readerId: 'r-1',
    visitId: 'v',
    startedAt: '2026-04-01T09:00:00Z',
    finishedAt: '2026-04-01T09:00:05Z',
    method: 'face',
    outcome: 'accepted',
    segment: 1,
    processingMs: 1,
    certificate: Buffer.from(id.der).toString('base64'),
    challenge,
    signature: sign('sha256', Buffer.from(challenge, 'hex'), id.privateKey).toString('base64'),
    signatureUnlock: 'terminal',
  } satisfies VisitResult;
  const issued = new Set([challenge]);
  assert.equal(cardProofProblems(good, issued, id.der), []);
  const { signature: _s, ...unsigned } = good;
  assert.is(cardProofProblems(unsigned, issued, id.der).length, 1, 'a face acceptance without a signature');
  assert.equal(cardProofProblems({ ...unsigned, outcome: 'rejected' }, issued, id.der), [], 'only accepted results need one');
  assert.match(cardProofProblems(good, new Set(), id.der).join(), /never issued/);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  assert.match(
    cardProofProblems(
      { ...good, signature: sign('sha256', Buffer.from(challenge, 'hex'), other).toString('base64') },
      issued,
      id.der,
    ).join(),
    /does not verify/,
  );
  assert.match(cardProofProblems(good, issued, (await testIdentity('expired')).der).join(), /not the certificate of the card/);
});

test('the stored record must be the one the reader handed over: same id, same content', () => {
  const sent: VisitResult = {
    schema: 'kaoreader.result/1',
    id: '01a24d0f-506e-7000-8613-dd7fcc3d0ecf',
    readerId: 'r',
    visitId: 'v',
    startedAt: 'a',
    finishedAt: 'b',
    method: 'face',
    outcome: 'accepted',
    segment: 1,
    processingMs: 900,
  };
  const reordered = Object.fromEntries(Object.entries(sent).reverse()) as unknown as VisitResult;
  assert.equal(deliveryProblems(reordered, [sent]), []);
  assert.match(deliveryProblems({ ...sent, segment: 2 }, [sent]).join(''), 'other content');
  assert.match(deliveryProblems(sent, []).join(''), 'never handed over');
});

test.run();
