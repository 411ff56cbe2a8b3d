/**
 * The verification CPU the service reports (kaoreader_facility_verify_cpu_seconds_total, the
 * bench's verifyCpuMsPerResult) is the service thread's own: another thread of the process busy
 * meanwhile (the SQLite thread committing the previous batch, which the commit queue overlaps
 * with this batch's verification) does not count. Real SQLite store, real verifier; a worker
 * thread spins while a batch is verified.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAuditLog } from '../../../firmware/core/logger.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { ResultJob, ResultIntake } from '../../../facility/service/result-intake.ts';
import { SqliteStore } from '../../../facility/store/sqlite-store.ts';
import { ProofVerifier } from '../../../facility/verify/proof-verifier.ts';
import { Revocation } from '../../../facility/verify/revocation.ts';
import { TrustAnchors } from '../../../facility/verify/trust-anchors.ts';
import { loadTestPki } from '../../../hardware-sim/card/test-pki.ts';
import { sampleResult } from '../../firmware/facility/fixtures.ts';
import { tmp } from '../../firmware/facility/link/helpers.ts';
import { silent } from '../helpers.ts';

const HOUR = 3_600_000;

test('the verification CPU reported is the service thread’s, not another busy thread’s', async () => {
  const anchors = TrustAnchors.fromDer([(await loadTestPki()).authCa.certificate]);
  const revocation = await Revocation.start({
    sources: [],
    anchors,
    clock: systemClock,
    log: silent,
    refreshMs: HOUR,
    graceMs: HOUR,
    maxAgeMs: HOUR,
  });
  const store = await SqliteStore.open(join(tmp('kao-intake-'), 'facility.db'));
  const reported: { cpuSeconds: number; proofs: number }[] = [];
  const intake = new ResultIntake({
    store,
    verifier: new ProofVerifier('clinic-a', anchors, revocation),
    clock: systemClock,
    log: silent,
    audit: createAuditLog({ write: () => undefined }),
    hooks: { onVerified: (cpuSeconds, proofs) => reported.push({ cpuSeconds, proofs }) },
  });
  // Accepted results without a proof (refused PROOF_MISSING, each a proof checked); one id, so the batch's read is one key.
  const result = sampleResult();
  const jobs = Array.from({ length: 40_000 }, () => new ResultJob('clinic-a', result, '{}', Date.now(), () => undefined));
  const spinner = new Worker(
    'require("node:worker_threads").parentPort.postMessage("spinning"); for (const end = Date.now() + 5000; Date.now() < end;);',
    {
      eval: true,
    },
  );
  try {
    await new Promise((r) => spinner.once('message', r));
    const cpu0 = process.threadCpuUsage();
    await intake.prepare(jobs);
    const cpu = process.threadCpuUsage(cpu0);
    const ownSeconds = (cpu.user + cpu.system) / 1e6;
    assert.is(reported.length, 1);
    assert.is(reported[0]?.proofs, 40_000);
    assert.ok(
      (reported[0]?.cpuSeconds ?? Infinity) <= ownSeconds + 0.002,
      `reported ${reported[0]?.cpuSeconds} s of verification CPU, the service thread used ${ownSeconds} s in all`,
    );
  } finally {
    await spinner.terminate();
    revocation.close();
    await store.close();
  }
});

test.run();
