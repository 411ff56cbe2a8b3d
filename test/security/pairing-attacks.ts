/**
 * Attacks on pairing and the link settings, on real files: pairing a foreign device with a code
 * read off the screen (finding 5), the code in the journal (finding 5), a bundle or pairing
 * state naming another reader or a plain-text broker, a relative state directory (finding 8),
 * the CA key within the broker's reach (finding 9).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as assert from 'uvu/assert';
import { composeFacility } from '../../cli/facility-compose.ts';
import { validateConfig } from '../../firmware/config/load.ts';
import { ConfigError } from '../../firmware/core/errors.ts';
import { openFacilityLink } from '../../firmware/facility/open-link.ts';
import { caFiles, initFacilityCa, PairingError, signReaderCsr } from '../../firmware/facility/pairing/facility-ca.ts';
import { ensureReaderIdentity } from '../../firmware/facility/pairing/identity.ts';
import { installPairingBundle } from '../../firmware/facility/pairing/reader-pairing.ts';
import { importP256, SIGN } from '../../firmware/facility/pairing/p256.ts';
import { x509 } from '../../firmware/core/x509.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { quietLog, RecordingSettings, tmp } from '../firmware/facility/link/helpers.ts';
import { attack } from './ledger.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';

async function pairingRefused(p: Promise<unknown>, ...codes: string[]): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, PairingError, String(err));
    assert.ok(codes.includes((err as PairingError).code), (err as PairingError).code);
    return (err as PairingError).code;
  }
  assert.unreachable(`accepted (expected ${codes.join(' or ')})`);
  return 'accepted';
}

/** A reader's identity in a fresh state directory and the bundle the facility signed for it (not installed yet). */
async function signedReader(
  prefix: string,
): Promise<{ stateDir: string; state: string; bundle: Awaited<ReturnType<typeof signReaderCsr>> }> {
  const caDir = await facility();
  const stateDir = tmp(prefix);
  const state = join(stateDir, 'facility');
  const id = await ensureReaderIdentity(state);
  return { stateDir, state, bundle: await signReaderCsr(caDir, id.csrPem, id.pairingCode, id.fingerprint) };
}

/** The reader's facility link opened on `stateDir`, as the daemon opens it. */
function openLink(stateDir: string): ReturnType<typeof openFacilityLink> {
  return openFacilityLink({
    stateDir,
    config: validateConfig({ reader: { stateDir } }).facility,
    clock: systemClock,
    openStore: (dir) => new FileStore(dir),
    log: quietLog().log,
    firmwareVersion: '0.1.0',
    hardware: { model: 'x', arch: 'x64' },
    settings: new RecordingSettings(),
  });
}

/** The configuration is refused with a ConfigError; `accepted` is the failure message otherwise. */
function configRefused(config: unknown, accepted: string): void {
  assert.throws(
    () => validateConfig(config),
    (err: unknown) => err instanceof ConfigError,
    accepted,
  );
}

async function facility(): Promise<string> {
  const caDir = tmp('kao-ca-');
  await initFacilityCa(caDir, { facilityId: 'clinic-a', brokerUrl: 'mqtts://127.0.0.1:8883' });
  return caDir;
}

attack(5, 'pairing a foreign device with the pairing code read off the reader screen', async () => {
  const caDir = await facility();
  const reader = await ensureReaderIdentity(tmp('kao-reader-'));
  const thief = await ensureReaderIdentity(tmp('kao-thief-'));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${thief.readerId}`,
    keys: await importP256(thief.privateKeyPem),
    signingAlgorithm: SIGN,
    attributes: [new x509.ChallengePasswordAttribute(reader.pairingCode)],
  });
  await pairingRefused(
    signReaderCsr(caDir, csr.toString('pem'), reader.pairingCode, undefined as unknown as string),
    'FINGERPRINT_REQUIRED',
  );
  return pairingRefused(signReaderCsr(caDir, csr.toString('pem'), reader.pairingCode, reader.fingerprint), 'FINGERPRINT_MISMATCH');
});

attack(5, 'reading the pairing code from the journal or the health report of an unpaired reader', async () => {
  const { log, sink } = quietLog();
  const c = await composeFacility({
    config: validateConfig({ reader: { stateDir: tmp('kao-unpaired-') }, hardware: { mode: 'real' } }),
    clock: systemClock,
    log,
    firmwareVersion: '0.1.0',
    settings: new RecordingSettings(),
  });
  const code = c.pairing?.code ?? '';
  assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  const health = JSON.stringify(await c.link.health?.());
  await c.link.stop();
  for (const where of [sink.lines.join('\n'), health]) {
    assert.not.match(where, code);
    assert.not.match(where, code.replace('-', ''));
  }
  return 'the code is for the screen only';
});

attack(8, "a pairing bundle (or an edited pairing.json) naming another reader's id", async () => {
  const { stateDir, state, bundle } = await signedReader('kao-reader-');
  const victim = await ensureReaderIdentity(tmp('kao-victim-'));
  await pairingRefused(installPairingBundle(state, { ...bundle, readerId: victim.readerId }), 'READER_MISMATCH');
  await installPairingBundle(state, bundle);
  writeFileSync(join(state, 'pairing.json'), JSON.stringify({ ...bundle, readerId: victim.readerId }));
  return pairingRefused(openLink(stateDir), 'READER_MISMATCH');
});

attack(8, 'plain mqtt:// to the facility broker (bundle, pairing state, configuration)', async () => {
  const { stateDir, state, bundle } = await signedReader('kao-plain-');
  await pairingRefused(installPairingBundle(state, { ...bundle, brokerUrl: 'mqtt://10.0.0.5:1883' }), 'INSECURE_BROKER');
  await pairingRefused(initFacilityCa(tmp('kao-ca-'), { facilityId: 'clinic-a', brokerUrl: 'mqtt://10.0.0.5:1883' }), 'INSECURE_BROKER');
  await installPairingBundle(state, bundle);
  writeFileSync(join(state, 'pairing.json'), JSON.stringify({ ...bundle, brokerUrl: 'mqtt://10.0.0.5:1883' }));
  await pairingRefused(openLink(stateDir), 'INSECURE_BROKER');
  configRefused({ facility: { brokerUrl: 'mqtt://10.0.0.5:1883' } }, 'a plain mqtt:// broker URL was accepted in the configuration');
  return 'INSECURE_BROKER / config refused';
});

attack(8, 'a relative state directory (it would land inside the release tree and be pruned)', async () => {
  assert.is(validateConfig({}).reader.stateDir, '/var/lib/kaoreader');
  configRefused({ reader: { stateDir: 'var/state' } }, 'a relative reader.stateDir was accepted');
  return 'ConfigError';
});

attack(9, "the broker's user looks for the CA key among the files it is given", async () => {
  const caDir = await facility();
  const f = caFiles(caDir);
  const brokerDir = dirname(f.caFile);
  const caKeyBody = readFileSync(f.caKey, 'utf8').split('\n')[1] ?? '-';
  for (const name of readdirSync(brokerDir))
    assert.not.match(readFileSync(join(brokerDir, name), 'utf8'), caKeyBody, `${name} holds the CA key`);
  assert.not.ok(readdirSync(caDir).includes('ca-key.pem'), 'the CA key beside the broker files');
  assert.is(statSync(f.caKey).mode & 0o777, 0o600);
  assert.is(statSync(dirname(f.caKey)).mode & 0o777, 0o700);
  assert.is(statSync(f.commandKey).mode & 0o777, 0o600);
  return 'CA key in DIR/private (0700, key 0600), broker files in DIR/broker';
});
