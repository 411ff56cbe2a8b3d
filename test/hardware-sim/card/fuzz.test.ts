/**
 * Bounded fuzz slice (the 100k-case run is `kaoreader bench card --fuzz 100000`): mutated card
 * responses end only in typed errors, each case quickly; random command bytes never crash the
 * virtual card and always get a status word.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzCardResponses } from '../../../hardware-sim/card/card-fuzzer.ts';
import { MemoryStore } from '../../../hardware-sim/card/memory-store.ts';
import { Rng } from '../../../hardware-sim/card/response-mutator.ts';
import { ascii, makeTestCard } from '../../helpers/sim-card.ts';

test('2000 mutated-response cases: typed errors only, no hang', async () => {
  const tc = await makeTestCard({ id: 'fuzz-slice', counters: new MemoryStore() });
  const report = await fuzzCardResponses({ card: tc.card, trust: tc.trust, pin: ascii(tc.profile.pin), numberB: ascii(tc.numberB), cases: 2000, seed: 20261124, caseLimitMs: 3000 });
  assert.equal(report.findings, []);
  assert.ok(report.completed > 100, 'some mutations are harmless');
  assert.ok((report.typedErrors['APDU_MALFORMED'] ?? 0) > 100, 'malformed input is detected');
  assert.ok((report.typedErrors['SIGNATURE_INVALID'] ?? 0) > 0, 'tampered signed data is detected');
});

test('random command bytes: the virtual card always answers a status word', async () => {
  const tc = await makeTestCard({ id: 'fuzz-slice', counters: new MemoryStore() });
  const rng = new Rng(7);
  const prefixes = ['00a4', '00b0', '0020', '0084', '802a', '80a2', '00c0'];
  for (let i = 0; i < 3000; i++) {
    const head = Buffer.from(prefixes[rng.int(prefixes.length)] ?? '00a4', 'hex');
    const cmd = new Uint8Array([...head, ...rng.bytes(rng.int(40))]);
    const r = await tc.card.transmit(cmd);
    assert.ok(r.length >= 2);
  }
});

test.run();
