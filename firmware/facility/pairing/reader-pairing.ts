/**
 * The reader's pairing state in its state directory: installing the bundle facility IT
 * returned (checked: the certificate must be for this reader's own key and chain to the CA in
 * the bundle), loading what the MQTT link needs, and unpairing (forget the facility; with
 * `factoryReset` also the key and pairing code, so the next boot makes a new identity).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, fsyncDir } from '../../platform/file-store.ts';
import { PairingError, type PairingBundle } from './facility-ca.ts';
import { ensureReaderIdentity } from './identity.ts';
import { spkiFingerprint, x509 } from './x509.ts';

export interface ReaderPairing {
  readonly readerId: string;
  readonly facilityId: string;
  readonly brokerUrl: string;
  readonly tls: { readonly ca: string; readonly cert: string; readonly key: string };
}

export async function installPairingBundle(stateDir: string, bundle: PairingBundle): Promise<ReaderPairing> {
  const id = await ensureReaderIdentity(stateDir);
  if (bundle.schema !== 'kaoreader.pairing/1') throw new PairingError('CSR_INVALID', `unknown pairing bundle ${String(bundle.schema)}`);
  const cert = new x509.X509Certificate(bundle.certificatePem);
  const ca = new x509.X509Certificate(bundle.caPem);
  if ((await spkiFingerprint(cert.publicKey.rawData)) !== id.fingerprint) throw new PairingError('FINGERPRINT_MISMATCH', 'this certificate is not for this reader\'s key');
  if (!(await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))) throw new PairingError('CSR_INVALID', 'certificate is not signed by the bundle CA');
  await writeFileAtomic(stateDir, 'pairing.json', JSON.stringify(bundle, null, 2));
  return { readerId: id.readerId, facilityId: bundle.facilityId, brokerUrl: bundle.brokerUrl, tls: { ca: bundle.caPem, cert: bundle.certificatePem, key: id.privateKeyPem } };
}

/** The current pairing, or undefined when the reader is not paired. */
export async function loadReaderPairing(stateDir: string): Promise<ReaderPairing | undefined> {
  let bundle: PairingBundle;
  try {
    bundle = JSON.parse(await readFile(join(stateDir, 'pairing.json'), 'utf8')) as PairingBundle;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PairingError('NOT_PAIRED', `pairing state in ${stateDir} is unreadable`, { cause: err });
  }
  const key = await readFile(join(stateDir, 'reader-key.pem'), 'utf8');
  return { readerId: bundle.readerId, facilityId: bundle.facilityId, brokerUrl: bundle.brokerUrl, tls: { ca: bundle.caPem, cert: bundle.certificatePem, key } };
}

export async function unpairReader(stateDir: string, o: { factoryReset?: boolean } = {}): Promise<void> {
  await rm(join(stateDir, 'pairing.json'), { force: true });
  if (o.factoryReset) {
    await rm(join(stateDir, 'reader-key.pem'), { force: true });
    await rm(join(stateDir, 'pairing-code'), { force: true });
  }
  await fsyncDir(stateDir);
}
